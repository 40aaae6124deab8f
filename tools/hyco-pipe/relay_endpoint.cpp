// relay-connect: and relay-listen: (see relay_endpoint.h).
#include "tools/hyco-pipe/relay_endpoint.h"

#include "core/client_config.h"
#include "core/crypto.h"
#include "core/duration.h"
#include "core/stream_end.h"
#include "tools/hyco-pipe/relay_stream.h"

namespace hyco::pipe {

std::unique_ptr<Stream> make_relay_connect_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a) {
    RelayTarget target = *config.relay;
    target.entity = a.path;
    UriParams params;
    params.id = crypto::uuid4();
    // A fresh token per connection: long-running forwarders outlive any one token.
    WsTarget ws = relay_ws_target(target, Action::connect, params, config.client, unix_now());
    ws.subprotocols = eos::offer(config.client.subprotocols);
    return std::make_unique<RelayStream>(loop, std::move(ws), config.client.timeouts, a.text, true);
}

}  // namespace hyco::pipe
