// Registry implementation. Listener choice is uniform at random, as the
// service documents ("random with best-effort fairness").
#include "tools/hyco-relay/registry.h"

#include <algorithm>

#include "core/auth/crypto.h"
#include "core/base/duration.h"
#include "core/base/text.h"

namespace hyco::relay {

// Entity names are case-insensitive in Azure Relay ("HYCO" and "hyco" are one
// entity), so the map is keyed by the lower-case path; Entity::path keeps
// the spelling it was declared or first opened with.
std::string Registry::key(std::string_view path) { return text::to_lower(path); }

Registry::Registry(const Config& config) {
    std::string seed = crypto::random_bytes(8);
    std::uint64_t s = 0;
    for (char c : seed) s = (s << 8) | static_cast<unsigned char>(c);
    rng_.seed(s);
    for (const EntityDecl& d : config.entities) {
        Entity e;
        e.path = d.path;
        e.declared = true;
        e.anonymous_senders = d.anonymous_senders;
        e.created_at = unix_now();
        entities_[key(d.path)] = std::move(e);
    }
}

Entity* Registry::match(const std::vector<std::string>& segments, std::string& suffix) {
    std::string path;
    Entity* best = nullptr;
    std::size_t best_len = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (i) path += '/';
        path += key(segments[i]);
        if (auto it = entities_.find(path); it != entities_.end()) {
            best = &it->second;
            best_len = i + 1;
        }
    }
    suffix.clear();
    if (best)
        for (std::size_t i = best_len; i < segments.size(); ++i) suffix += "/" + segments[i];
    return best;
}

Entity* Registry::create(const std::string& path) {
    if (auto* e = find(path)) return e;
    if (entities_.size() >= kMaxEntities) return nullptr;
    Entity& e = entities_[key(path)];
    e.path = path;
    e.created_at = unix_now();
    return &e;
}

Entity* Registry::find(std::string_view path) {
    auto it = entities_.find(key(path));
    return it == entities_.end() ? nullptr : &it->second;
}

bool Registry::add_listener(Entity& e, ListenerRef ref, int max) {
    if (static_cast<int>(e.listeners.size()) >= max) return false;
    e.listeners.push_back(std::move(ref));
    return true;
}

void Registry::remove_listener(std::string_view path, std::uint64_t conn) {
    Entity* e = find(path);
    if (!e) return;
    auto& l = e->listeners;
    l.erase(std::remove_if(l.begin(), l.end(), [&](const ListenerRef& r) { return r.conn == conn; }), l.end());
}

std::optional<ListenerRef> Registry::pick(Entity& e) {
    if (e.listeners.empty()) return std::nullopt;
    return e.listeners[random_below(e.listeners.size())];
}

std::size_t Registry::random_below(std::size_t n) {
    std::uniform_int_distribution<std::size_t> d(0, n - 1);
    return d(rng_);
}

std::optional<PendingAccept> Registry::take_accept(const std::string& id) {
    auto it = accepts_.find(id);
    if (it == accepts_.end()) return std::nullopt;
    PendingAccept p = std::move(it->second);
    accepts_.erase(it);
    return p;
}

std::vector<std::uint64_t> Registry::senders_waiting_on(std::uint64_t listener) const {
    std::vector<std::uint64_t> out;
    for (const auto& [id, p] : accepts_)
        if (p.listener == listener) out.push_back(p.sender);
    return out;
}

Exchange* Registry::exchange(const std::string& id) const {
    auto it = exchanges_.find(id);
    return it == exchanges_.end() ? nullptr : it->second;
}

std::optional<KeptRendezvous> Registry::take_rendezvous(std::uint64_t sender) {
    auto it = kept_.find(sender);
    if (it == kept_.end()) return std::nullopt;
    KeptRendezvous k = std::move(it->second);
    kept_.erase(it);
    return k;
}

bool Registry::drop_rendezvous(std::uint64_t sender, std::uint64_t rendezvous) {
    auto it = kept_.find(sender);
    if (it == kept_.end() || it->second.rendezvous != rendezvous) return false;
    kept_.erase(it);
    return true;
}

std::string Registry::new_id(std::string_view prefix) {
    std::string p(prefix);
    if (p.empty()) p = crypto::uuid4();
    return p + "_G" + crypto::random_hex(16);
}

}  // namespace hyco::relay
