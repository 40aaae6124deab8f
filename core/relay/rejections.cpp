// One WsClient per rejection in flight, destroyed after its answer.
#include "core/relay/rejections.h"

#include "core/ws/ws_client.h"

namespace hyco {

class Rejections::Pending final : public WsClient::Events {
public:
    Pending(EventLoop& loop, WsTarget target, std::function<void(bool)> done)
        : ws_(loop, *this, std::move(target), WsTimeouts{}), done_(std::move(done)) {}
    void start() { ws_.connect(); }
    void ws_data(WsClient&, std::string_view, bool, bool) override {}
    void ws_closed(WsClient&, const WsClose& c) override { done_(c.http_status == 410); }

private:
    WsClient ws_;
    std::function<void(bool)> done_;
};

Rejections::Rejections(EventLoop& loop) : loop_(loop) {}
Rejections::~Rejections() = default;

Status Rejections::send(const std::string& accept_address, const Verdict& verdict,
                        std::function<void(bool delivered)> done) {
    auto target = parse_ws_url(reject_url(accept_address, verdict.status, verdict.description));
    if (!target) return target.error();
    std::uint64_t id = next_++;
    auto p = std::make_unique<Pending>(loop_, std::move(*target), [this, id, done = std::move(done)](bool ok) {
        if (done) done(ok);
        // Not inside the client's own callback: erase after it returns.
        loop_.defer([this, id] { pending_.erase(id); });
    });
    Pending* raw = p.get();
    pending_[id] = std::move(p);
    raw->start();
    return {};
}

}  // namespace hyco
