// The relay's bookkeeping: entities (declared or created on first use),
// the listeners on each, pending WebSocket rendezvous and HTTP exchanges.
// Plain data keyed by connection ids; no I/O, so it is unit-tested directly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tools/hyco-relay/config.h"

namespace hyco::relay {

class Exchange;

struct ListenerRef {
    std::uint64_t conn = 0;
    std::string id;  ///< the sb-hc-id it sent, for logs and status
};

struct Entity {
    std::string path;
    bool declared = false;
    bool anonymous_senders = false;
    std::vector<ListenerRef> listeners;
    std::uint64_t connections = 0;  ///< senders and HTTP requests routed so far
    std::int64_t created_at = 0;    ///< seconds since the epoch: relay start, or first use
};

/// An HTTP rendezvous kept open between the requests of one sender
/// connection: the next request from that connection travels over it.
struct KeptRendezvous {
    std::uint64_t rendezvous = 0;  ///< conn id of the listener's rendezvous socket
    std::uint64_t listener = 0;    ///< conn id of the control channel that was asked
    std::string entity;
};

/// A sender waiting for a listener to accept or reject.
struct PendingAccept {
    std::uint64_t sender = 0;  ///< conn id of the held upgrade
    std::string entity;
    std::uint64_t listener = 0;  ///< conn id of the control channel that was sent the accept
};

class Registry {
public:
    /// Auto-created entities stop at the namespace quota of Azure Relay.
    static constexpr std::size_t kMaxEntities = 10000;

    explicit Registry(const Config& config);

    /// The entity a request path (decoded segments after $hc) addresses: the
    /// longest existing entity that is a whole-segment prefix. `suffix` gets
    /// the rest ("" or "/a/b"). nullptr when none.
    Entity* match(const std::vector<std::string>& segments, std::string& suffix);
    /// Creates an entity on first use; nullptr when the quota is reached.
    Entity* create(const std::string& path);
    /// The entity named `path`, compared case-insensitively.
    Entity* find(std::string_view path);
    /// By lower-case path (see key()).
    const std::map<std::string, Entity>& entities() const { return entities_; }
    /// The map key of an entity path: entity names are case-insensitive.
    static std::string key(std::string_view path);

    /// Adds a listener unless the entity already has `max` of them.
    bool add_listener(Entity& e, ListenerRef ref, int max);
    void remove_listener(std::string_view path, std::uint64_t conn);
    /// A listener chosen uniformly at random, or nullopt.
    std::optional<ListenerRef> pick(Entity& e);
    /// Uniform in [0, n); n > 0.
    std::size_t random_below(std::size_t n);

    void add_accept(const std::string& id, PendingAccept p) { accepts_[id] = std::move(p); }
    /// Removes and returns the pending accept: rendezvous addresses are single-use.
    std::optional<PendingAccept> take_accept(const std::string& id);
    std::size_t pending_accepts() const { return accepts_.size(); }
    /// The senders waiting on accepts sent over control channel `listener`.
    std::vector<std::uint64_t> senders_waiting_on(std::uint64_t listener) const;

    void add_exchange(const std::string& id, Exchange* x) { exchanges_[id] = x; }
    void remove_exchange(const std::string& id) { exchanges_.erase(id); }
    Exchange* exchange(const std::string& id) const;
    std::size_t exchanges() const { return exchanges_.size(); }

    void keep_rendezvous(std::uint64_t sender, KeptRendezvous k) { kept_[sender] = std::move(k); }
    /// Removes and returns the rendezvous kept for a sender connection.
    std::optional<KeptRendezvous> take_rendezvous(std::uint64_t sender);
    /// Forgets the sender's kept rendezvous if it is `rendezvous`; true if it was.
    bool drop_rendezvous(std::uint64_t sender, std::uint64_t rendezvous);

    /// An unguessable rendezvous id: the tracking prefix, "_", 128 random bits.
    std::string new_id(std::string_view prefix);

private:
    std::map<std::string, Entity> entities_;
    std::map<std::string, PendingAccept> accepts_;
    std::map<std::string, Exchange*> exchanges_;
    std::map<std::uint64_t, KeptRendezvous> kept_;  ///< by sender conn id
    std::mt19937_64 rng_;
};

}  // namespace hyco::relay
