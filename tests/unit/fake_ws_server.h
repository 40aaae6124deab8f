// A WebSocket server on 127.0.0.1 for tests of the relay clients: it runs on
// the test's own event loop (no thread, so no races with the code under
// test), hands each request head to the test's script, and records what the
// client sends after an upgrade. The script plays the relay: refuse with a
// status, accept, send frames, close.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/http_request_head.h"
#include "core/io/event_loop.h"
#include "core/io/fd_stream.h"
#include "core/io/listen_socket.h"
#include "core/ws/ws_frame.h"

namespace hyco::test {

class FakeWsConn final : private FdStream::Events, private ws::FrameSink {
public:
    struct Message {
        bool binary = false;
        std::string data;
    };
    using Script = std::function<void(FakeWsConn&, const http::HttpRequest&)>;

    FakeWsConn(EventLoop& loop, int fd, Script script);

    /// An HTTP answer without an upgrade; the connection ends after it.
    void refuse(int status);
    /// The 101 for the request's key.
    void accept();
    /// One unmasked frame.
    void send(ws::Opcode op, std::string_view payload);
    /// Our Close; the connection ends once the client answers it.
    void close(std::uint16_t code);
    /// Ends the connection (FIN) without a word.
    void hang_up();
    /// Resets the connection (RST) at once: on loopback the client's socket
    /// has failed by the time this returns, before its loop hears of it.
    void reset();

    const std::vector<Message>& messages() const { return messages_; }
    /// The code of the client's Close, once it came.
    std::optional<std::uint16_t> peer_close() const { return peer_close_; }
    /// Called with each complete message from the client.
    std::function<void(FakeWsConn&, const Message&)> on_message;

private:
    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_write_closed(FdStream&, const Error*) override {}
    void frame_begin(const ws::FrameHeader& h) override;
    void frame_data(std::string_view payload) override { message_.data.append(payload); }
    void frame_end() override;
    void control_frame(ws::Opcode op, std::string_view payload) override;

    int fd_;
    FdStream stream_;
    Script script_;
    std::string head_;
    std::optional<http::HttpRequest> request_;
    ws::FrameDecoder decoder_{ws::DecodeLimits{std::uint64_t(1) << 32, ws::Role::server}};
    Message message_;
    bool fin_ = false;
    bool upgraded_ = false;
    bool close_sent_ = false;
    bool hung_up_ = false;
    std::optional<std::uint16_t> peer_close_;
    std::vector<Message> messages_;
};

class FakeWsServer {
public:
    FakeWsServer(EventLoop& loop, FakeWsConn::Script script);

    std::uint16_t port() const { return port_; }
    /// ws://127.0.0.1:PORT + `path`.
    std::string url(std::string_view path) const;
    std::size_t connections() const { return conns_.size(); }
    FakeWsConn& conn(std::size_t i) { return *conns_.at(i); }

private:
    std::unique_ptr<ListenSocket> listener_;
    std::vector<std::unique_ptr<FakeWsConn>> conns_;
    std::uint16_t port_ = 0;
};

}  // namespace hyco::test
