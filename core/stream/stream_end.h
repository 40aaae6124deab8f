// How a relayed stream ends, decided in one place (docs/design.md, "End of
// stream"). Between two hyco peers a WebSocket subprotocol turns on end
// records: each side ends its data with a record carrying its byte count
// (and a command's exit status), and acknowledges the peer's record once
// every byte was delivered, so success never depends on close codes, which
// a relay may rewrite. With any other peer the close code is all there is,
// and one policy reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace hyco::eos {

/// Offered first so that a listener which simply takes the first offer
/// (Microsoft's hyco-ws and .NET listeners do) stays in plain mode.
inline constexpr std::string_view kPlain = "hyco.plain";
/// Chosen only by a hyco listener: end records in both directions.
inline constexpr std::string_view kRecords = "hyco.end.v1";

/// A sender's offer: the user's own subprotocols if any (end records are
/// then off), else hyco's pair.
std::vector<std::string> offer(const std::vector<std::string>& user);
/// Whether a subprotocol is one of hyco's own, never shown to applications.
bool is_internal(std::string_view subprotocol);
/// A listener's choice among `offered` given the ones it `supports`
/// (empty: the first offer): kRecords when the sender offered it and no
/// application subprotocol applies; nullopt when nothing fits.
std::optional<std::string> choose(const std::vector<std::string>& offered, const std::vector<std::string>& supports);

/// How the peer's command ended, as carried in an end record.
struct RemoteExit {
    int code = 0;    ///< exit status (0-255) when signal is 0
    int signal = 0;  ///< the signal that killed it, else 0

    /// The status a local tool exits with: the code, or 128+signal as shells report it.
    int exit_status() const { return signal ? 128 + signal : code; }
    std::string describe() const;
    /// From a waitpid() status.
    static RemoteExit from_wait_status(int wait_status);
};

/// One end record: `end` closes a direction after `bytes` data bytes;
/// `ack` confirms that all `bytes` of the peer's direction were delivered.
struct Record {
    enum class Kind { end, ack } kind = Kind::end;
    std::uint64_t bytes = 0;
    std::optional<RemoteExit> exit;  ///< end only: the command's status
};

/// Records travel as text messages (data as binary ones); this bounds them.
inline constexpr std::size_t kMaxRecord = 1024;

std::string encode(const Record& r);
/// Strict: unknown kinds, missing or negative counts, trailing garbage fail.
Result<Record> decode(std::string_view text);

/// The close policy for every peer: a Close with one of these codes means
/// "the peer sends no more" (1000 normal, 1001 going away — what the
/// service sends when the other side shut down — and 1005 no status).
/// Every other code is an error.
bool is_normal_close(int code);
/// The code hyco closes with when interrupted (SIGINT/SIGTERM): an error,
/// so a plain peer never takes a cut stream for a complete one.
inline constexpr int kInterruptedCode = 1011;

}  // namespace hyco::eos
