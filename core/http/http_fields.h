// HTTP/1.1 message-head syntax shared by the relay's request parser and the
// client's response parser (RFC 9112 §2-5, RFC 9110 §5): lines, tokens and
// field lines, and lookups in a field list.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyco::http {

/// Header fields in arrival order; names compare case-insensitively.
using Fields = std::vector<std::pair<std::string, std::string>>;

bool is_token(std::string_view s);
/// Control characters other than HTAB (never valid in a field value).
bool has_bad_value_char(std::string_view s);
/// Strips optional whitespace (SP, HTAB) at both ends.
std::string_view trim_ows(std::string_view s);

/// The next LF-terminated line at `pos` (a CR before the LF is dropped), or
/// nullopt when the data holds no complete line yet; advances `pos`.
std::optional<std::string_view> next_line(std::string_view data, std::size_t& pos);

enum class FieldError { none, folding, no_colon, bad_name, bad_value };

/// Parses one field line (strict: no obs-fold, no whitespace before ':')
/// and appends it to `out`.
FieldError parse_field_line(std::string_view line, Fields& out);

/// First value of field `name`, or nullptr.
const std::string* find(const Fields& fields, std::string_view name);
/// All values of field `name` joined with ", " (RFC 9110 §5.3), if any.
std::optional<std::string> joined(const Fields& fields, std::string_view name);
/// True if some `name` field lists `token` (comma-separated, case-insensitive).
bool has_token(const Fields& fields, std::string_view name, std::string_view token);

/// Adds field `name`, or appends ", value" to the first field of that name
/// already in `out`: the one merge of repeated fields (RFC 9110 §5.3).
void merge(Fields& out, std::string_view name, std::string_view value);

/// The forwarding rules every hop of ours applies (hyco-relay between an
/// HTTP sender and a listener, hyco-pipe between the relay and a target).
/// The options the Connection fields list: fields of those names are for
/// this hop only (RFC 9110 §7.6.1).
std::vector<std::string> connection_options(const Fields& fields);
/// The one hop-by-hop list: the connection-specific fields of RFC 9110
/// §7.6.1 (and the reserved Close), the framing fields a forwarder sets
/// itself (Content-Length, Transfer-Encoding), and any name in `options`.
bool is_hop_by_hop(std::string_view name, const std::vector<std::string>& options = {});
/// `fields` as the next hop gets them: hop-by-hop fields dropped, repeats
/// kept as they came (Set-Cookie must not be merged).
Fields end_to_end(const Fields& fields);

}  // namespace hyco::http
