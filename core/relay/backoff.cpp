// Reconnect ladder (see backoff.h).
#include "core/relay/backoff.h"

#include <array>

namespace hyco {

std::chrono::seconds Backoff::next() {
    static constexpr std::array<int, 6> kLadder = {0, 1, 2, 5, 10, 30};
    std::size_t i = step_ < kLadder.size() ? step_ : kLadder.size() - 1;
    ++step_;
    return std::chrono::seconds(kLadder[i]);
}

}  // namespace hyco
