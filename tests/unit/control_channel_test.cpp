// The control channel's reconnect ladder against a scripted relay on
// 127.0.0.1: the relay refuses, accepts and drops as each case says; the
// channel's clock is the test's (a connection "stays up" for as long as the
// case says), and its retries do not wait, while channel_offline still
// reports each step of the ladder.
#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/io/event_loop.h"
#include "core/relay/control_channel.h"
#include "tests/unit/fake_ws_server.h"

using namespace hyco;
using namespace std::chrono_literals;

namespace {

/// What the relay does with each connection, in order.
struct Turn {
    int refuse = 0;  ///< HTTP status, or 0 to accept and then close 1011
    std::chrono::seconds uptime{0};  ///< how long an accepted connection stays up
};

struct Recorder final : ControlChannel::Events {
    std::vector<long> retries;  ///< the ladder steps, in seconds
    std::optional<Error> fatal;
    std::size_t online = 0;
    std::function<void()> on_online;

    void channel_online() override {
        ++online;
        if (on_online) on_online();
    }
    void channel_offline(const Error&, std::chrono::seconds retry_in) override { retries.push_back(retry_in.count()); }
    void channel_accept(const control::Accept&) override {}
    void channel_request(const control::Request&, std::string) override {}
    void channel_fatal(const Error& why) override { fatal = why; }
};

struct Rig {
    std::unique_ptr<EventLoop> loop = EventLoop::create(LoopOptions{}).value();
    std::vector<Turn> turns;
    test::FakeWsServer relay{*loop, [this](test::FakeWsConn& c, const http::HttpRequest&) {
        const Turn& t = turns.at(relay.connections() - 1);
        if (t.refuse) return c.refuse(t.refuse);
        c.accept();
        // The uptime passes on the channel's clock once it saw the 101.
        c.close(1011);
    }};
    Recorder events;
    std::chrono::steady_clock::time_point now{};
    std::unique_ptr<ControlChannel> channel;

    explicit Rig(std::vector<Turn> script, Credentials credentials = key()) : turns(std::move(script)) {
        RelayTarget target;
        target.ns.host = "127.0.0.1";
        target.ns.port = relay.port();
        target.ns.tls = false;
        target.entity = "e";
        target.credentials = std::move(credentials);
        channel = std::make_unique<ControlChannel>(*loop, events, target, ClientOptions{}, Keepalive{0ms});
        channel->set_pacing({[this] { return now; }, [](std::chrono::seconds) { return 0ms; }});
        events.on_online = [this] { now += turns.at(relay.connections() - 1).uptime; };
    }
    ~Rig() {
        channel->stop();
        loop->run_until([this] { return channel->stopped(); });
    }

    static Credentials key() {
        Credentials c;
        c.key_name = "rule";
        c.key = "secret";
        return c;
    }
    /// Runs until the channel gave up or reported `n` retries.
    void run(std::size_t n) {
        loop->run_until([&] { return events.fatal || events.retries.size() >= n; });
    }
    /// The channel gave up with `code` at once, without a retry.
    void check_gave_up(Exit code) {
        REQUIRE(events.fatal);
        CHECK(events.fatal->code == code);
        CHECK(events.retries.empty());
        CHECK(channel->stopped());
    }
};

}  // namespace

TEST_CASE("control channel: each failed attempt waits one step longer, up to 30 s") {
    Rig rig(std::vector<Turn>(8, Turn{503}));
    rig.channel->start();
    rig.run(8);
    CHECK(rig.events.retries == std::vector<long>{0, 1, 2, 5, 10, 30, 30, 30});
    CHECK_FALSE(rig.events.fatal);
    CHECK(rig.events.online == 0);
}

TEST_CASE("control channel: a drop after a settled connection restarts the ladder, an early drop does not") {
    Rig rig({{503}, {503}, {0, Backoff::kSettled}, {503}, {0, Backoff::kSettled - 1s}, {503}});
    rig.channel->start();
    rig.run(6);
    CHECK(rig.events.online == 2);
    //                                          settled: back to 0   brief: on from 1
    CHECK(rig.events.retries == std::vector<long>{0, 1, 0, 1, 2, 5});
}

TEST_CASE("control channel: 404 is permanent; no further attempt") {
    Rig rig({{404}, {503}});
    rig.channel->start();
    rig.run(1);
    rig.check_gave_up(Exit::not_found);
    CHECK(rig.relay.connections() == 1);
}

TEST_CASE("control channel: refused credentials are permanent only before the first success") {
    SUBCASE("at the first attempt") {
        Rig rig({{401}, {503}});
        rig.channel->start();
        rig.run(1);
        rig.check_gave_up(Exit::auth);
    }
    SUBCASE("after having been online (a quota or a clock may pass)") {
        Rig rig({{0, 1s}, {401}, {403}, {404}});
        rig.channel->start();
        rig.run(4);
        REQUIRE(rig.events.fatal);
        CHECK(rig.events.fatal->code == Exit::not_found);
        CHECK(rig.events.retries == std::vector<long>{0, 1, 2});
        CHECK(rig.relay.connections() == 4);
    }
}

TEST_CASE("control channel: an expired pre-issued token ends it before any attempt") {
    Credentials c;
    c.token = sas::mint("http://127.0.0.1/e/", "rule", "secret", unix_now() - 60);
    Rig rig({{503}}, c);
    rig.channel->start();
    rig.run(1);
    rig.check_gave_up(Exit::token_expired);
    CHECK(rig.relay.connections() == 0);
}
