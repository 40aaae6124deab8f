// The sender and listener steps, over core's WebSocket client on one event
// loop: open the connection the real tools would open, time it, optionally
// bounce one message off an echoing listener, and close cleanly.
#pragma once

#include <chrono>

#include "core/io/event_loop.h"
#include "core/relay/client_config.h"
#include "tools/hyco-probe/step.h"

namespace hyco::probe {

/// Connects as a sender (Action::connect); with `echo`, sends one text
/// message and waits for the same text back (`hyco-listen -e cat`).
StepResult check_sender(EventLoop& loop, const RelayTarget& target, const ClientOptions& client, bool echo,
                        const LogSink& log);

/// Opens a listener control channel (Action::listen): the relay accepts the
/// token and the entity, then the channel is closed with 1000.
StepResult check_listener(EventLoop& loop, const RelayTarget& target, const ClientOptions& client, const LogSink& log);

}  // namespace hyco::probe
