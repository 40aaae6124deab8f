// Friendlier CLI11 parse errors (see parse_errors.h).
#include "tools/common/parse_errors.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/base/text.h"

namespace hyco::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::vector<const CLI::App*> apps_of(const CLI::App& app) {
    std::vector<const CLI::App*> out{&app};
    for (const CLI::App* sub : const_cast<CLI::App&>(app).get_subcommands({})) out.push_back(sub);
    return out;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> out;
    for (const CLI::App* a : apps_of(app))
        for (const CLI::Option* o : a->get_options()) {
            for (const auto& s : o->get_snames()) out.push_back("-" + s);
            for (const auto& l : o->get_lnames()) out.push_back("--" + l);
        }
    return out;
}

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> out;
    for (const CLI::App* sub : const_cast<CLI::App&>(app).get_subcommands({})) out.push_back(sub->get_name());
    return out;
}

std::string or_list(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
    return out;
}

bool looks_like_connection_string(const std::string& s) {
    return s.find("Endpoint=") != std::string::npos || s.find("SharedAccessKey") != std::string::npos;
}

/// `--timout` for the `--connect-timeout` and `--ping-timeout` a tool has:
/// the options whose last word is within one edit of the typed one.
std::string by_last_word(const std::string& typed, const std::vector<std::string>& names) {
    auto last_word = [](const std::string& s) { return s.substr(s.find_last_of('-') + 1); };
    std::string word = last_word(typed);
    if (word.size() < 4) return {};
    std::vector<std::string> hits;
    for (const std::string& n : names)
        if (n.size() > 2 && edit_distance(word, last_word(n)) <= 1) hits.push_back(n);
    if (hits.empty() || hits.size() > 3) return {};
    return or_list(hits);
}

/// The first unexpected word, in the order typed.
std::string unexpected(const CLI::App& app, const std::string& word) {
    if (word.size() > 1 && word[0] == '-') {
        std::string name = word.substr(0, word.find('='));
        auto names = option_names(app);
        std::string guess = closest(name, names);
        if (guess.empty()) guess = by_last_word(name, names);
        return fmt::format("unknown option {}{}", text::quote(name),
                           guess.empty() ? "" : fmt::format("; did you mean {}?", guess));
    }
    auto commands = command_names(app);
    if (!commands.empty() && app.get_subcommands().empty()) {
        std::string guess = closest(word, commands);
        return fmt::format("unknown command {}; {}", text::quote(word),
                           guess.empty() ? "the commands are " + or_list(commands) : "did you mean " + guess + "?");
    }
    if (looks_like_connection_string(word))
        return "unexpected argument (a connection string?): give it with -x @FILE or HYCO_CONNECTION_STRING";
    return fmt::format("unexpected argument {}", text::quote(word));
}

/// The remaining words, ordered as they appear in argv.
std::vector<std::string> in_typed_order(std::vector<std::string> words, const std::vector<std::string>& argv) {
    auto pos = [&](const std::string& w) {
        for (std::size_t i = 1; i < argv.size(); ++i)
            if (argv[i] == w) return i;
        return argv.size();
    };
    std::stable_sort(words.begin(), words.end(), [&](const auto& a, const auto& b) { return pos(a) < pos(b); });
    return words;
}

}  // namespace

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, typed.size() / 3) + 1;
    for (const std::string& c : candidates) {
        // A unique prefix ("--conn") is a good guess too.
        std::size_t d = c.size() > typed.size() && c.compare(0, typed.size(), typed) == 0 && typed.size() > 3
                            ? 1
                            : edit_distance(typed, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::vector<std::string>& argv) {
    std::string msg = e.what();
    auto commands = command_names(app);
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
        auto words = in_typed_order(app.remaining(true), argv);
        if (!words.empty()) return unexpected(app, words.front());
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !commands.empty() &&
        app.get_subcommands().empty()) {
        for (std::size_t i = 1; i < argv.size(); ++i)
            if (!argv[i].empty() && argv[i][0] != '-') {
                std::string guess = closest(argv[i], commands);
                return fmt::format("unknown command {}; {}", text::quote(argv[i]),
                                   guess.empty() ? "the commands are " + or_list(commands)
                                                 : "did you mean " + guess + "?");
            }
        return "a command is required: " + or_list(commands);
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
        std::string name = msg.substr(0, msg.find(':'));
        if (name == "-k" || name == "--key-name")
            return name + " needs a shared access rule NAME (the key goes in --key-file or HYCO_KEY; "
                          "to skip TLS verification the option is --insecure)";
        auto missing = msg.find(" missing");
        if (missing != std::string::npos && missing + 8 == msg.size()) return name + ": needs a value";
    }
    return msg;
}

}  // namespace hyco::cli
