// See source_address.h.
#include "core/io/source_address.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "core/base/text.h"

namespace hyco {

Result<SourceAddress> parse_source_address(std::string_view text, const std::string& option) {
    SourceAddress s;
    s.text = std::string(text);
    std::string host(text);
    bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';  // IPv6 only, as in URLs
    if (bracketed) host = host.substr(1, host.size() - 2);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&s.addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&s.addr);
    if (!bracketed && ::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        s.len = sizeof(sockaddr_in);
        s.family = AF_INET;
        return s;
    }
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        s.len = sizeof(sockaddr_in6);
        s.family = AF_INET6;
        return s;
    }
    return make_error(Exit::usage, option + " " + text::quote(std::string(text)),
                      "expected an IPv4 or IPv6 address of this host, such as 192.0.2.7 or 2001:db8::7");
}

Status bind_source(int fd, int family, const SourceAddress& source) {
    if (family != source.family)
        return make_error(Exit::failure, "source address " + source.text,
                          family == AF_INET6 ? "it is IPv4 and the destination is IPv6"
                                             : "it is IPv6 and the destination is IPv4");
    // Without this, bind() would choose the port alone, among the ports no
    // socket of this address holds: at most one connection per port, to any
    // destination. connect() chooses with the destination known.
    int one = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&source.addr), source.len) != 0)
        return make_error(Exit::failure, "source address " + source.text, std::strerror(errno));
    return {};
}

}  // namespace hyco
