// The listener-facing side of HTTP exchanges, shared by the control channel
// and HTTP rendezvous sockets: a `response` message, then (if it says so) one
// binary message with the body, streamed to the waiting sender.
#pragma once

#include <optional>
#include <string>

#include "core/relay/control_message.h"
#include "tools/hyco-relay/ws_endpoint.h"

namespace hyco::relay {

class ResponseReader : public WsMessageEndpoint {
public:
    ResponseReader(Conn& conn, std::size_t max_text) : WsMessageEndpoint(conn, max_text, std::uint64_t(1) << 40) {}

protected:
    /// Routes a `response` to its exchange and expects its body next.
    void handle_response(const control::Response& response);
    /// A text message arrived: ends any awaited body (it is then known to
    /// be absent), logs the message with -v (tokens redacted) and parses it;
    /// one that does not parse is logged and ignored (nullopt).
    std::optional<control::Message> read_message(const std::string& text);
    void on_binary_data(std::string_view data) override;
    void on_binary_end() override;

private:
    void end_awaited_body();

    std::string body_for_;  ///< exchange id whose body is the next binary message
};

}  // namespace hyco::relay
