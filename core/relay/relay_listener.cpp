// The listener core (see relay_listener.h).
#include "core/relay/relay_listener.h"

namespace hyco {

RelayListener::RelayListener(EventLoop& loop, Owner& owner, RelayTarget target, ClientOptions client,
                             Keepalive keepalive, RelayStreamOptions streams, std::string what)
    : loop_(loop), owner_(owner), target_entity_(target.entity), client_(client), streams_(streams),
      what_(std::move(what)), channel_(loop, *this, std::move(target), client, keepalive), rejections_(loop),
      http_refusals_(loop) {
    streams_.sender = false;
}

RelayListener::~RelayListener() { alive_.end(); }

void RelayListener::channel_accept(const control::Accept& a) {
    ConnectionInfo info = connection_info(a, target_entity_);
    // The sender's offer decides the mode: end records with a hyco sender.
    auto sub = choose_subprotocol(info.offered_subprotocols, client_.subprotocols);
    if (!sub) return reject(a, {400, "No common subprotocol"});
    Admission ad = owner_.admit(a, info, *sub);
    switch (ad.kind) {
    case Admission::Kind::accept: return accept(a, info, *sub);
    case Admission::Kind::reject: return reject(a, ad.verdict);
    case Admission::Kind::later: return;
    }
}

void RelayListener::accept(const control::Accept& a, const ConnectionInfo& info, const std::string& subprotocol) {
    auto target = parse_ws_url(a.address);
    if (!target) return owner_.log("bad rendezvous address: " + target.error().message());
    if (!subprotocol.empty()) target->subprotocols = {subprotocol};
    WsTimeouts timeouts = client_.timeouts;
    timeouts.connect = std::chrono::milliseconds(20000);  // .NET's accept timeout
    auto stream = std::make_unique<RelayStream>(loop_, std::move(*target), timeouts, what_, streams_);
    owner_.accepted(a, info, subprotocol, std::move(stream));
}

void RelayListener::reject(const control::Accept& a, const Verdict& v) {
    owner_.rejected(a, v);
    auto sent = rejections_.send(a.address, v, [this, alive = alive_.token()](bool delivered) {
        if (*alive && !delivered) owner_.log("the relay did not confirm a rejection (expected HTTP 410)");
    });
    if (!sent) owner_.log("cannot reject: " + sent.error().message());
}

void RelayListener::channel_request(const control::Request& request, std::string body) {
    std::uint64_t gen = channel_.generation();
    RelayedHttp::ChannelSend send = [this, alive = alive_.token(), gen](const control::Response& r, const std::string* b) {
        return *alive && channel_.respond(gen, r, b);
    };
    owner_.request(request, std::move(body), std::move(send));
}

void RelayListener::refuse(const control::Request& request, std::string body, RelayedHttp::ChannelSend send,
                           int status, std::string reason) {
    http_refusals_.refuse(request, std::move(body), std::move(send), client_.timeouts, status, std::move(reason));
}

}  // namespace hyco
