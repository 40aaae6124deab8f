// Answering HTTP requests with a bare status (see http_refusals.h).
#include "core/relay/http_refusals.h"

namespace hyco {

void HttpRefusals::refuse(control::Request request, std::string body, RelayedHttp::ChannelSend channel,
                          WsTimeouts timeouts, int status, std::string description) {
    RelayedHttp::Events& self = *this;
    auto http = std::make_unique<RelayedHttp>(loop_, self, std::move(request), std::move(body), std::move(channel),
                                              timeouts);
    RelayedHttp* h = http.get();
    pending_.emplace(h, Pending{std::move(http), status, std::move(description)});
    h->start();
}

void HttpRefusals::http_request(RelayedHttp& h, const control::Request&) {
    auto it = pending_.find(&h);
    if (it != pending_.end()) h.answer(it->second.status, it->second.description);
}

}  // namespace hyco
