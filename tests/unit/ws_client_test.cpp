// WsClient's phases and its verdicts, against a scripted server on
// 127.0.0.1 running on the test's own loop: how each way a connection can
// end is reported (WsClose), and that the phase says where it stands.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/io/event_loop.h"
#include "core/io/listen_socket.h"
#include "core/ws/ws_client.h"
#include "tests/unit/fake_ws_server.h"

using namespace hyco;
using namespace std::chrono_literals;

namespace {

struct Client final : WsClient::Events {
    std::vector<WsClient::Phase> phases;  ///< seen at each event
    std::string received;
    std::optional<WsClose> close;
    std::function<void(WsClient&)> on_open;

    void ws_open(WsClient& ws) override {
        phases.push_back(ws.phase());
        if (on_open) on_open(ws);
    }
    void ws_data(WsClient& ws, std::string_view piece, bool, bool) override {
        phases.push_back(ws.phase());
        received.append(piece);
    }
    void ws_closed(WsClient& ws, const WsClose& c) override {
        phases.push_back(ws.phase());
        close = c;
    }
};

struct Rig {
    std::unique_ptr<EventLoop> loop = EventLoop::create(LoopOptions{}).value();
    test::FakeWsServer server;
    Client events;
    std::unique_ptr<WsClient> ws;

    explicit Rig(test::FakeWsConn::Script script, std::string url = {}) : server(*loop, std::move(script)) {
        WsTimeouts t;
        t.connect = 5000ms;
        ws = std::make_unique<WsClient>(*loop, events, parse_ws_url(url.empty() ? server.url("/e") : url).value(), t);
    }
    /// Runs the loop until `done`, for 10 s at most.
    bool wait_for(const std::function<bool()>& done) {
        bool late = false;
        Timer deadline(*loop);
        deadline.start(10000ms, [&] { late = true; });
        loop->run_until([&] { return late || done(); });
        return done();
    }
    const WsClose& run() {
        ws->connect();
        if (!events.close) CHECK(ws->phase() == WsClient::Phase::connecting);
        REQUIRE(wait_for([this] { return events.close.has_value(); }));
        CHECK(ws->phase() == WsClient::Phase::closed);
        return *events.close;
    }
    std::string why() const { return events.close && events.close->error ? events.close->error->why : ""; }
};

}  // namespace

TEST_CASE("ws client: our Close answered by the peer's is a clean end, and the data got there") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) { c.accept(); });
    rig.events.on_open = [](WsClient& ws) {
        ws.send_text("hello");
        ws.finish(1000);
    };
    CHECK(rig.ws->phase() == WsClient::Phase::idle);
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::ours);
    CHECK(c.code == 1000);
    CHECK(c.established);
    CHECK(!c.error);
    REQUIRE(rig.server.connections() == 1);
    REQUIRE(rig.server.conn(0).messages().size() == 1);
    CHECK(rig.server.conn(0).messages()[0].data == "hello");
    CHECK(rig.server.conn(0).peer_close() == 1000);
    CHECK(rig.events.phases.front() == WsClient::Phase::open);
}

TEST_CASE("ws client: the peer's Close first is answered, and what it sent before it arrives") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) {
        c.accept();
        c.send(ws::Opcode::text, "from the peer");
        c.close(1001);
    });
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::peer);
    CHECK(c.code == 1001);
    CHECK(!c.error);
    CHECK(rig.events.received == "from the peer");
    // The default answer echoes the code.
    CHECK(rig.wait_for([&] { return rig.server.conn(0).peer_close().has_value(); }));
    CHECK(rig.server.conn(0).peer_close() == 1001);
}

TEST_CASE("ws client: a server that hangs up before answering the upgrade is named so") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) { c.hang_up(); });
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::failed);
    CHECK(!c.established);
    CHECK(rig.why() == "the server hung up before answering the WebSocket upgrade");
    CHECK(rig.events.phases == std::vector<WsClient::Phase>{WsClient::Phase::closed});
}

TEST_CASE("ws client: a refused upgrade carries the status and its reason") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) { c.refuse(404); });
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::failed);
    CHECK(c.http_status == 404);
    CHECK(c.http_reason == "Refused by the test");
    CHECK(rig.why() == "relay answered HTTP 404 Refused by the test");
}

TEST_CASE("ws client: a peer that vanishes after the upgrade is a failure, not an end") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) {
        c.accept();
        c.send(ws::Opcode::binary, "partial");
        c.hang_up();
    });
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::failed);
    CHECK(c.established);
    CHECK(rig.why() == "the peer vanished without a Close frame");
    CHECK(rig.events.received == "partial");
}

TEST_CASE("ws client: a write the peer's reset fails ends the connection from the loop, naming the reset") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) { c.accept(); });
    bool closed_inside_send = true;
    rig.events.on_open = [&](WsClient& ws) {
        rig.server.conn(0).reset();
        // Nothing is queued, so the frame goes to the socket at once, which
        // has already failed: the failure must wait for the loop, as every
        // other ending does, rather than call back from inside send.
        ws.send_text("after the reset");
        closed_inside_send = rig.events.close.has_value();
    };
    const WsClose& c = rig.run();
    CHECK(!closed_inside_send);
    CHECK(c.kind == WsClose::Kind::failed);
    CHECK(c.established);
    CHECK(rig.why() == "the connection failed while writing (Connection reset by peer)");
}

TEST_CASE("ws client: nothing listening is a connection failure naming the target") {
    // A port that was free a moment ago: bind one and close it.
    std::uint16_t port = 0;
    {
        std::unique_ptr<EventLoop> probe = EventLoop::create(LoopOptions{}).value();
        test::FakeWsServer gone(*probe, [](test::FakeWsConn&, const http::HttpRequest&) {});
        port = gone.port();
    }
    Rig rig([](test::FakeWsConn&, const http::HttpRequest&) {}, "ws://127.0.0.1:" + std::to_string(port) + "/e");
    const WsClose& c = rig.run();
    CHECK(c.kind == WsClose::Kind::failed);
    CHECK(!c.established);
    REQUIRE(c.error);
    CHECK(c.error->what == "connect to ws://127.0.0.1:" + std::to_string(port) + "/e");
    CHECK(rig.server.connections() == 0);
}

TEST_CASE("ws client: abort before connect ends at once, as ours") {
    Rig rig([](test::FakeWsConn& c, const http::HttpRequest&) { c.accept(); });
    rig.ws->abort();
    REQUIRE(rig.events.close);
    CHECK(rig.events.close->kind == WsClose::Kind::ours);
    CHECK(rig.ws->phase() == WsClient::Phase::closed);
}
