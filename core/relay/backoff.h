// The reconnect ladder every Microsoft listener uses (docs/protocol.md §8):
// 0, 1, 2, 5, 10, 30 s, then 30 s for ever; back to the start only after a
// connection that stayed open for kSettled, so a relay or proxy that accepts
// and drops at once is retried on the ladder, not in a hot loop.
#pragma once

#include <chrono>
#include <cstddef>

namespace hyco {

class Backoff {
public:
    /// How long a connection must have stayed open for its drop to restart
    /// the ladder at 0 s: the keep-alive interval and the ladder's top rung.
    static constexpr std::chrono::seconds kSettled{30};

    /// Delay before the next attempt; advances the ladder.
    std::chrono::seconds next();
    /// A connection that had opened dropped after `up`: if it stayed open
    /// for kSettled, the next failure starts from 0 s again.
    void dropped_after(std::chrono::milliseconds up) {
        if (up >= kSettled) step_ = 0;
    }
    std::size_t attempts() const { return step_; }

private:
    std::size_t step_ = 0;
};

}  // namespace hyco
