// What a socket writer takes its bytes from, without copying them out
// first: ClientTransport writes a WebSocket client's send queue through it,
// straight to the socket for plain TCP or in batches to encrypt for TLS.
#pragma once

#include <cstddef>
#include <string>

namespace hyco {

class WireSource {
public:
    /// Writes up to `budget` bytes to the non-blocking socket `fd` until it
    /// is full; the bytes written, or -1 if the socket failed (errno says why).
    virtual std::ptrdiff_t send(int fd, std::size_t budget) = 0;
    /// Appends up to `budget` bytes to `out` and counts them as written.
    virtual std::size_t fill(std::string& out, std::size_t budget) = 0;

protected:
    ~WireSource() = default;
};

}  // namespace hyco
