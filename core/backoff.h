// The reconnect ladder every Microsoft listener uses (protocol.md §8):
// 0, 1, 2, 5, 10, 30 s, then 30 s for ever; back to the start after a
// connection that succeeded.
#pragma once

#include <chrono>
#include <cstddef>

namespace hyco {

class Backoff {
public:
    /// Delay before the next attempt; advances the ladder.
    std::chrono::seconds next();
    /// A connection succeeded: the next failure starts from 0 s again.
    void reset() { step_ = 0; }
    std::size_t attempts() const { return step_; }

private:
    std::size_t step_ = 0;
};

}  // namespace hyco
