// Fuzz target: proxy URLs, NO_PROXY lists and proxies' answers to CONNECT.
// The first line is a proxy URL, the second a NO_PROXY list, the rest an
// answer head.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/http/http_response_head.h"
#include "core/http/proxy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::size_t nl = in.find('\n');
    std::string_view url = in.substr(0, nl);
    std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    std::size_t nl2 = rest.find('\n');
    std::string_view no_proxy = rest.substr(0, nl2);
    std::string_view answer = nl2 == std::string_view::npos ? std::string_view() : rest.substr(nl2 + 1);

    auto proxy = hyco::parse_proxy_url(url);
    (void)hyco::parse_proxy_user(url);
    (void)hyco::no_proxy_matches(no_proxy, url);
    (void)hyco::no_proxy_matches(no_proxy, "10.1.2.3");
    (void)hyco::no_proxy_matches(no_proxy, "ns.servicebus.windows.net");
    if (proxy) {
        (void)proxy->label();
        (void)hyco::connect_request(*proxy, "ns.servicebus.windows.net", 443);
        auto r = hyco::parse_response_head(answer);
        if (r.state == hyco::ResponseHeadResult::State::complete)
            (void)hyco::check_connect_answer(r.head, *proxy, "ns.servicebus.windows.net", 443);
    }
    return 0;
}
