// Element text by local name: the service and hyco-relay write these
// fields as simple leaf elements, which a search for the start and end tag
// finds whatever prefix the namespace is given.
#include "tools/hyco-probe/runtime_entry.h"

#include <charconv>
#include <utility>

#include "core/base/text.h"

namespace hyco::probe {
namespace {

/// The text of the first element whose local name is `name`: `<name>` or
/// `<p:name>`, with or without attributes, up to its end tag.
std::optional<std::string_view> element_text(std::string_view xml, std::string_view name) {
    std::size_t at = 0;
    while ((at = xml.find('<', at)) != std::string_view::npos) {
        std::size_t end = xml.find('>', at);
        if (end == std::string_view::npos) return std::nullopt;
        std::string_view tag = xml.substr(at + 1, end - at - 1);
        at = end + 1;
        if (tag.empty() || tag.front() == '/' || tag.front() == '?' || tag.front() == '!' || tag.back() == '/')
            continue;
        std::string_view qname = tag.substr(0, tag.find_first_of(" \t\r\n"));
        std::size_t colon = qname.find(':');
        if ((colon == std::string_view::npos ? qname : qname.substr(colon + 1)) != name) continue;
        std::size_t close = xml.find("</", at);
        if (close == std::string_view::npos) return std::nullopt;
        std::size_t close_end = xml.find('>', close);
        if (close_end == std::string_view::npos || xml.substr(close + 2, close_end - close - 2) != qname)
            return std::nullopt;
        return text::trim(xml.substr(at, close - at));
    }
    return std::nullopt;
}

/// The five predefined XML entities; anything else is left as written.
std::string unescape(std::string_view s) {
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        if (s[i] == '&')
            for (const auto& [name, c] : kEntities)
                if (s.substr(i, name.size()) == name) {
                    out += c;
                    i += name.size();
                    done = true;
                    break;
                }
        if (!done) out += s[i++];
    }
    return out;
}

}  // namespace

Result<RuntimeEntry> parse_runtime_entry(std::string_view xml) {
    RuntimeEntry e;
    auto count = element_text(xml, "ListenerCount");
    if (!count) return make_error(Exit::failure, "runtime information", "no <ListenerCount> in the answer");
    auto [p, ec] = std::from_chars(count->data(), count->data() + count->size(), e.listener_count);
    if (ec != std::errc() || p != count->data() + count->size() || count->empty())
        return make_error(Exit::failure, "runtime information",
                          "<ListenerCount> is not a whole number: " + text::quote(*count));
    // Absent means the default, as the service's contract has it.
    if (auto auth = element_text(xml, "RequiresClientAuthorization")) {
        if (*auth == "true")
            e.requires_client_authorization = true;
        else if (*auth == "false")
            e.requires_client_authorization = false;
        else
            return make_error(Exit::failure, "runtime information",
                              "<RequiresClientAuthorization> is neither true nor false: " + text::quote(*auth));
    }
    return e;
}

std::optional<std::string> error_detail(std::string_view xml) {
    auto d = element_text(xml, "Detail");
    if (!d) return std::nullopt;
    return unescape(*d);
}

}  // namespace hyco::probe
