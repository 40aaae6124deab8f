// One relay WebSocket as a Stream, over the core's RelayLink (which owns
// the end-of-stream rules), with message framing as an overlay: outgoing
// bytes become messages (a chunk each, a line each, or one per write),
// incoming messages become bytes (with a separator after each, when the
// framing has one). Between hyco peers (end records) the bytes travel
// exactly, whatever the framing. Both directions half-close independently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/base/lifetime.h"
#include "core/io/event_loop.h"
#include "core/stream/framing.h"
#include "core/relay/relay_link.h"
#include "core/stream/stream.h"

namespace hyco {

struct RelayStreamOptions {
    /// hyco-pipe: binary (a message per chunk read, payloads written raw).
    Framing framing = Framing::binary;
    /// Each write() is one whole message (hyco-send -m).
    bool whole_writes = false;
    /// Without end records a Close ends both directions. `hold` keeps our
    /// end of input to ourselves until the peer's data ended (hyco-send
    /// --no-close, -m); `hold_if_empty` does so when we sent nothing
    /// (hyco-listen on stdio with nothing to say: receive only). With end
    /// records our end is a true half-close and goes at once, except with
    /// `after_peer`, which always waits (hyco-send -U: a peer command's
    /// stdin stays open while it talks).
    enum class EndOfInput { close, hold, hold_if_empty, after_peer } end_of_input = EndOfInput::close;
    /// Ends the conversation after this many messages arrived (0: no limit).
    std::uint64_t max_messages = 0;
    /// After our Close, how long the peer has to answer before the
    /// connection is cut (0: 30 s after a complete exchange, 2 s after one
    /// ended on purpose).
    std::chrono::milliseconds linger{0};
    /// Errors opening it are a sender's (no listener, rejected) rather
    /// than a listener's (the rendezvous failed).
    bool sender = true;
};

class RelayStream final : public Stream, private RelayLink::Events {
public:
    /// `what` names the connection in errors ("relay-connect:db").
    RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what, RelayStreamOptions options);
    ~RelayStream() override;

    /// Datagram flows: deliver each incoming message whole, in one data().
    void whole_messages() { whole_messages_ = true; }
    /// Sees every payload as it crosses the WebSocket, message by message,
    /// `outgoing` or not: -X, --textdump.
    using Tap = std::function<void(bool outgoing, std::string_view payload)>;
    void set_tap(Tap tap) { tap_ = std::move(tap); }

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
    void session_failed(const Error& why) override;
    const WsClose* relay_close() const override { return closed_ ? &close_ : nullptr; }
    std::string describe() const override { return what_; }
    void finish(bool clean, std::function<void(Status)> done) override;

    const RelayLink& link() const { return *link_; }
    std::uint64_t messages_received() const { return messages_in_; }

private:
    void link_open(RelayLink&) override;
    void link_data(RelayLink&, std::string_view piece, bool final) override;
    void link_drained(RelayLink&) override;
    void link_input_end(RelayLink&) override;
    void link_closed(RelayLink&, const WsClose& close, const Status& verdict) override;
    Error open_error(const WsClose& close) const;
    void send(Fragment f);
    void send_end();
    void fail_here(Error why, std::string reason);
    void not_text(const std::string& where);

    EventLoop& loop_;
    std::unique_ptr<RelayLink> link_;
    Stream::Events* events_ = nullptr;
    std::string what_;
    RelayStreamOptions options_;
    MessageSplitter splitter_;
    TextCheck text_check_;
    std::vector<Fragment> fragments_;  ///< reused: the splitter's output for one write
    std::optional<eos::RemoteExit> exit_;
    WsClose close_;
    std::uint64_t written_ = 0;     ///< bytes given to write()
    std::uint64_t messages_in_ = 0;
    bool opened_ = false;
    bool closed_ = false;
    bool read_ended_ = false;
    bool write_ended_ = false;      ///< close_write() was called
    bool end_held_ = false;         ///< ...and our end waits for the peer's
    bool read_closed_ = false;
    bool delivered_ = false;        ///< input_delivered() was called
    bool paused_ = false;
    bool finishing_ = false;
    bool failing_ = false;          ///< our error Close is out
    bool whole_messages_ = false;
    std::string message_;  ///< whole_messages: the pieces so far
    Tap tap_;
    std::function<void(Status)> finish_done_;
    Timer linger_;
    Timer finish_timer_;
    Lifetime alive_;
};

}  // namespace hyco
