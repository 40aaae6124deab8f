// The Atom entry is written for .NET's reader, which is strict in two ways
// (ManagementOperations, HybridConnectionRuntimeInformation in
// azure-relay-dotnet): it descends to the Atom <content> and hands the first
// element inside it to a DataContractSerializer, which matches the element
// name and namespace exactly and reads members only in contract order
// (CreatedAt, UpdatedAt, RequiresClientAuthorization, UserMetadata,
// ListenerCount); a member out of order is silently skipped.
#include "tools/hyco-relay/runtime_info.h"

#include <fmt/format.h>

#include "core/base/duration.h"
#include "tools/hyco-relay/http_response.h"

namespace hyco::relay {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kConnectNs = "http://schemas.microsoft.com/netservices/2010/10/servicebus/connect";

}  // namespace

bool is_management_get(const HttpRequest& request) {
    if (request.method != "GET") return false;
    for (const QueryParam& p : parse_query(request.query()))
        if (p.name == "api-version") return true;
    return false;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: {
                unsigned char u = static_cast<unsigned char>(c);
                out += (u < 0x20 && c != '\t' && c != '\n' && c != '\r') ? '?' : c;
            }
        }
    }
    return out;
}

std::string runtime_info_entry(const RuntimeInfo& info, std::string_view self) {
    std::string created = format_utc(info.created_at);
    std::string updated = format_utc(info.updated_at);
    std::string s = xml_escape(self);
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<entry xmlns=\"{atom}\">"
        "<id>{self}</id>"
        "<title type=\"text\">{title}</title>"
        "<published>{created}</published>"
        "<updated>{updated}</updated>"
        "<link rel=\"self\" href=\"{self}\"/>"
        "<content type=\"application/xml\">"
        "<HybridConnectionDescription xmlns=\"{connect}\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">"
        "<CreatedAt>{created}</CreatedAt>"
        "<UpdatedAt>{updated}</UpdatedAt>"
        "<RequiresClientAuthorization>{auth}</RequiresClientAuthorization>"
        "<ListenerCount>{listeners}</ListenerCount>"
        "</HybridConnectionDescription>"
        "</content>"
        "</entry>",
        fmt::arg("atom", kAtomNs), fmt::arg("self", s), fmt::arg("title", xml_escape(info.path)),
        fmt::arg("created", created), fmt::arg("updated", updated), fmt::arg("connect", kConnectNs),
        fmt::arg("auth", info.requires_client_authorization ? "true" : "false"),
        fmt::arg("listeners", info.listener_count));
}

std::string management_error_body(int status, std::string_view detail) {
    return fmt::format("<Error><Code>{}</Code><Detail>{}</Detail></Error>", status,
                       xml_escape(clean_reason(status, detail)));
}

}  // namespace hyco::relay
