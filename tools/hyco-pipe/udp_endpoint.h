// udp: and udp-listen: as streams of datagrams. A UDP "connection" is a
// flow: one client address on udp-listen:, or the one socket of udp:.
// Every datagram read is one data() call and every write() one datagram,
// so a relay stream opposite carries one datagram per WebSocket message.
// UDP has no end of stream: a flow ends after its idle time without a
// datagram either way, or when the other side of the session ends.
#pragma once

#include <chrono>
#include <memory>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/log.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

/// A flow's idle time when the address names none (socat's and
/// azbridge's UDP flows also expire; azbridge waits 4 minutes).
inline constexpr std::chrono::seconds kUdpIdleDefault{60};

/// A fresh udp:HOST:PORT flow (its own socket, connected to the target).
std::unique_ptr<Stream> make_udp_endpoint(EventLoop& loop, const Address& a);

/// udp-listen: one socket; each new client address is accepted as a flow.
Result<std::unique_ptr<Acceptor>> open_udp_acceptor(EventLoop& loop, const Address& a, const Log& log,
                                                    Acceptor::Accepted accepted);

}  // namespace hyco::pipe
