// One HTTP request from a sender, relayed to a listener and answered: the
// body goes with the `request` on the control channel when head and body fit
// in 64 KiB, otherwise over a rendezvous socket the listener opens; the
// response comes back on either, and is framed for the sender here. A
// rendezvous that carried a request stays open for the next request of the
// same sender connection (docs/protocol.md §3.7, "Rendezvous reuse").
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/http/http_body.h"
#include "core/io/event_loop.h"
#include "core/relay/control_message.h"
#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/exchange.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

class Context;

class HttpExchange : public Handler, public Exchange {
public:
    /// Head plus body up to this size travel on the control channel.
    static constexpr std::size_t kControlChannelLimit = 64 * 1024;

    /// `message` is the complete `request` (without body flag); `listener`
    /// the control channel chosen for it; `rendezvous` a rendezvous kept from
    /// this connection's previous request, to send it over (0: none).
    HttpExchange(Conn& sender, HttpRequest request, control::Request message, std::string entity,
                 std::uint64_t listener, std::uint64_t rendezvous = 0);
    ~HttpExchange() override;

    /// Begins reading the body (set up by the caller in `body`).
    void start(http::BodyDecoder body);

    void on_input(Conn& conn) override;
    void on_closed(Conn& conn) override;
    const char* kind() const override { return "http-sender"; }
    HttpExchange* as_http_exchange() override { return this; }

    const std::string& id() const { return message_.id; }
    std::uint64_t sender() const override { return conn_.id; }
    bool on_rendezvous(Conn& rendezvous) override;
    void on_response(const control::Response& response, Conn& channel) override;
    void on_body_data(std::string_view data, Conn& channel) override;
    void on_body_end() override;
    void on_channel_lost(std::uint64_t channel) override;

private:
    enum class Phase { body, awaiting_rendezvous, streaming, awaiting_response, response_body, done };

    void read_body();
    void send_small();
    void send_pointer();
    /// Sends the full `request` on a rendezvous and starts streaming the body.
    void begin_on_rendezvous(Conn& rendezvous);
    void arm_response_timer();
    void send_fragment(std::string data, bool fin);
    void fail(int status, const std::string& reason);
    void complete();
    /// Ends the exchange; the rendezvous is closed unless `keep_rendezvous`.
    void release(bool keep_rendezvous = false);
    Conn* channel() const;

    Conn& conn_;
    Context& relay_;  ///< outlives the Conn, for the destructor
    HttpRequest request_;
    control::Request message_;
    std::string entity_;
    std::uint64_t listener_;
    std::uint64_t rendezvous_ = 0;
    http::BodyDecoder body_;
    std::string buffer_;
    Phase phase_ = Phase::body;
    bool pointer_ = false;
    bool reusable_ = false;  ///< the rendezvous carries requests, so it may carry the next one
    bool fragments_sent_ = false;
    bool no_body_ = false;   ///< HEAD, 204, 304: the response carries no body
    bool chunked_ = false;
    bool keep_alive_ = true;
    std::uint64_t response_bytes_ = 0;
    std::unique_ptr<Timer> timer_;
};

}  // namespace hyco::relay
