// One relay WebSocket as a Stream, over the core's RelayLink (which owns
// the end-of-stream rules). Outgoing bytes leave as binary messages (one
// per chunk read); incoming messages, binary or text, are written out as
// bytes. Both directions half-close independently.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/io/event_loop.h"
#include "core/stream/relay_link.h"
#include "core/stream/stream.h"

namespace hyco {

class RelayStream final : public Stream, private RelayLink::Events {
public:
    /// `what` names the connection in errors ("relay-connect:db").
    RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what, bool sender);
    ~RelayStream() override;

    /// Datagram flows: deliver each incoming message whole, in one data().
    void whole_messages() { whole_messages_ = true; }

    void open(Stream::Events& events) override;
    void write(std::string_view bytes) override;
    bool writable() const override;
    void close_write() override;
    void pause(bool paused) override;
    void close_read() override;
    void input_delivered() override;
    bool wants_exit_status() const override { return link_->records(); }
    void end_status(eos::RemoteExit exit) override { exit_ = exit; }
    bool settles_first() const override { return true; }
    const WsClose* relay_close() const override { return closed_ ? &close_ : nullptr; }
    std::string describe() const override { return what_; }
    void finish(bool clean, std::function<void(Status)> done) override;

private:
    void link_open(RelayLink&) override;
    void link_data(RelayLink&, std::string_view piece, bool final) override;
    void link_drained(RelayLink&) override;
    void link_input_end(RelayLink&) override;
    void link_closed(RelayLink&, const WsClose& close, const Status& verdict) override;
    Error open_error(const WsClose& close) const;

    EventLoop& loop_;
    std::unique_ptr<RelayLink> link_;
    Stream::Events* events_ = nullptr;
    std::string what_;
    bool sender_;
    std::optional<eos::RemoteExit> exit_;
    WsClose close_;
    bool opened_ = false;
    bool closed_ = false;
    bool read_ended_ = false;
    bool write_ended_ = false;
    bool read_closed_ = false;
    bool paused_ = false;
    bool finishing_ = false;
    bool whole_messages_ = false;
    std::string message_;  ///< whole_messages: the pieces so far
    std::function<void(Status)> finish_done_;
    Timer finish_timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hyco
