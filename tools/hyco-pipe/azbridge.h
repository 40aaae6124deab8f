// Wire compatibility with Microsoft's Azure Relay Bridge (azbridge), so a
// hyco-pipe can stand in for either end of an azbridge deployment.
//
// azbridge opens every relay connection with a preamble: the sender (-L)
// writes [1, 0, MODE, LEN] and LEN bytes of UTF-8 port name (MODE 0: a
// stream, 1: datagrams), and the listener (-R) answers [1, 0, MODE] when it
// has a forward of that name and kind. It answers [0, 0, 0] to another
// version, [0, 0, 1] to a stream for a UDP forward, [0, 0, 255] to
// datagrams for a stream forward, and closes without a word when no forward
// has the name. In datagram mode each datagram then travels with a 2-byte
// big-endian length in front. See docs/design.md "azbridge".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/log.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

/// Whether connections through `a` (a forward, or the address opposite a
/// relay-connect) are azbridge datagram flows.
bool azbridge_datagram(const Address& a);

/// The port name a relay address with ,azbridge uses: its own NAME, or
/// azbridge's default from `other` (a listening port for relay-connect,
/// a target port for relay-listen; with U for UDP). Errors: Exit::usage.
Result<std::string> azbridge_port_name(const Address& relay, const Address* other);

/// Startup checks of the azbridge options of an address pair.
Status check_azbridge(const Address& first, const Address& second);

/// relay-connect:...,azbridge: `relay` asks for port `name` before the stream begins.
std::unique_ptr<Stream> make_azbridge_connect(EventLoop& loop, std::unique_ptr<Stream> relay, std::string name,
                                              bool datagram);
/// The same over a fresh sender connection for address `a`, with its port
/// name and mode from `a` and its partner.
std::unique_ptr<Stream> make_azbridge_relay_connect(EventLoop& loop, const PipeConfig& config, const Address& a);

/// relay-listen:...,azbridge: a relay acceptor whose connections are handed
/// on only once their preamble named a forward (Stream::forward_to()).
Result<std::unique_ptr<Acceptor>> open_azbridge_acceptor(EventLoop& loop, const PipeConfig& config,
                                                         const Address& a, const Log& log,
                                                         Acceptor::Accepted accepted, Acceptor::Failed failed);

}  // namespace hyco::pipe
