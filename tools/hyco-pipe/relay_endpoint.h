// Relay streams: a WebSocket (the client core's WsClient) carrying the
// stream as binary messages, with no framing of our own. relay-connect:
// opens a sender connection per session; relay-listen: is an acceptor whose
// every accepted rendezvous connection is one stream.
#pragma once

#include <memory>

#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/log.h"
#include "core/relay/relay_stream.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

/// A fresh sender connection to the address's Hybrid Connection, as it is.
std::unique_ptr<RelayStream> make_relay_sender(EventLoop& loop, const PipeConfig& config, const Address& a);
/// relay-connect: a sender connection; each message one datagram opposite udp:.
std::unique_ptr<Stream> make_relay_connect_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a);

/// A listener on the address's Hybrid Connection.
Result<std::unique_ptr<Acceptor>> open_relay_acceptor(EventLoop& loop, const PipeConfig& config, const Address& a,
                                                      const Log& log, Acceptor::Accepted accepted,
                                                      Acceptor::Failed failed);

}  // namespace hyco::pipe
