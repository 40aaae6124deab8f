// The copier of hyco-send and hyco-listen: joins one byte-stream endpoint
// (FdStream) and one relayed WebSocket (RelayLink), framing bytes into
// messages one way and messages into bytes the other, with backpressure
// both ways, half-close both ways (end of input ends our side; the peer's
// end ends our output while input still flows), a linger limit and a
// message limit. How the stream ended is judged by RelayLink alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/fd_stream.h"
#include "core/stream/framing.h"
#include "core/stream/relay_link.h"

namespace hyco {

struct SessionOptions {
    Framing framing = Framing::text;
    bool close_on_eof = true;             ///< end of input ends our side (else keep receiving)
    /// Empty input (stdin at /dev/null) means "receive only": our side ends
    /// with the peer's. For hyco-listen on stdio; a sender or a child that
    /// ends without a byte still ends its side.
    bool empty_input_receives = false;
    std::chrono::milliseconds linger{0};  ///< after our Close, wait this long for the peer's (0: for ever)
    std::uint64_t max_messages = 0;       ///< close after receiving this many (0: no limit)
    bool read_input = true;               ///< false: never read the endpoint (messages come from elsewhere)
    bool output_close_ends = true;        ///< the consumer closing (EPIPE) ends the session; false for children
    /// The command behind the endpoint (hyco-listen -e): with end records,
    /// our side ends once it has exited, carrying its status to the peer.
    pid_t child = -1;
    /// Sees every payload, `outgoing` (endpoint -> WebSocket) or not: -X, --textdump.
    std::function<void(bool outgoing, std::string_view bytes)> tap;
};

/// Bytes moved so far, for progress meters and logs.
struct SessionCounters {
    std::uint64_t bytes_out = 0;  ///< endpoint -> WebSocket (input bytes as read, or -m text)
    std::uint64_t bytes_in = 0;   ///< WebSocket -> endpoint
    std::uint64_t messages_in = 0;
};

class Session final : public FdStream::Events, public RelayLink::Events {
public:
    using Done = std::function<void(Session&, const Status&)>;

    /// `stream_fds`: read and write descriptors handed to an FdStream.
    /// `on_done` runs once, after the WebSocket closed and output is flushed.
    Session(EventLoop& loop, SessionOptions options, WsTarget target, WsTimeouts timeouts, int read_fd,
            int write_fd, std::string endpoint_name, Done on_done);
    ~Session() override;

    /// Connects the WebSocket; input is read once it is open.
    Status start();
    /// Queues a whole message (for -m); sent once the connection is open.
    void send_message(std::string text, bool binary);
    /// Ends the conversation on purpose (--wait expired): output stops, our
    /// side ends, and the peer gets --linger (or 2 s) to answer.
    void finish();
    /// Ctrl-C: close the WebSocket with an error code, stop reading input.
    void interrupt();

    /// Runs when the WebSocket opens (after queued messages went out).
    void on_open(std::function<void()> fn) { on_open_ = std::move(fn); }
    const SessionCounters& counters() const { return counters_; }
    /// How the WebSocket ended (valid once done).
    const WsClose& last_close() const { return last_close_; }
    bool open() const { return link_->is_open(); }
    RelayLink& link() { return *link_; }
    /// The command's wait status, when this session reaped it.
    std::optional<int> child_status() const { return child_status_; }

private:
    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_read_failed(FdStream&, const Error& error) override;
    void stream_drained(FdStream&) override;
    void stream_write_closed(FdStream&, const Error* error) override;
    void link_open(RelayLink&) override;
    void link_data(RelayLink&, std::string_view piece, bool final) override;
    void link_drained(RelayLink&) override;
    void link_input_end(RelayLink&) override;
    void link_closed(RelayLink&, const WsClose& close, const Status& verdict) override;

    void send_fragments(std::vector<Fragment>& fragments);
    void input_failed(Error error, std::string close_reason);
    void begin_close();
    void await_child();
    void conclude();
    void maybe_done();

    EventLoop& loop_;
    SessionOptions options_;
    std::unique_ptr<FdStream> stream_;
    std::unique_ptr<RelayLink> link_;
    MessageSplitter splitter_;
    TextCheck text_check_;
    Done on_done_;
    std::function<void()> on_open_;
    WsClose last_close_;
    SessionCounters counters_;
    Timer linger_;
    Timer child_poll_;
    std::chrono::milliseconds child_poll_delay_{1};
    std::vector<Fragment> pending_messages_;
    std::optional<Status> ws_result_;
    std::optional<Error> failure_;  ///< our own side failed (output or input error)
    std::optional<int> child_status_;
    std::string early_input_;       ///< input read before the connection opened
    bool early_eof_ = false;
    std::uint64_t handed_out_ = 0;  ///< bytes given to the endpoint to write
    bool input_ended_ = false;
    bool ending_ = false;           ///< our side is ending (begin_close ran)
    bool output_closing_ = false;   ///< the peer's data ended: the endpoint flushes and closes
    bool concluded_ = false;        ///< we ended the conversation: nothing more is written
    bool output_done_ = false;
    bool done_ = false;
};

}  // namespace hyco
