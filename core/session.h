// The copier: joins one byte-stream endpoint (FdStream) and one WebSocket
// connection, framing bytes into messages one way and messages into bytes
// the other, with backpressure both ways, half-close both ways (end of input
// sends our Close; the peer's Close ends our output while input still
// flows), a linger limit and a message limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/event_loop.h"
#include "core/fd_stream.h"
#include "core/framing.h"
#include "core/ws_client.h"

namespace hyco {

struct SessionOptions {
    Framing framing = Framing::text;
    bool close_on_eof = true;             ///< end of input sends Close (else keep receiving)
    /// Empty input (stdin at /dev/null) means "receive only": no Close until
    /// the peer's. For hyco-listen on stdio; a sender or a child that ends
    /// without a byte still ends its side.
    bool empty_input_receives = false;
    std::chrono::milliseconds linger{0};  ///< after our Close, wait this long for the peer's (0: for ever)
    std::uint64_t max_messages = 0;       ///< close after receiving this many (0: no limit)
    bool read_input = true;               ///< false: never read the endpoint (messages come from elsewhere)
    bool output_close_ends = true;        ///< the consumer closing (EPIPE) ends the session; false for children
    /// Sees every payload, `outgoing` (endpoint -> WebSocket) or not: -X, --textdump.
    std::function<void(bool outgoing, std::string_view bytes)> tap;
};

/// Bytes moved so far, for progress meters and logs.
struct SessionCounters {
    std::uint64_t bytes_out = 0;  ///< endpoint -> WebSocket
    std::uint64_t bytes_in = 0;   ///< WebSocket -> endpoint
    std::uint64_t messages_in = 0;
};

class Session final : public FdStream::Events, public WsClient::Events {
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
    /// Ends the conversation on purpose (--wait expired): output stops, Close
    /// goes out, and the peer gets --linger (or 2 s) to answer it.
    void finish();
    /// Ctrl-C: close the WebSocket cleanly, stop reading input.
    void interrupt();

    /// Runs when the WebSocket opens (after queued messages went out).
    void on_open(std::function<void()> fn) { on_open_ = std::move(fn); }
    const SessionCounters& counters() const { return counters_; }
    /// How the WebSocket ended (valid once done).
    const WsClose& last_close() const { return last_close_; }
    bool open() const { return ws_->is_open(); }
    WsClient& ws() { return *ws_; }

private:
    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_read_failed(FdStream&, const Error& error) override;
    void stream_drained(FdStream&) override;
    void stream_write_closed(FdStream&, const Error* error) override;
    void ws_open(WsClient&) override;
    void ws_data(WsClient&, std::string_view piece, bool final, bool binary) override;
    void ws_drained(WsClient&) override;
    void ws_peer_closed(WsClient&, int code, const std::string& reason) override;
    void ws_closed(WsClient&, const WsClose& close) override;

    void send_fragments(std::vector<Fragment>& fragments);
    void begin_close();
    void conclude();
    void maybe_done();

    EventLoop& loop_;
    SessionOptions options_;
    std::unique_ptr<FdStream> stream_;
    std::unique_ptr<WsClient> ws_;
    MessageSplitter splitter_;
    Done on_done_;
    std::function<void()> on_open_;
    WsClose last_close_;
    SessionCounters counters_;
    Timer linger_;
    std::vector<Fragment> pending_messages_;
    std::optional<Status> ws_result_;
    std::optional<Error> failure_;  ///< our own side failed (output or input error)
    bool input_ended_ = false;
    bool concluded_ = false;        ///< we ended the conversation: nothing more is written
    bool output_done_ = false;
    bool done_ = false;
};

/// Judges how a WebSocket ended: Close 1000/1001/1005 and our own close are
/// normal; other close codes and failures are errors with a one-line reason.
/// (A Session also counts 1001 as a failure while its input still flowed.)
Status close_status(const WsClose& close, const std::string& what);

}  // namespace hyco
