// HTTP requests a listener turns away with a status and no body: hyco-listen
// serves WebSocket streams only (501), hyco-pipe at --max-connections (503).
// Either request form is answered, the pointer form over its rendezvous, so
// the sender gets its answer at once instead of the relay's 504 a minute later.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/io/event_loop.h"
#include "core/relay/relayed_http.h"

namespace hyco {

class HttpRefusals final : private RelayedHttp::Events {
public:
    explicit HttpRefusals(EventLoop& loop) : loop_(loop) {}
    HttpRefusals(const HttpRefusals&) = delete;
    HttpRefusals& operator=(const HttpRefusals&) = delete;

    void refuse(control::Request request, std::string body, RelayedHttp::ChannelSend channel, WsTimeouts timeouts,
                int status, std::string description);
    bool empty() const { return pending_.empty(); }

private:
    struct Pending {
        std::unique_ptr<RelayedHttp> http;
        int status;
        std::string description;
    };
    void http_request(RelayedHttp& h, const control::Request&) override;
    void http_body(RelayedHttp&, std::string_view) override {}
    void http_body_end(RelayedHttp&) override {}
    void http_done(RelayedHttp& h, const Status&) override { pending_.erase(&h); }

    EventLoop& loop_;
    std::map<const RelayedHttp*, Pending> pending_;
};

}  // namespace hyco
