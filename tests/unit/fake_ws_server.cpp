// The test relay (see fake_ws_server.h).
#include "tests/unit/fake_ws_server.h"

#include <stdexcept>

#include <sys/socket.h>

#include <fmt/format.h>

namespace hyco::test {

FakeWsConn::FakeWsConn(EventLoop& loop, int fd, Script script)
    : fd_(fd), stream_(loop, *this, fd, fd, "fake relay connection"), script_(std::move(script)) {
    if (!stream_.start()) throw std::runtime_error("cannot adopt an accepted connection");
}

void FakeWsConn::refuse(int status) {
    stream_.write(fmt::format("HTTP/1.1 {} Refused by the test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status));
    hang_up();
}

void FakeWsConn::accept() {
    const std::string* key = request_->header("Sec-WebSocket-Key");
    stream_.write(fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: {}\r\n\r\n",
                              ws::accept_key(key ? *key : "")));
    upgraded_ = true;
}

void FakeWsConn::send(ws::Opcode op, std::string_view payload) { stream_.write(ws::frame(op, true, payload)); }

void FakeWsConn::close(std::uint16_t code) {
    if (close_sent_) return;
    close_sent_ = true;
    send(ws::Opcode::close, ws::close_payload(code, ""));
    if (peer_close_) hang_up();
}

void FakeWsConn::hang_up() {
    if (hung_up_) return;
    hung_up_ = true;
    stream_.close_write();
}

void FakeWsConn::reset() {
    hung_up_ = true;
    // connect(AF_UNSPEC) disconnects a TCP socket with a RST and leaves the
    // descriptor to the stream, which still owns it.
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    if (::connect(fd_, &unspec, sizeof unspec) != 0) throw std::runtime_error("cannot reset the connection");
}

void FakeWsConn::stream_data(FdStream&, std::string_view bytes) {
    if (request_) {
        if (upgraded_ && !hung_up_) decoder_.feed(bytes, *this);
        return;
    }
    head_.append(bytes);
    auto r = http::parse_request_head(head_);
    if (r.state == http::HeadResult::State::incomplete) return;
    if (r.state == http::HeadResult::State::error) return refuse(r.refusal.status);
    request_ = r.request;
    std::string rest = head_.substr(r.request.head_size);
    script_(*this, *request_);
    if (!rest.empty()) stream_data(stream_, rest);
}

void FakeWsConn::stream_eof(FdStream&) { hang_up(); }

void FakeWsConn::frame_begin(const ws::FrameHeader& h) {
    if (h.opcode != ws::Opcode::continuation) message_ = Message{h.opcode == ws::Opcode::binary, {}};
    fin_ = h.fin;
}

void FakeWsConn::frame_end() {
    if (!fin_) return;
    messages_.push_back(std::move(message_));
    message_ = {};
    if (on_message) on_message(*this, messages_.back());
}

void FakeWsConn::control_frame(ws::Opcode op, std::string_view payload) {
    if (op != ws::Opcode::close) return;
    std::uint16_t code = 0;
    std::string reason;
    ws::parse_close_payload(payload, code, reason);
    peer_close_ = code;
    if (close_sent_) hang_up();
    else close(code == 1005 ? 1000 : code);
}

FakeWsServer::FakeWsServer(EventLoop& loop, FakeWsConn::Script script) {
    SocketAddress where;
    where.host = "127.0.0.1";
    auto ls = ListenSocket::open(loop, where, [this, &loop, script](int fd, const std::string&) {
        conns_.push_back(std::make_unique<FakeWsConn>(loop, fd, script));
    });
    if (!ls) throw std::runtime_error("cannot listen on 127.0.0.1: " + ls.error().why);
    listener_ = std::move(*ls);
    const std::string& name = listener_->local_name();
    port_ = static_cast<std::uint16_t>(std::stoi(name.substr(name.rfind(':') + 1)));
}

std::string FakeWsServer::url(std::string_view path) const {
    return fmt::format("ws://127.0.0.1:{}{}", port_, path);
}

}  // namespace hyco::test
