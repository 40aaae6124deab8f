// Argument handling shared by every tool: help text with examples, the
// generate switch, and the mapping of errors to stderr lines and exit codes.
#include "tools/common/tool.h"

#include <cstring>
#include <iostream>

#include <fmt/format.h>

#include "core/text.h"

namespace hyco::cli {

const std::vector<std::pair<int, std::string>>& exit_status_table() {
    static const std::vector<std::pair<int, std::string>> table = {
        {0, "Success."},
        {1, "Runtime failure: network, I/O or protocol error."},
        {2, "Usage error: bad option, or malformed input such as a connection string, URI or duration."},
        {3, "Authentication or authorization refused (HTTP 401/403), or an invalid token."},
        {4, "Entity or listener not found (HTTP 404)."},
        {5, "Timed out."},
        {6, "Rejected by the listener."},
        {7, "The token has expired: hyco-token verify, or the pre-issued token (--token, HYCO_TOKEN) of a "
            "listener, which it cannot renew."},
        {8, "hyco-token verify: the token's audience does not cover the entity."},
        {130, "Interrupted (SIGINT or SIGTERM)."},
    };
    return table;
}

Tool::Tool(ToolInfo info) : info_(std::move(info)), app_(info_.summary, info_.name) {
    app_.set_version_flag("--version", std::string(HYCO_VERSION));
    std::string footer = "Examples:\n";
    for (const Example& ex : info_.examples) footer += fmt::format("  {}\n      {}\n", ex.command, ex.explanation);
    footer += fmt::format("\nExit status: 0 ok, 1 failure, 2 usage, 3 auth refused, 4 not found, 5 timeout,\n"
                          "6 rejected, 7 token expired, 130 interrupted. See man {} for details.", info_.name);
    app_.footer(footer);
}

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

Tool::Hint Tool::hint(const CLI::Option* opt) const {
    auto it = hints_.find(opt);
    return it == hints_.end() ? Hint{} : it->second;
}

void Tool::report(const Error& e) const {
    // One line, whatever peer text the message carries.
    std::cerr << fmt::format("{}: error: {}\n", info_.name, text::printable(e.message()));
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
        std::string msg = e.what();
        report(make_error(Exit::usage, "command line", msg));
        std::cerr << fmt::format("Try '{} --help' for more information.\n", info_.name);
        return exit_code(Exit::usage);
    }
    Status st;
    try {
        st = run();
    } catch (const std::bad_alloc&) {
        st = make_error(Exit::failure, "out of memory", "an allocation failed");
    } catch (const std::exception& e) {
        st = make_error(Exit::failure, "internal error", e.what());
    }
    if (!st) {
        report(st.error());
        return exit_code(st.error().code);
    }
    return 0;
}

}  // namespace hyco::cli
