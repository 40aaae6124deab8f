// One relayed WebSocket seen as a byte stream in each direction, with the
// one end-of-stream policy (stream_end.h) applied: hyco-send, hyco-listen
// and hyco-pipe all move data through a RelayLink, so "exit 0 means every
// byte arrived" is decided here and nowhere else.
//
// With end records (both peers are hyco): data goes in binary messages;
// end_output() sends our end record, delivered() our acknowledgement of
// the peer's, and our Close follows once both are out. The verdict is
// success only if the peer's end record matched what arrived and its
// acknowledgement matched what we sent, whatever close codes the relay
// delivers. Without them (any other peer): a Close with a normal code is
// the peer's end of data, any other code is an error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/stream/stream_end.h"
#include "core/ws/ws_client.h"

namespace hyco {

class RelayLink final : private WsClient::Events {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void link_open(RelayLink&) {}
        /// Data (never a record); `final` ends one message.
        virtual void link_data(RelayLink&, std::string_view piece, bool final) = 0;
        virtual void link_drained(RelayLink&) {}
        /// The peer sends no more, and (with records) every byte it sent arrived.
        virtual void link_input_end(RelayLink&) = 0;
        /// Terminal, once: how the connection ended and the verdict on the
        /// whole stream. Do not destroy the link inside it (defer).
        virtual void link_closed(RelayLink&, const WsClose& close, const Status& verdict) = 0;
    };

    /// `what` names the connection in errors ("connection", "relay-connect:db").
    RelayLink(EventLoop& loop, Events& events, WsTarget target, WsTimeouts timeouts, std::string what);
    ~RelayLink() override;
    RelayLink(const RelayLink&) = delete;
    RelayLink& operator=(const RelayLink&) = delete;

    void connect();
    /// Queues data. With records every message is binary (the byte stream is exact).
    void send(Fragment fragment);
    /// Our data ended completely; `exit` is the command's status, if a command produced it.
    void end_output(std::optional<eos::RemoteExit> exit = std::nullopt);
    /// Everything the peer sent has been delivered downstream.
    void delivered();
    /// We want no more of the peer's data (our consumer went away): read on
    /// and discard. The peer learns it missed nothing only if it wasn't cut.
    void discard_input();
    /// We end the conversation on purpose (a message limit, --wait): the
    /// missing rest of either direction is not a failure.
    void conclude();
    /// Our side failed or was interrupted: Close with an error `code`; `why` is the verdict.
    void fail(Error why, int code, std::string reason);
    /// Ends the connection now; `why` (if any) becomes the verdict.
    void abort(std::optional<Error> why = std::nullopt);
    void receive(bool on) { ws_->receive(on); }

    bool records() const { return records_; }
    bool is_open() const { return ws_->is_open(); }
    bool writable() const { return ws_->writable(); }
    bool output_ended() const { return end_requested_; }
    /// The peer's data has ended (its record, or a normal Close).
    bool input_ended() const { return input_ended_; }
    std::uint64_t bytes_sent() const { return sent_; }
    std::uint64_t bytes_received() const { return received_; }
    /// The application subprotocol (hyco's own are not shown).
    std::string subprotocol() const;
    /// The peer's command status, from its end record.
    const std::optional<eos::RemoteExit>& remote_exit() const { return remote_exit_; }
    WsClient& ws() { return *ws_; }

private:
    void ws_open(WsClient&) override;
    void ws_data(WsClient&, std::string_view piece, bool final, bool binary) override;
    void ws_drained(WsClient&) override;
    void ws_peer_closed(WsClient&, int code, const std::string& reason) override;
    void ws_closed(WsClient&, const WsClose& close) override;

    void on_record(std::string_view text);
    void send_ack();
    void protocol_error(std::string why);
    void maybe_close();
    void set_failure(Error e);
    Status verdict(const WsClose& close) const;
    std::string missing() const;

    Events& events_;
    std::unique_ptr<WsClient> ws_;
    std::string what_;
    bool records_ = false;
    std::uint64_t sent_ = 0;
    std::uint64_t received_ = 0;
    std::vector<Fragment> early_;     ///< data queued before the connection opened
    std::string record_;              ///< a text message being received (records mode)
    bool end_requested_ = false;      ///< our data ended (record or Close queued)
    bool ack_sent_ = false;
    bool input_ended_ = false;
    std::optional<std::uint64_t> peer_ack_;  ///< the bytes the peer's acknowledgement confirms
    bool discarding_ = false;
    bool concluded_ = false;
    std::optional<eos::RemoteExit> remote_exit_;
    std::optional<eos::RemoteExit> pending_exit_;  ///< end_output() before the connection opened
    std::optional<Error> failure_;
};

}  // namespace hyco
