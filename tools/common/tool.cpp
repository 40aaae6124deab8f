// Argument handling shared by every tool: help text with examples, the
// generate switch, secrets kept out of argv and errors, and the mapping of
// errors to stderr lines and exit codes.
#include "tools/common/tool.h"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>

#include <malloc.h>

#include <fmt/format.h>

#include "core/base/text.h"
#include "tools/common/diag.h"
#include "tools/common/help_format.h"
#include "tools/common/parse_errors.h"

namespace hyco::cli {

const std::vector<ExitRow>& exit_status_table() {
    static const std::vector<ExitRow> table = {
        {Exit::ok, "ok", "Success."},
        {Exit::failure, "failure", "Runtime failure: network, I/O or protocol error."},
        {Exit::usage, "usage",
         "Usage error: bad option, or malformed input such as a connection string, URI or duration."},
        {Exit::auth, "auth refused", "Authentication or authorization refused (HTTP 401/403), or an invalid token."},
        {Exit::not_found, "not found", "Entity or listener not found (HTTP 404)."},
        {Exit::timeout, "timeout", "Timed out."},
        {Exit::rejected, "rejected", "Rejected by the listener."},
        {Exit::token_expired, "expired",
         "The token has expired: hyco-token verify, or the pre-issued token (--token, HYCO_TOKEN) of a "
         "listener, which it cannot renew."},
        {Exit::wrong_audience, "wrong entity", "hyco-token verify: the token's audience does not cover the entity."},
        {Exit::interrupted, "interrupted", "Interrupted (SIGINT or SIGTERM)."},
    };
    return table;
}

namespace {

/// Every data path allocates and frees chunks of 64 KiB to 512 KiB at a high
/// rate. glibc's defaults give that memory back to the OS at each free (heap
/// trimming, and mmap for blocks past a threshold that moves), so every chunk
/// came back as fresh page faults: about half of hyco-send's CPU (issue #10).
/// Fixed thresholds keep freed chunks in the heap for the next one; what the
/// heap holds stays bounded by the tools' high-water marks.
void keep_freed_chunks() {
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
}

}  // namespace

Tool::Tool(ToolInfo info) : info_(std::move(info)), app_(info_.summary, info_.name) {
    keep_freed_chunks();
    app_.set_version_flag("-V,--version", std::string(HYCO_VERSION));
    app_.formatter(std::make_shared<HelpFormatter>());
    app_.footer(footer(info_.examples));
}

std::vector<std::pair<int, std::string>> Tool::exit_rows() const {
    std::vector<std::pair<int, std::string>> rows;
    for (const ExitRow& r : exit_status_table())
        if (exits_.empty() || std::find(exits_.begin(), exits_.end(), r.code) != exits_.end())
            rows.emplace_back(exit_code(r.code), r.meaning);
    return rows;
}

std::string Tool::footer(const std::vector<Example>& examples) const {
    std::string out = "Examples:\n";
    for (const Example& ex : examples) out += fmt::format("  {}\n      {}\n", ex.command, ex.explanation);
    std::string codes;
    for (const ExitRow& r : exit_status_table())
        if (exits_.empty() || std::find(exits_.begin(), exits_.end(), r.code) != exits_.end())
            codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", exit_code(r.code), r.brief);
    return out + fmt::format("\nExit status: {}.\nSee man {} for details.", codes, info_.name);
}

void Tool::exit_statuses(std::vector<Exit> codes) {
    exits_ = std::move(codes);
    app_.footer(footer(info_.examples));
}

void Tool::examples_for(CLI::App* sub, std::vector<Example> examples) { sub->footer(footer(examples)); }

CLI::Option* Tool::complete(CLI::Option* opt, Complete kind) {
    hints_[opt].kind = kind;
    return opt;
}

CLI::Option* Tool::whole_number(CLI::Option* opt) {
    opt->check(CLI::Validator(
        [](std::string& v) -> std::string {
            if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
                return "expected a whole number, got '" + v + "'";
            return {};
        },
        ""));
    return opt;
}

CLI::Option* Tool::choices(CLI::Option* opt, std::vector<std::string> list) {
    opt->check(CLI::IsMember(list));
    hints_[opt].choices = std::move(list);
    return opt;
}

CLI::Option* Tool::suggest(CLI::Option* opt, std::vector<std::string> words) {
    Hint& h = hints_[opt];
    h.prefixes = std::any_of(words.begin(), words.end(), [](const auto& w) { return !w.empty() && w.back() == ':'; });
    h.choices = std::move(words);
    return opt;
}

CLI::Option* Tool::secret(CLI::Option* opt, bool always) {
    secret_options_.emplace_back(opt, always);
    return opt;
}

Tool::Hint Tool::hint(const CLI::Option* opt) const {
    auto it = hints_.find(opt);
    return it == hints_.end() ? Hint{} : it->second;
}

void Tool::report(const Error& e) const {
    // One line, whatever peer text the message carries, and never a secret.
    diag::error(e.message());
}

int Tool::main(int argc, char** argv, const std::function<Status()>& run) {
    if (argc == 3 && std::strcmp(argv[1], "--generate") == 0) {
        std::string what = argv[2];
        if (what == "man") std::cout << man_page();
        else if (what == "bash") std::cout << bash_completion();
        else if (what == "zsh") std::cout << zsh_completion();
        else if (what == "fish") std::cout << fish_completion();
        else {
            report(make_error(Exit::usage, "--generate", "expected man, bash, zsh or fish"));
            return exit_code(Exit::usage);
        }
        return std::cout.flush() ? 0 : 1;
    }
    harden_process();
    diag::attach(info_.name, &secrets_);
    struct Detach {
        ~Detach() { diag::attach(program_invocation_short_name, nullptr); }
    } detach;
    std::vector<std::string> args(argv, argv + argc);
    secrets_.add_environment();
    try {
        app_.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app_.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app_.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::cout << info_.name << " " << HYCO_VERSION << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        for (const auto& [o, always] : secret_options_)
            for (const std::string& v : o->results()) secrets_.add(v, always);
        report(make_error(Exit::usage, "command line", explain_parse_error(app_, e, args)));
        diag::raw_line(fmt::format("Try '{} --help' for more information.", info_.name));
        return exit_code(Exit::usage);
    }
    for (const auto& [o, always] : secret_options_)
        for (const std::string& v : o->results()) secrets_.add(v, always);
    scrub_argv(argc, argv, secrets_.values());
    args.clear();
    Status st;
    try {
        st = run();
    } catch (const std::bad_alloc&) {
        st = make_error(Exit::failure, "out of memory", "an allocation failed");
    } catch (const std::exception& e) {
        st = make_error(Exit::failure, "internal error", e.what());
    }
    if (!st) {
        // Our own Ctrl-C is the user's doing: the status says it, as with curl
        // or cat. (A remote command killed by SIGINT exits 130 too, and says so.)
        bool own_interrupt = st.error().code == Exit::interrupted && st.error().what.empty();
        if (!own_interrupt) report(st.error());
        return exit_code(st.error().code);
    }
    return 0;
}

}  // namespace hyco::cli
