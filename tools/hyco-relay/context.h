// What the relay's parts (connections and their roles) may ask of the relay
// that owns them: its configuration, registry and loop, other connections
// by id, logging, and the few hand-overs between roles. Relay (relay.h)
// implements it; the parts include only this, so that the relay depends on
// its parts and never the other way round (no include or call cycle).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <libwebsockets.h>

#include "tools/hyco-relay/config.h"
#include "tools/hyco-relay/registry.h"

namespace hyco {
class EventLoop;
}

namespace hyco::relay {

class Conn;
class Handler;

class Context {
public:
    virtual const Config& config() const = 0;
    virtual Registry& registry() = 0;
    virtual EventLoop& loop() const = 0;

    virtual Conn* find(std::uint64_t id) const = 0;
    /// Diagnostics on stderr, "hyco-relay: ..."; verbose() only with --verbose.
    virtual void log(std::string_view message) const = 0;
    virtual void verbose(std::string_view message) const = 0;
    bool is_verbose() const { return config().verbose; }

    /// Keeps a replaced handler alive until the current callback returns.
    virtual void retire(std::unique_ptr<Handler> handler) = 0;
    /// Re-runs a connection's handler after the current callback (resume).
    virtual void kick(Conn& conn) = 0;
    /// Hands a kept-alive connection back to request-head reading (after an
    /// HTTP exchange), so that the gateway need not know the dispatcher.
    virtual void read_next_request(Conn& conn) = 0;

    /// ws://host:port or wss://host:port as clients reach this relay.
    virtual std::string base_url(bool websocket) const = 0;
    /// The status report: entities, listeners, open connections (JSON).
    virtual std::string status_json() const = 0;

    /// An accepted connection's own lws events (from Conn::on_lws).
    virtual int on_conn_event(Conn& c, lws_callback_reasons reason, void* in, std::size_t len) = 0;

protected:
    ~Context() = default;
};

}  // namespace hyco::relay
