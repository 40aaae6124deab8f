// HTTP head syntax helpers (see http_fields.h).
#include "core/http/http_fields.h"

#include "core/base/text.h"

namespace hyco::http {

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

bool has_bad_value_char(std::string_view s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    return false;
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::string_view> next_line(std::string_view data, std::size_t& pos) {
    auto lf = data.find('\n', pos);
    if (lf == std::string_view::npos) return std::nullopt;
    std::string_view line = data.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    return line;
}

FieldError parse_field_line(std::string_view line, Fields& out) {
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) return FieldError::folding;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return FieldError::no_colon;
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return FieldError::bad_name;
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (has_bad_value_char(value)) return FieldError::bad_value;
    out.emplace_back(std::string(name), std::string(value));
    return FieldError::none;
}

const std::string* find(const Fields& fields, std::string_view name) {
    for (const auto& [k, v] : fields)
        if (text::iequals(k, name)) return &v;
    return nullptr;
}

std::optional<std::string> joined(const Fields& fields, std::string_view name) {
    std::optional<std::string> out;
    for (const auto& [k, v] : fields) {
        if (!text::iequals(k, name)) continue;
        if (out) *out += ", " + v;
        else out = v;
    }
    return out;
}

bool has_token(const Fields& fields, std::string_view name, std::string_view token) {
    for (const auto& [k, v] : fields) {
        if (!text::iequals(k, name)) continue;
        for (std::string_view item : text::split(v, ','))
            if (text::iequals(trim_ows(item), token)) return true;
    }
    return false;
}

void merge(Fields& out, std::string_view name, std::string_view value) {
    for (auto& [k, v] : out)
        if (text::iequals(k, name)) {
            v.append(", ").append(value);
            return;
        }
    out.emplace_back(std::string(name), std::string(value));
}

std::vector<std::string> connection_options(const Fields& fields) {
    std::vector<std::string> out;
    for (const auto& [k, v] : fields) {
        if (!text::iequals(k, "Connection")) continue;
        for (std::string_view t : text::split(v, ',')) {
            std::string_view option = trim_ows(t);
            if (!option.empty()) out.emplace_back(option);
        }
    }
    return out;
}

bool is_hop_by_hop(std::string_view name, const std::vector<std::string>& options) {
    static constexpr std::string_view kHopByHop[] = {"Connection", "Keep-Alive",        "Proxy-Connection", "TE",
                                                     "Trailer",    "Transfer-Encoding", "Upgrade",          "Close",
                                                     "Content-Length"};
    for (std::string_view h : kHopByHop)
        if (text::iequals(name, h)) return true;
    for (const std::string& o : options)
        if (text::iequals(name, o)) return true;
    return false;
}

Fields end_to_end(const Fields& fields) {
    std::vector<std::string> options = connection_options(fields);
    Fields out;
    for (const auto& [k, v] : fields)
        if (!is_hop_by_hop(k, options)) out.emplace_back(k, v);
    return out;
}

}  // namespace hyco::http
