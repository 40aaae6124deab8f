// One relay WebSocket as a Stream. Outgoing bytes leave as binary
// messages (one per chunk read); incoming messages, binary or text, are
// written out as bytes. Both directions half-close independently: end of
// our input sends a Close frame while reading goes on, and the peer's Close
// (1000) is our end of input while writing goes on until the copier closes
// our write side. Any other close code from the peer ends both directions.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/event_loop.h"
#include "core/ws_client.h"
#include "tools/hyco-pipe/stream.h"

namespace hyco::pipe {

class RelayStream final : public Stream, private WsClient::Events {
public:
    /// `what` names the connection in errors ("relay-connect:db").
    RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what, bool sender);
    ~RelayStream() override;

    void open(Stream::Events& events) override;
    void write(std::string_view bytes) override;
    bool writable() const override;
    void close_write() override;
    void pause(bool paused) override;
    void close_read() override;
    std::string describe() const override { return what_; }
    void finish(bool clean, std::function<void(Status)> done) override;

private:
    void ws_open(WsClient&) override;
    void ws_data(WsClient&, std::string_view piece, bool final, bool binary) override;
    void ws_drained(WsClient&) override;
    void ws_peer_closed(WsClient&, int code, const std::string& reason) override;
    void ws_closed(WsClient&, const WsClose& close) override;
    Error open_error(const WsClose& close) const;

    EventLoop& loop_;
    std::unique_ptr<WsClient> ws_;
    Stream::Events* events_ = nullptr;
    std::string what_;
    bool sender_;
    bool opened_ = false;
    bool closed_ = false;
    bool read_ended_ = false;
    bool write_ended_ = false;
    bool read_closed_ = false;
    bool paused_ = false;
    bool finishing_ = false;
    std::optional<Status> close_status_;
    std::function<void(Status)> finish_done_;
    Timer finish_timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hyco::pipe
