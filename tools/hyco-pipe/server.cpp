// Server mode and session setup (see server.h).
#include "tools/hyco-pipe/server.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/json_text.h"
#include "core/ws/ws_client.h"

namespace hyco::pipe {

std::unique_ptr<Copier> make_session(EventLoop& loop, const PipeConfig& config, const Log& log, std::uint64_t id,
                                     std::unique_ptr<Stream> first, std::unique_ptr<Stream> second,
                                     Copier::Done done) {
    CopyOptions options{config.direction, config.linger, config.idle};
    auto started = std::chrono::steady_clock::now();
    auto copier = std::make_unique<Copier>(
        loop, std::move(first), std::move(second), options,
        [&log, id, started, done = std::move(done)](Copier& c, const Status& st) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
            if (log.json()) {
                nlohmann::json j{{"event", "closed"},       {"id", id},
                                 {"first", c.first().describe()}, {"second", c.second().describe()},
                                 {"bytes_forward", c.bytes(0)}, {"bytes_back", c.bytes(1)},
                                 {"duration_ms", ms.count()},   {"complete", st.ok()}};
                for (const Stream* s : {&c.first(), &c.second()})
                    if (const WsClose* close = s->relay_close(); close && close->code) {
                        j["close_code"] = close->code;
                        j["close_reason"] = close->reason;
                        break;
                    }
                if (!st) {
                    j["error"] = st.error().message();
                    j["exit"] = exit_code(st.error().code);
                }
                log.event(json_line(j));
            }
            if (log.verbose()) {
                log.info(fmt::format("#{} closed after {:.3f} s: {} bytes {} -> {}, {} bytes back{}", id,
                                     static_cast<double>(ms.count()) / 1000.0, c.bytes(0), c.first().describe(),
                                     c.second().describe(), c.bytes(1),
                                     st ? "" : ": " + st.error().message()));
            }
            done(c, st);
        });
    Copier* raw = copier.get();
    copier->on_open([&log, id, raw] {
        log.info(fmt::format("#{} open: {} <-> {}", id, raw->first().describe(), raw->second().describe()));
    });
    if (log.dumping()) {
        auto offsets = std::make_shared<std::uint64_t[]>(2);
        copier->set_tap([&log, id, offsets](int dir, std::string_view bytes) {
            log.traffic(id, dir, bytes, offsets[static_cast<std::size_t>(dir)]);
            offsets[static_cast<std::size_t>(dir)] += bytes.size();
        });
    }
    return copier;
}

Server::Server(EventLoop& loop, const PipeConfig& config, const Log& log)
    : loop_(loop), config_(config), log_(log), listening_(*config.listener()), other_(config.other(listening_)) {
    single_ = config.once || other_.kind == AddressKind::stdio;
}

Server::~Server() = default;

Status Server::start() {
    auto acceptor = open_acceptor(
        loop_, config_, listening_, log_,
        [this](std::unique_ptr<Stream> s, const std::string& peer, const Address* forward) {
            accepted(std::move(s), peer, forward);
        },
        [this](const Error& e) { stop(e); });
    if (!acceptor) return acceptor.error();
    acceptor_ = std::move(*acceptor);
    log_.info(fmt::format("listening on {} ({})", acceptor_->describe(), listening_.text));
    return {};
}

void Server::accepted(std::unique_ptr<Stream> stream, const std::string& peer, const Address* forward) {
    if (stopping_ || (single_ && served_ > 0)) return;  // the stream closes as it goes out of scope
    std::uint64_t id = next_id_++;
    ++served_;
    log_.info(fmt::format("#{} accepted from {}", id, peer));
    std::unique_ptr<Stream> other = make_endpoint(loop_, config_, forward ? *forward : other_);
    bool listening_first = &listening_ == &config_.first;
    auto copier = make_session(loop_, config_, log_, id, listening_first ? std::move(stream) : std::move(other),
                               listening_first ? std::move(other) : std::move(stream),
                               [this, id](Copier&, const Status& st) { session_done(id, st); });
    Copier* raw = copier.get();
    sessions_.emplace(id, std::move(copier));
    update_pause();
    raw->start();
}

void Server::session_done(std::uint64_t id, const Status& st) {
    // With one session its status is the command's: the final error line
    // says it once. Served among many, each failure gets its own line.
    if (!st && !single_ && !(stopping_ && st.error().code == Exit::interrupted))
        log_.warn(fmt::format("#{} failed: {}", id, st.error().message()));
    if (single_) result_ = st;
    // Not inside the copier's own callback: free it on the next turn.
    loop_.defer([this, id] {
        sessions_.erase(id);
        update_pause();
    });
}

void Server::update_pause() {
    if (!acceptor_) return;
    bool full = sessions_.size() >= config_.max_connections || (single_ && served_ > 0) || stopping_;
    acceptor_->pause(full);
    if (single_ && served_ > 0 && sessions_.empty()) acceptor_.reset();
}

void Server::stop(const Error& why) {
    if (stopping_) return;
    stopping_ = true;
    if (why.code != Exit::interrupted || !single_ || served_ == 0) result_ = why;
    acceptor_.reset();
    for (auto& [id, c] : sessions_) c->abort(why);
}

bool Server::done() const {
    if (!sessions_.empty()) return false;
    return stopping_ || (single_ && served_ > 0);
}

}  // namespace hyco::pipe
