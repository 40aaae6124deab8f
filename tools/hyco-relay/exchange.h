// An HTTP exchange as the listener's side reaches it, by its id in the
// registry: the control channel and HTTP rendezvous sockets deliver the
// response and its body, a rendezvous joins it, and a channel that goes
// away fails it. HttpExchange (http_exchange.h) implements it; the
// listener-side roles include only this, so that the exchange may use the
// control channel without the channel depending on the exchange.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/relay/control_message.h"

namespace hyco::relay {

class Conn;

class Exchange {
public:
    /// The sender's connection id.
    virtual std::uint64_t sender() const = 0;
    /// A listener connected to this exchange's rendezvous address; false if
    /// one already did.
    virtual bool on_rendezvous(Conn& rendezvous) = 0;
    virtual void on_response(const control::Response& response, Conn& channel) = 0;
    virtual void on_body_data(std::string_view data, Conn& channel) = 0;
    virtual void on_body_end() = 0;
    /// The control channel or rendezvous carrying this exchange went away.
    virtual void on_channel_lost(std::uint64_t channel) = 0;

protected:
    ~Exchange() = default;
};

}  // namespace hyco::relay
