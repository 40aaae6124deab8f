// relay-connect: and relay-listen: (see relay_endpoint.h).
#include "tools/hyco-pipe/relay_endpoint.h"

#include "core/auth/crypto.h"
#include "core/base/duration.h"
#include "core/relay/client_config.h"
#include "core/stream/stream_end.h"
#include "core/relay/relay_stream.h"

namespace hyco::pipe {

std::unique_ptr<RelayStream> make_relay_sender(EventLoop& loop, const PipeConfig& config, const Address& a) {
    RelayTarget target = *config.relay;
    target.entity = a.path;
    UriParams params;
    params.id = crypto::uuid4();
    // A fresh token per connection: long-running forwarders outlive any one token.
    WsTarget ws = relay_ws_target(target, Action::connect, params, config.client, unix_now());
    ws.subprotocols = eos::offer(config.client.subprotocols);
    return std::make_unique<RelayStream>(loop, std::move(ws), config.client.timeouts, a.text, RelayStreamOptions{});
}

std::unique_ptr<Stream> make_relay_connect_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a) {
    auto stream = make_relay_sender(loop, config, a);
    if (const Address* other = config.partner(a); other && other->is_udp()) stream->whole_messages();
    return stream;
}

}  // namespace hyco::pipe
