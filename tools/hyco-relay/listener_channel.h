// A listener's control channel: registered on its entity, receives accept and
// request messages, answers renewToken, and is closed with 1008 when its
// token expires (after the grace period) without renewal, or with 1001 when
// it stays silent longer than --idle-timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "core/io/event_loop.h"
#include "core/relay/control_message.h"
#include "tools/hyco-relay/response_reader.h"

namespace hyco::relay {

class ListenerChannel : public ResponseReader {
public:
    ListenerChannel(Conn& conn, std::string entity, std::string listener_id, std::string request_host,
                   std::int64_t token_expiry);
    ~ListenerChannel() override;

    const char* kind() const override { return "listener"; }
    ListenerChannel* as_listener_channel() override { return this; }
    void on_input(Conn& conn) override;
    void on_closed(Conn& conn) override;

    /// Sends a control message (and a body as the next binary message,
    /// atomically: nothing can come between them).
    void send(const control::Message& message, const std::string* body = nullptr);
    /// Remembers an exchange sent here, to fail it if the channel goes away.
    void track(const std::string& exchange_id) { exchanges_.insert(exchange_id); }
    void untrack(const std::string& exchange_id) { exchanges_.erase(exchange_id); }

    /// Bytes queued toward a listener that does not read its channel are
    /// bounded: past this, new senders are not routed to it (503). Generous
    /// for bursts: 64 full-size requests (64 KiB each) fit.
    static constexpr std::size_t kQueueLimit = 4 * 1024 * 1024;
    bool backed_up() const { return conn_.queued() > kQueueLimit; }

    const std::string& entity() const { return entity_; }
    const std::string& listener_id() const { return listener_id_; }
    std::int64_t token_expiry() const { return expiry_; }

private:
    void on_text(std::string message) override;
    void arm_expiry();
    void arm_idle(std::chrono::milliseconds delay);
    void renew(const std::string& token);

    std::string entity_;
    std::string listener_id_;
    std::string request_host_;
    std::int64_t expiry_;
    std::unique_ptr<Timer> expiry_timer_;
    std::unique_ptr<Timer> idle_timer_;
    std::chrono::steady_clock::time_point last_heard_;
    std::set<std::string> exchanges_;
};

}  // namespace hyco::relay
