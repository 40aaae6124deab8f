// WebSocket senders: the held upgrade waiting for a listener's accept or
// reject, and the two ends of an established bridge that forward frames
// one to one (opcode, FIN and length preserved) with per-direction Close.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/io/event_loop.h"
#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/ws_endpoint.h"

namespace hyco::relay {

/// A sender whose upgrade is held (no 101 yet) until a listener answers.
class PendingSender : public Handler {
public:
    PendingSender(Conn& conn, std::string rendezvous_id, std::string entity, std::string key,
                  std::string offered_protocols);
    ~PendingSender() override;

    void on_input(Conn& conn) override;
    void on_closed(Conn& conn) override;
    const char* kind() const override { return "sender-pending"; }
    PendingSender* as_pending_sender() override { return this; }

    /// The listener accepted on `listener` with `protocol`: answer both 101s
    /// and bridge them.
    void accept(Conn& listener, const std::string& protocol);
    /// The listener rejected: fail the held upgrade with its status.
    void reject(int status, const std::string& description);
    /// The relay turned the listener's rendezvous away (--max-connections):
    /// fail the held upgrade with 503 now rather than at the sender's timeout.
    void rendezvous_turned_away(int max_connections);
    /// The control channel that was sent the accept closed: unless the
    /// listener's rendezvous arrives within kListenerGoneGrace (it may have
    /// been on its way), the sender gets 502 instead of waiting the window.
    void listener_gone();
    static constexpr std::chrono::milliseconds kListenerGoneGrace{2000};

    const std::string& entity() const { return entity_; }

private:
    Conn& conn_;
    std::string id_;
    std::string entity_;
    std::string key_;
    std::string offered_;
    std::unique_ptr<Timer> timer_;
};

/// One end of an established bridge; `partner` is the other connection.
class BridgeEnd : public WsEndpoint {
public:
    BridgeEnd(Conn& conn, std::uint64_t partner, std::string role);
    void on_closed(Conn& conn) override;
    const char* kind() const override { return role_.c_str(); }
    BridgeEnd* as_bridge_end() override { return this; }
    /// The partner sent Close: pass it on, finish if this side closed too.
    void partner_closed(std::uint16_t code, const std::string& reason);

private:
    Conn* partner() const;
    void frame_begin(const ws::FrameHeader& h) override;
    void frame_data(std::string_view payload) override;
    void frame_end() override;
    void on_peer_close(std::uint16_t code, const std::string& reason) override;
    void on_protocol_error(std::uint16_t code, const std::string& why) override;

    std::uint64_t partner_;
    std::string role_;
};

}  // namespace hyco::relay
