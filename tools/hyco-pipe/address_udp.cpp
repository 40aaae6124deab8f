// Datagrams: udp: and udp-listen:, with their `,idle=DURATION` option.
#include <fmt/format.h>

#include "core/base/duration.h"
#include "tools/hyco-pipe/address_families.h"
#include "tools/hyco-pipe/address_family.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/udp_endpoint.h"

namespace hyco::pipe::family {
namespace {

Status parse_udp_argument(const AddressType& type, std::string_view text, std::string_view arg, Address& a,
                          bool listening) {
    auto st = take_options(arg, [&](const Option& o) -> Status {
        if (o.key != "idle") return bad(text, fmt::format("unknown option '{}' (expected {})", o.word, type.syntax));
        auto d = parse_duration(o.value);
        if (!d) return bad(text, "idle: " + d.error().message());
        if (d->count() <= 0) return bad(text, "idle: must be longer than zero");
        a.idle = *d;
        return {};
    });
    if (st) st = parse_host_port(text, arg, listening, a);
    if (st && listening && a.host.empty()) a.host = "127.0.0.1";
    return with_syntax(type, st);
}

Status parse_udp(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    return parse_udp_argument(type, text, arg, a, false);
}

Status parse_udp_listen(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    return parse_udp_argument(type, text, arg, a, true);
}

std::unique_ptr<Stream> open_udp(EventLoop& loop, const PipeConfig&, const Address& a) {
    return make_udp_endpoint(loop, a);
}

Result<std::unique_ptr<Acceptor>> open_udp_listen(EventLoop& loop, const PipeConfig&, const Address& a,
                                                  const Log& log, AcceptedFn accepted, AcceptFailedFn) {
    return open_udp_acceptor(loop, a, log, std::move(accepted));
}

}  // namespace

std::vector<AddressType> udp() {
    return {
        {AddressKind::udp, "udp", {"udp-connect"}, "udp:HOST:PORT[,idle=DURATION]",
         "Send datagrams to a UDP port and read its answers; each write is one datagram, and each datagram read "
         "is one piece of the stream (one relay message). UDP has no end: the flow ends after DURATION without "
         "a datagram either way (default 60 s) or when the other side ends.",
         false, true, false, parse_udp, open_udp, nullptr},
        {AddressKind::udp_listen, "udp-listen", {"udp-l"}, "udp-listen:[HOST:]PORT[,idle=DURATION]",
         "Receive datagrams on PORT (HOST defaults to 127.0.0.1): each client address is its own flow with a "
         "fresh instance of the other address, and answers go back to it. A flow ends after DURATION without "
         "a datagram (default 60 s); the next datagram from that address starts a new one. Datagrams that "
         "arrive while a flow cannot take them are dropped, as a full socket buffer would.",
         true, true, false, parse_udp_listen, nullptr, open_udp_listen},
    };
}

}  // namespace hyco::pipe::family
