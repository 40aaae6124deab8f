// Rejections on their way: a listener refuses a sender by opening a
// WebSocket to the accept address extended with the status and description,
// and the relay answers 410 when it has told the sender (docs/protocol.md §4.2).
// Shared by hyco-listen and hyco-pipe's relay-listen.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/relay/accept_info.h"

namespace hyco {

class Rejections {
public:
    explicit Rejections(EventLoop& loop);
    ~Rejections();
    Rejections(const Rejections&) = delete;
    Rejections& operator=(const Rejections&) = delete;

    /// Rejects the sender behind `accept_address`; `done(delivered)` runs when
    /// the relay has answered (delivered: it said 410). Errors: a malformed address.
    Status send(const std::string& accept_address, const Verdict& verdict,
                std::function<void(bool delivered)> done = {});

    /// No rejection is waiting for the relay's answer.
    bool empty() const { return pending_.empty(); }

private:
    class Pending;
    EventLoop& loop_;
    std::map<std::uint64_t, std::unique_ptr<Pending>> pending_;
    std::uint64_t next_ = 1;
};

}  // namespace hyco
