// Text helpers shared by the token, URI and connection-string parsers:
// percent-encoding, base64, ASCII case folding and input sanity checks; and
// printable(), which makes text from the network safe to print.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hyco::text {

/// Percent-encodes like JavaScript's encodeURIComponent (upper-case hex),
/// which is what Microsoft's clients use for `sr`, `sig` and `sb-hc-token`.
std::string encode_component(std::string_view s);

/// Percent-encodes one path segment: RFC 3986 unreserved characters stay.
std::string encode_path_segment(std::string_view s);

/// Decodes %XX sequences; nullopt on a malformed escape. `plus_is_space`
/// selects form decoding (`+` -> space), used for reject descriptions.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);

std::string base64_encode(std::string_view bytes);

/// Lower-case hex of raw bytes (digests, random identifiers).
std::string hex_encode(std::string_view bytes);
/// Strict standard base64 with padding; nullopt if anything is off.
std::optional<std::string> base64_decode(std::string_view s);

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

bool is_valid_utf8(std::string_view s);
/// True if `s` contains ASCII control characters (including NUL and DEL).
bool has_control(std::string_view s);

/// Quotes a user-supplied value for an error message: printable, bounded.
std::string quote(std::string_view s, std::size_t max = 60);

/// Text that came from the network (close reasons, reason phrases, rejection
/// descriptions, control-message fields) made safe for a terminal line: C0
/// controls, DEL, C1 controls and bytes that are not UTF-8 become `\n`, `\r`,
/// `\t` or `\xHH`; other UTF-8 is kept. Idempotent, so applying it where the
/// text enters a message and again where a line is printed is harmless.
std::string printable(std::string_view s);

}  // namespace hyco::text
