// The listener's side of one relayed HTTP request (docs/protocol.md §3.4-3.8):
// the request arrives whole on the control channel or, in the pointer form,
// is fetched from its rendezvous; the response goes back on the control
// channel when it is small and quick (at most 64 KiB with its JSON, complete
// within 2 s, as .NET decides), otherwise over the rendezvous as one binary
// message streamed in fragments with backpressure. The rendezvous is closed
// with 1000 after the response: one rendezvous per request, like .NET.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/lifetime.h"
#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/relay/control_message.h"
#include "core/ws/ws_client.h"

namespace hyco {

class RelayedHttp final : private WsClient::Events {
public:
    class Events {
    public:
        virtual ~Events() = default;
        /// The request head (always the full form). Body pieces follow.
        virtual void http_request(RelayedHttp&, const control::Request& request) = 0;
        virtual void http_body(RelayedHttp&, std::string_view piece) = 0;
        /// The request body is complete (also right after a bodiless request).
        virtual void http_body_end(RelayedHttp&) = 0;
        /// The response can take more body bytes (after writable() was false).
        virtual void http_drained(RelayedHttp&) {}
        /// Terminal, once, never inside a call into RelayedHttp: the response
        /// was delivered (ok) or could not be. The owner may destroy it here.
        virtual void http_done(RelayedHttp&, const Status& status) = 0;
    };

    /// Sends a response on the control channel the request came on; false
    /// when that connection is gone (the rendezvous is used instead).
    using ChannelSend = std::function<bool(const control::Response&, const std::string* body)>;

    /// `body`: the body that followed a full-form request on the channel.
    /// `deadline`: give up when no response has begun by then.
    RelayedHttp(EventLoop& loop, Events& events, control::Request request, std::string body, ChannelSend channel,
                WsTimeouts timeouts, std::chrono::milliseconds deadline = kResponseDeadline);
    ~RelayedHttp() override;
    RelayedHttp(const RelayedHttp&) = delete;
    RelayedHttp& operator=(const RelayedHttp&) = delete;

    /// Delivers the request (deferred) or starts fetching it.
    void start();
    /// Stops (true) or resumes delivery of a request body from the rendezvous.
    void pause_body(bool paused);

    /// Starts the response. Call once, then write() and end().
    void respond(int status, std::string description, control::Headers headers);
    void write(std::string_view body);
    bool writable() const;
    /// The response is complete.
    void end();
    /// A whole response without a body (an error answer).
    void answer(int status, std::string description);
    /// Gives up: a response not yet sent is dropped, a streaming one cut off.
    void abort(const Error& why);
    /// Gives up, telling the sender `status` and `description` instead if
    /// nothing of the response has left yet; http_done reports `why`.
    void fail(const Error& why, int status, std::string description);

    bool finished() const { return done_; }

    /// Largest control-channel message, JSON and body, a response may use.
    static constexpr std::size_t kChannelLimit = control::kMaxMessageSize;
    /// A response not complete this long after its first byte is streamed.
    static constexpr std::chrono::milliseconds kBufferTime{2000};
    /// The service answers 504 when no response started within 60 s; a
    /// little later the exchange is given up here too, by default.
    static constexpr std::chrono::milliseconds kResponseDeadline{65000};

private:
    void ws_open(WsClient&) override;
    void ws_data(WsClient&, std::string_view piece, bool final, bool binary) override;
    void ws_drained(WsClient&) override;
    void ws_peer_closed(WsClient&, int code, const std::string& reason) override;
    void ws_closed(WsClient&, const WsClose& close) override;

    void connect_rendezvous();
    void go_streaming();
    void send_head_on_rendezvous();
    void flush_end();
    void close_rendezvous();
    void complete(const Status& status);
    control::Response response_message(bool body) const;

    EventLoop& loop_;
    Events& events_;
    control::Request request_;
    std::string channel_body_;        ///< full form: the body that followed on the channel
    std::string request_text_;        ///< pointer form: the request message, gathered
    ChannelSend channel_;
    WsTimeouts timeouts_;
    std::chrono::milliseconds deadline_;
    bool via_rendezvous_;             ///< the pointer form: everything on the rendezvous
    std::unique_ptr<WsClient> ws_;
    std::optional<control::Response> response_;
    std::string buffer_;              ///< response body held back for the channel
    std::size_t json_size_ = 0;       ///< of the response message
    bool streaming_ = false;          ///< the response goes over the rendezvous
    bool head_sent_ = false;
    bool fragment_sent_ = false;
    bool ended_ = false;              ///< end() was called
    bool request_seen_ = false;       ///< pointer form: the request message arrived
    bool body_open_ = false;          ///< pointer form: body pieces are arriving
    bool done_ = false;
    std::optional<Error> failure_;    ///< fail(): the verdict once the answer is out
    Timer buffer_timer_;
    Timer deadline_timer_;
    Lifetime alive_;
};

}  // namespace hyco
