// The copier's view of one endpoint: a byte stream that opens (possibly
// asynchronously), delivers bytes until end of input, accepts bytes until
// its write side is closed, and can pause reading for backpressure.
// Implementations here: fd_endpoint (stdio, sockets, commands) and
// relay_stream (a relay WebSocket); hyco-pipe adds its own (memory, UDP
// flows, HTTP exchanges).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/stream/stream_end.h"

namespace hyco {

struct WsClose;

class Stream {
public:
    /// What a stream reports; the copier implements it. Calls may arrive
    /// from lws callbacks; implementations must not throw.
    class Events {
    public:
        virtual ~Events() = default;
        /// The stream is open: reads and writes may begin.
        virtual void opened(Stream&) = 0;
        virtual void data(Stream&, std::string_view bytes) = 0;
        /// End of input, after all data was delivered.
        virtual void read_end(Stream&) = 0;
        /// The write queue went below its low-water mark (resume the producer).
        virtual void drained(Stream&) = 0;
        /// The write side is finished: flushed after close_write(), or the
        /// consumer went away (EPIPE, a peer's Close). Not an error.
        virtual void write_end(Stream&) = 0;
        /// Opening failed, or the stream broke mid-way (a write error, the
        /// relay connection lost). Terminal: no further events.
        virtual void failed(Stream&, const Error& error) = 0;
        /// The stream ended the conversation on purpose (a message limit
        /// reached): the session ends now, cleanly, with what moved so far.
        virtual void concluded(Stream&) = 0;
    };

    virtual ~Stream() = default;

    /// Starts opening; reports opened() or failed(), never synchronously.
    virtual void open(Events& events) = 0;
    /// Queues bytes. Producers stop when writable() is false and resume on drained().
    virtual void write(std::string_view bytes) = 0;
    virtual bool writable() const = 0;
    /// No more bytes will be written: half-close once the queue is flushed.
    virtual void close_write() = 0;
    /// Stops (true) or resumes (false) delivery of data.
    virtual void pause(bool paused) = 0;
    /// Input is not wanted any more (one-way modes, consumer gone).
    virtual void close_read() = 0;
    /// The session is about to conclude: an input that already ended but
    /// was not yet polled (</dev/null) reports its end now, so the peer
    /// still learns that our data was complete.
    virtual void poll_input() {}
    /// Every byte this stream delivered has been written out downstream
    /// and that side closed: a relay acknowledges the peer's end record.
    virtual void input_delivered() {}
    /// Whether everything given to write() was written before the write
    /// side closed (false: the consumer went away first).
    virtual bool all_written() const { return true; }
    /// Whether the consumer of this stream's output going away (stdout
    /// closed, `| head -1`) ends the whole session rather than only the
    /// direction that writes to it: nothing else is wanted from a pipeline
    /// whose reader left. A command closing its stdin is not that.
    virtual bool reader_gone_ends_session() const { return false; }
    /// Whether close_write() should wait for the source's exit status
    /// (a relay peer that carries it in its end record).
    virtual bool wants_exit_status() const { return false; }
    /// The exit status of the command whose output this stream carried;
    /// called before close_write().
    virtual void end_status(eos::RemoteExit exit) { (void)exit; }
    /// After read_end: reports the command's exit status once it exited
    /// (nullopt for streams that are not commands).
    virtual void when_exited(std::function<void(std::optional<eos::RemoteExit>)> fn) { fn(std::nullopt); }
    /// Finished before its partner, whose own ending depends on the verdict
    /// (a TCP peer gets a reset when the relay stream failed).
    virtual bool settles_first() const { return false; }
    /// The session failed for `why` and is about to finish: a stream that
    /// can still tell its peer (an HTTP exchange answering 502) does so.
    virtual void session_failed(const Error& why) { (void)why; }
    /// A relay stream's WebSocket Close once the connection ended (for
    /// --json's close code); nullptr for other streams or before the end.
    virtual const WsClose* relay_close() const { return nullptr; }
    /// For logs: the peer or resource, e.g. "127.0.0.1:5432" or "pid 1234".
    virtual std::string describe() const = 0;
    /// The session is over: release resources and report a final verdict
    /// (a command's exit status) through `done`, possibly later. `clean`:
    /// both directions finished normally (else stop a command at once).
    virtual void finish(bool clean, std::function<void(Status)> done) {
        (void)clean;
        done({});
    }
};

}  // namespace hyco
