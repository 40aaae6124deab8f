// What the address families share (see address_family.h).
#include "tools/hyco-pipe/address_family.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "core/base/text.h"

namespace hyco::pipe {
namespace family {

Error bad(std::string_view text, std::string why) { return address_error(text, std::move(why)); }

namespace {

/// Parses a decimal port; `allow_zero` for listening addresses.
Result<std::uint16_t> parse_port(std::string_view text, std::string_view s, bool allow_zero) {
    if (s.empty()) return bad(text, "missing port");
    if (s.size() > 5 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return bad(text, fmt::format("port '{}' is not a number", s));
    unsigned long v = std::stoul(std::string(s));
    if (v > 65535 || (v == 0 && !allow_zero))
        return bad(text, fmt::format("port {} is out of range ({}-65535)", v, allow_zero ? 0 : 1));
    return static_cast<std::uint16_t>(v);
}

}  // namespace

Status parse_host_port(std::string_view text, std::string_view arg, bool host_optional, Address& a) {
    std::string_view host, port;
    if (!arg.empty() && arg.front() == '[') {
        auto close = arg.find(']');
        if (close == std::string_view::npos) return bad(text, "missing ']' after the IPv6 address");
        host = arg.substr(1, close - 1);
        std::string_view rest = arg.substr(close + 1);
        if (rest.empty() || rest.front() != ':') return bad(text, "expected ':PORT' after the IPv6 address");
        port = rest.substr(1);
        if (host.empty()) return bad(text, "empty host");
    } else {
        auto colon = arg.rfind(':');
        if (colon == std::string_view::npos) {
            if (!host_optional) return bad(text, "expected HOST:PORT");
            port = arg;
        } else {
            host = arg.substr(0, colon);
            port = arg.substr(colon + 1);
            if (host.find(':') != std::string_view::npos)
                return bad(text, "write an IPv6 host in brackets, as in [::1]:PORT");
            if (host.empty() && !host_optional) return bad(text, "empty host");
        }
    }
    auto p = parse_port(text, port, host_optional);
    if (!p) return p.error();
    a.host = std::string(host);
    a.port = *p;
    return {};
}

Status take_options(std::string_view& arg, const std::function<Status(const Option&)>& take) {
    auto comma = arg.find(',');
    if (comma == std::string_view::npos) return {};
    std::string_view opts = arg.substr(comma + 1);
    arg = arg.substr(0, comma);
    std::size_t pos = 0;
    while (pos <= opts.size()) {
        std::size_t next = opts.find(',', pos);
        Option o;
        o.word = opts.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        pos = next == std::string_view::npos ? opts.size() + 1 : next + 1;
        auto eq = o.word.find('=');
        o.key = text::to_lower(o.word.substr(0, eq));
        o.has_value = eq != std::string_view::npos;
        if (o.has_value) o.value = o.word.substr(eq + 1);
        if (auto st = take(o); !st) return st;
    }
    return {};
}

Status with_syntax(const AddressType& type, Status st) {
    if (st) return st;
    Error e = st.error();
    if (e.why.rfind("expected", 0) != 0) e.why += fmt::format(" (expected {})", type.syntax);
    return e;
}

}  // namespace family

}  // namespace hyco::pipe
