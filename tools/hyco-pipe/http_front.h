// relay-http: an HTTP front for a Hybrid Connection. Local clients (curl, a
// browser) speak plain HTTP/1.1 to it; every request goes on to the
// entity's HTTP endpoint (https://NAMESPACE/ENTITY/..., http:// for a plain
// relay) with a freshly minted ServiceBusAuthorization token, and the
// response comes back. Bodies stream both ways with flow control; the local
// connection stays open between requests (keep-alive); each request uses
// its own relay connection. What the relay answers (404 no listener, 401)
// reaches the client as is; a relay that cannot be reached gives 502.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/base/lifetime.h"
#include "core/http/http_body.h"
#include "core/http/http_request_head.h"
#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/log.h"
#include "core/stream/stream.h"
#include "tools/hyco-pipe/upstream.h"

namespace hyco::pipe {

class HttpFront final : public Stream, private Upstream::Events {
public:
    HttpFront(EventLoop& loop, const PipeConfig& config, const Address& address);
    ~HttpFront() override;

    void open(Stream::Events& events) override;
    void write(std::string_view bytes) override;
    bool writable() const override;
    void close_write() override;
    void pause(bool paused) override;
    void close_read() override;
    std::string describe() const override;
    void finish(bool clean, std::function<void(Status)> done) override;

    /// Request bytes held while the previous response is still coming (pipelining).
    static constexpr std::size_t kMaxHeld = 64 * 1024;

private:
    void upstream_open() override;
    void upstream_data(std::string_view plain) override;
    void upstream_end() override;
    void upstream_failed(const Error& why) override;
    void upstream_drained() override;

    void pump();
    bool start_exchange(const http::HttpRequest& request);
    void forward_body();
    void parse_response();
    void feed_response(std::string_view bytes);
    void response_done();
    void bad_gateway(const std::string& why);
    void answer(int status, std::string_view reason, const std::string& line);
    void emit(std::string bytes);
    void end_reading();
    void end_writing();
    void fail_mid(const Error& why);
    void drop_upstream();
    void maybe_drained();

    EventLoop& loop_;
    const PipeConfig& config_;
    const Address& address_;
    Log log_;
    Stream::Events* events_ = nullptr;
    std::unique_ptr<Upstream> up_;
    std::string in_;              ///< client bytes not consumed yet
    bool client_eof_ = false;     ///< the client will send no more
    bool ended_ = false;          ///< read_end sent: the connection is over
    bool read_closed_ = false;
    bool paused_ = true;          ///< the copier pauses streams until both are open
    std::string out_;             ///< response bytes held while paused
    bool was_full_ = false;
    bool end_pending_ = false;    ///< read_end waits for out_ to go
    bool write_ended_ = false;
    // The exchange in progress.
    bool active_ = false;
    bool close_after_ = false;    ///< no further request on this connection
    bool head_request_ = false;
    bool http10_ = false;
    std::string method_, target_;
    http::BodyDecoder req_body_;
    bool req_chunked_ = false;    ///< re-chunked towards the relay
    bool req_done_ = false;
    bool expect_continue_ = false;  ///< the client waits for 100 Continue
    std::string resp_in_;         ///< response head bytes so far
    bool resp_head_done_ = false;
    http::BodyDecoder resp_body_;
    bool resp_chunked_ = false;   ///< chunked towards the client
    std::uint64_t requests_ = 0;
    Lifetime alive_;
};

std::unique_ptr<Stream> make_relay_http_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a);

}  // namespace hyco::pipe
