// One relayed HTTP request as a Stream, so that relay-listen: serves HTTP
// senders too: the request is read out as HTTP/1.1 (the entity's prefix
// taken off the path, hop-by-hop fields replaced by our own framing and
// "Connection: close", X-Forwarded-* added), and the bytes written in are
// parsed as the target's HTTP/1.1 response and relayed back. A target that
// cannot be reached or does not answer in HTTP gives the sender a 502.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/http/http_body.h"
#include "core/io/event_loop.h"
#include "core/relay/relayed_http.h"
#include "tools/hyco-pipe/http_translate.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

class HttpStream final : public Stream, private RelayedHttp::Events {
public:
    HttpStream(EventLoop& loop, control::Request request, std::string body, RelayedHttp::ChannelSend channel,
               WsTimeouts timeouts, std::chrono::milliseconds deadline, std::string entity);
    ~HttpStream() override;

    void open(Stream::Events& events) override;
    void write(std::string_view bytes) override;
    bool writable() const override;
    void close_write() override;
    void pause(bool paused) override;
    void close_read() override;
    void session_failed(const Error& why) override;
    std::string describe() const override;
    void finish(bool clean, std::function<void(Status)> done) override;

    /// Largest response head accepted from the target.
    static constexpr std::size_t kMaxResponseHead = 32 * 1024;

private:
    void http_request(RelayedHttp&, const control::Request& request) override;
    void http_body(RelayedHttp&, std::string_view piece) override;
    void http_body_end(RelayedHttp&) override;
    void http_drained(RelayedHttp&) override;
    void http_done(RelayedHttp&, const Status& status) override;

    bool write_head(BodyFraming framing);
    void deliver();
    void parse_head();
    void feed_body(std::string_view bytes);
    void bad_gateway(const std::string& why);

    Stream::Events* events_ = nullptr;
    RelayedHttp http_;
    std::string entity_;
    control::Request request_;    ///< the full form, once it arrived
    std::string held_;            ///< a small request body, held to send it with a Content-Length
    bool head_written_ = false;
    bool refused_ = false;        ///< the request cannot be written: answered 400
    std::string out_;             ///< request bytes waiting for the copier
    bool chunked_ = false;        ///< the request body is sent chunked
    bool paused_ = true;          ///< the copier pauses a stream until both are open
    bool opened_ = false;
    bool read_closed_ = false;
    std::string in_;              ///< response head bytes so far
    bool head_done_ = false;
    bool response_ended_ = false;
    http::BodyDecoder body_;
    bool done_ = false;
    bool finishing_ = false;
    std::function<void(Status)> finish_done_;
};

}  // namespace hyco::pipe
