// The relay service: runs on core's EventLoop as a server (raw-socket role
// for every accepted connection), owns the connections and the registry,
// and routes each request head to a protocol handler.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libwebsockets.h>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "tools/hyco-relay/config.h"
#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/registry.h"

namespace hyco::relay {

class Relay final : public LwsHandler, public Context {
public:
    explicit Relay(Config config);
    ~Relay() override;
    Relay(const Relay&) = delete;
    Relay& operator=(const Relay&) = delete;

    /// Serves until SIGINT/SIGTERM; prints the banner lines once listening.
    Status run();
    /// run() ended because of SIGINT or SIGTERM (after closing every
    /// connection): the tool then exits 130, like every hyco tool.
    bool interrupted() const { return interrupted_; }

    const Config& config() const override { return config_; }
    Registry& registry() override { return registry_; }
    EventLoop& loop() const override { return *loop_; }
    Conn* find(std::uint64_t id) const override;
    void log(std::string_view message) const override;
    void verbose(std::string_view message) const override;
    void retire(std::unique_ptr<Handler> handler) override;
    void kick(Conn& conn) override;
    void read_next_request(Conn& conn) override;
    std::string base_url(bool websocket) const override;
    std::string status_json() const override;

    /// A new socket: admission (FILTER_NETWORK_CONNECTION) and adoption.
    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;
    int on_conn_event(Conn& c, lws_callback_reasons reason, void* in, std::size_t len) override;

private:
    Status create_loop();
    void on_signal(int signo);
    void adopt(lws* wsi);
    void closed(Conn& c);
    void begin_shutdown();
    void after_callback();
    /// Whether a new connection may be accepted (counts refusals, logs the
    /// start and end of an overload once each, never per connection).
    bool admit(bool answer_503);

    Config config_;
    Registry registry_;
    std::unique_ptr<EventLoop> loop_;
    std::uint16_t port_ = 0;
    std::string bind_address_;  ///< --host resolved to a numeric address
    std::string tls_dir_;  ///< generated certificate files, removed at exit
    std::map<std::uint64_t, std::unique_ptr<Conn>> conns_;
    std::uint64_t next_id_ = 1;
    std::vector<std::unique_ptr<Handler>> graveyard_;
    std::vector<std::uint64_t> kicks_;
    std::string scratch_;
    int depth_ = 0;
    bool stopping_ = false;
    bool interrupted_ = false;
    bool overloaded_ = false;        ///< at --max-connections since the last log line
    std::uint64_t turned_away_ = 0;  ///< connections answered 503 or closed meanwhile
};

}  // namespace hyco::relay
