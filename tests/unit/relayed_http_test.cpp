// Where a relayed HTTP response goes (docs/protocol.md §3.4-3.8): on the
// control channel while the response message and its body fit in 64 KiB,
// over a rendezvous WebSocket when they do not, when the control
// connection is gone, and always for a request that came by rendezvous.
// The channel is a recording function; the rendezvous a scripted
// WebSocket server on 127.0.0.1.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io/event_loop.h"
#include "core/relay/control_message.h"
#include "core/relay/relayed_http.h"
#include "tests/unit/fake_ws_server.h"

using namespace hyco;

namespace {

/// Answers every request, once its body is in, with 200 and `body`.
struct Target final : RelayedHttp::Events {
    std::string body;
    std::optional<control::Request> request;
    std::string request_body;
    std::optional<Status> done;

    void http_request(RelayedHttp&, const control::Request& r) override { request = r; }
    void http_body(RelayedHttp&, std::string_view piece) override { request_body += piece; }
    void http_body_end(RelayedHttp& h) override {
        h.respond(200, "OK", {{"Content-Type", "text/plain"}});
        h.write(body);
        h.end();
    }
    void http_done(RelayedHttp&, const Status& s) override { done = s; }
};

struct ChannelSend {
    control::Response response;
    std::optional<std::string> body;
};

struct Rig {
    std::unique_ptr<EventLoop> loop = EventLoop::create(LoopOptions{}).value();
    std::string pointer_request;  ///< sent on the rendezvous first (the pointer form)
    test::FakeWsServer rendezvous{*loop, [this](test::FakeWsConn& c, const http::HttpRequest&) {
        c.accept();
        if (!pointer_request.empty()) c.send(ws::Opcode::text, pointer_request);
    }};
    Target target;
    bool channel_open = true;
    std::vector<ChannelSend> channel;

    control::Request full_request() const {
        control::Request r;
        r.address = rendezvous.url("/$hc/e?sb-hc-action=request&sb-hc-id=1");
        r.id = "1";
        r.request_target = "/e/x";
        r.method = "GET";
        r.has_body_field = true;
        return r;
    }
    /// Runs one exchange to its end.
    void exchange(control::Request request, std::string body = {}) {
        auto send = [this](const control::Response& r, const std::string* b) {
            if (!channel_open) return false;
            channel.push_back({r, b ? std::optional<std::string>(*b) : std::nullopt});
            return true;
        };
        RelayedHttp http(*loop, target, std::move(request), std::move(body), send, WsTimeouts{});
        http.start();
        // Done comes after the rendezvous' closing handshake, if one was used.
        loop->run_until([&] { return target.done.has_value(); });
    }
    /// The response message the target's answer makes, with a body.
    control::Response response() const {
        control::Response r;
        r.request_id = "1";
        r.status_code = 200;
        r.status_description = "OK";
        r.response_headers = {{"Content-Type", "text/plain"}};
        r.body = true;
        return r;
    }
    /// The exchange succeeded and the rendezvous alone carried the
    /// response: its message, then the body as one binary message (none
    /// when empty), then Close 1000.
    void check_rendezvous_answer(const std::string& body) {
        REQUIRE(target.done);
        CHECK(*target.done);
        CHECK(channel.empty());
        REQUIRE(rendezvous.connections() == 1);
        test::FakeWsConn& c = rendezvous.conn(0);
        const auto& m = c.messages();
        REQUIRE(m.size() == (body.empty() ? 1u : 2u));
        CHECK_FALSE(m[0].binary);
        auto sent = control::parse(m[0].data);
        REQUIRE(sent);
        auto* r = std::get_if<control::Response>(&*sent);
        REQUIRE(r);
        CHECK(r->status_code == 200);
        CHECK(r->body == !body.empty());
        if (!body.empty()) {
            CHECK(m[1].binary);
            CHECK(m[1].data == body);
        }
        CHECK(c.peer_close() == 1000);
    }
};

/// The largest body that still fits the control channel with the response message.
std::size_t channel_room(const control::Response& r) {
    return RelayedHttp::kChannelLimit - control::serialize(r).size();
}

}  // namespace

TEST_CASE("relayed HTTP: a small response goes on the control channel, with its body") {
    Rig rig;
    rig.target.body = "hello";
    rig.exchange(rig.full_request());
    REQUIRE(rig.target.done);
    CHECK(*rig.target.done);
    REQUIRE(rig.channel.size() == 1);
    CHECK(rig.channel[0].response.body);
    CHECK(rig.channel[0].response.status_code == 200);
    CHECK(rig.channel[0].body == "hello");
    CHECK(rig.rendezvous.connections() == 0);
}

TEST_CASE("relayed HTTP: the request body that came on the channel reaches the target") {
    Rig rig;
    rig.target.body = "ok";
    control::Request r = rig.full_request();
    r.method = "POST";
    r.body = true;
    rig.exchange(r, "posted bytes");
    CHECK(rig.target.request_body == "posted bytes");
    CHECK(rig.channel.size() == 1);
}

TEST_CASE("relayed HTTP: 64 KiB with the message is the control channel's limit") {
    Rig rig;
    std::size_t room = channel_room(rig.response());
    SUBCASE("exactly the limit: the channel") {
        rig.target.body = std::string(room, 'a');
        rig.exchange(rig.full_request());
        REQUIRE(rig.channel.size() == 1);
        CHECK(rig.channel[0].body->size() == room);
        CHECK(control::serialize(rig.channel[0].response).size() + room == RelayedHttp::kChannelLimit);
        CHECK(rig.rendezvous.connections() == 0);
    }
    SUBCASE("one byte more: the rendezvous, and nothing on the channel") {
        rig.target.body = std::string(room + 1, 'b');
        rig.exchange(rig.full_request());
        rig.check_rendezvous_answer(rig.target.body);
    }
}

TEST_CASE("relayed HTTP: a large response is streamed whole over the rendezvous") {
    Rig rig;
    rig.target.body = std::string(3 * RelayedHttp::kChannelLimit, 'x');
    for (std::size_t i = 0; i < rig.target.body.size(); i += 7) rig.target.body[i] = static_cast<char>('a' + i % 26);
    rig.exchange(rig.full_request());
    rig.check_rendezvous_answer(rig.target.body);
}

TEST_CASE("relayed HTTP: with the control connection gone, a small response takes the rendezvous") {
    Rig rig;
    rig.channel_open = false;
    rig.target.body = "small";
    rig.exchange(rig.full_request());
    rig.check_rendezvous_answer("small");
}

TEST_CASE("relayed HTTP: a request that came by rendezvous is answered there, however small") {
    Rig rig;
    control::Request full = rig.full_request();
    full.method = "GET";
    full.has_body_field = true;
    full.body = false;
    rig.pointer_request = control::serialize(full);
    control::Request pointer;
    pointer.address = full.address;
    pointer.id = "1";
    REQUIRE(pointer.is_pointer());
    rig.target.body = "tiny";
    rig.exchange(pointer);
    REQUIRE(rig.target.request);
    CHECK(rig.target.request->request_target == "/e/x");
    rig.check_rendezvous_answer("tiny");
}
