// The forward list parser (see forwards.h).
#include "tools/hyco-pipe/forwards.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/base/text.h"

namespace hyco::pipe {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool valid_name(std::string_view n) {
    return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

Result<std::vector<std::string>> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && blank(line[i])) ++i;
        if (i >= line.size() || line[i] == '#') break;
        std::string word;
        while (i < line.size() && !blank(line[i])) {
            char c = line[i];
            if (c != '\'' && c != '"') {
                word += c;
                ++i;
                continue;
            }
            // A quoted run, which may hold blanks and '#'.
            std::size_t start = i++;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == c) {
                    closed = true;
                    ++i;
                    break;
                }
                if (c == '"' && line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\'))
                    ++i;
                word += line[i++];
            }
            if (!closed)
                return make_error(Exit::usage, "", fmt::format("unterminated {} quote starting at column {}", c, start + 1));
        }
        words.push_back(std::move(word));
    }
    return words;
}

Result<ForwardSpec> parse_forward_line(std::string_view line, const std::string& origin, const std::string& fallback) {
    auto words = split_words(line);
    if (!words) return make_error(Exit::usage, origin, words.error().why);
    ForwardSpec spec;
    spec.origin = origin;
    std::vector<std::string>& w = *words;
    if (w.empty()) return spec;
    std::size_t at = 0;
    if (w[0].size() >= 2 && w[0].front() == '[' && w[0].back() == ']') {
        spec.name = w[0].substr(1, w[0].size() - 2);
        if (!valid_name(spec.name))
            return make_error(Exit::usage, origin,
                              fmt::format("bad forward name {}: use letters, digits, '-', '_' and '.' (at most 64)",
                                          text::quote(w[0])));
        at = 1;
    }
    if (w.size() - at != 2)
        return make_error(Exit::usage, origin,
                          fmt::format("expected [NAME] ADDRESS1 ADDRESS2, found {} address{} (quote an address "
                                      "that holds blanks, as in 'exec:sh -i')",
                                      w.size() - at, w.size() - at == 1 ? "" : "es"));
    if (spec.name.empty()) spec.name = fallback;
    spec.address1 = w[at];
    spec.address2 = w[at + 1];
    return spec;
}

Result<std::vector<ForwardSpec>> parse_forward_file(std::string_view text, const std::string& file) {
    std::vector<ForwardSpec> out;
    std::size_t number = 0;
    for (std::string_view line : text::split(text, '\n')) {
        ++number;
        std::string origin = fmt::format("{}:{}", file, number);
        if (line.find('\0') != std::string_view::npos) return make_error(Exit::usage, origin, "a NUL byte");
        auto spec = parse_forward_line(line, origin, std::to_string(out.size() + 1));
        if (!spec) return spec.error();
        if (!spec->address1.empty()) out.push_back(std::move(*spec));
    }
    if (out.empty()) return make_error(Exit::usage, file, "no forward in the file");
    if (auto st = check_forward_names(out); !st) return st.error();
    return out;
}

Status check_forward_names(const std::vector<ForwardSpec>& specs) {
    for (std::size_t i = 0; i < specs.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (specs[i].name == specs[j].name)
                return make_error(Exit::usage, specs[i].origin,
                                  fmt::format("the name '{}' is taken by {}", specs[i].name, specs[j].origin));
    return {};
}

}  // namespace hyco::pipe
