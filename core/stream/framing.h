// How a byte stream maps to WebSocket messages and back: text lines (one
// line = one text message), raw binary chunks, or NUL-separated text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ws/ws_frame.h"

namespace hyco {

enum class Framing {
    text,    ///< '\n' ends a message; received messages get a '\n' appended
    binary,  ///< every read is one binary message; received payloads are written raw
    nul,     ///< like text, with '\0' as the separator
};

/// Parses "text", "binary", "nul"; nullopt otherwise.
std::optional<Framing> parse_framing(std::string_view name);
std::string_view framing_name(Framing f);

/// Cuts outgoing bytes into messages. Memory is bounded by `max_fragment`:
/// a line longer than that leaves as a fragmented message instead of being
/// buffered whole.
class MessageSplitter {
public:
    explicit MessageSplitter(Framing framing, std::size_t max_fragment = 64 * 1024);

    /// Appends the fragments `bytes` completes to `out`.
    void feed(std::string_view bytes, std::vector<Fragment>& out);
    /// End of input: an unterminated last line still becomes a message.
    void finish(std::vector<Fragment>& out);
    /// Bytes held back waiting for a separator.
    std::size_t pending() const { return pending_.size(); }
    /// Exact mode (between hyco peers): messages keep their separator and
    /// travel as binary, so the bytes arrive unchanged, a last line without
    /// a newline included.
    void set_exact(bool exact) { exact_ = exact; }

private:
    void emit(std::string data, bool final, std::vector<Fragment>& out);

    Framing framing_;
    std::size_t max_;
    std::string pending_;
    bool in_message_ = false;  ///< a non-final fragment of this message went out
    bool exact_ = false;
};

/// Checks that outgoing text-mode input really is text, as it is read:
/// valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF) and,
/// in text framing, no NUL. Text mode never alters data silently: input
/// that is not text stops the transfer instead of arriving changed.
class TextCheck {
public:
    explicit TextCheck(Framing framing) : framing_(framing) {}
    /// nullopt while the stream is text; else why not ("invalid UTF-8 at byte 1234").
    std::optional<std::string> feed(std::string_view bytes);
    /// End of input: a sequence cut off at the end is invalid too.
    std::optional<std::string> finish();

private:
    Framing framing_;
    std::uint64_t offset_ = 0;  ///< bytes checked so far
    unsigned need_ = 0;         ///< continuation bytes still expected
    std::uint32_t cp_ = 0;
    std::uint32_t min_ = 0;     ///< smallest code point this sequence length may encode
};

/// What ends a received message in the byte stream: "\n", "\0", or nothing (binary).
std::string_view message_separator(Framing framing);


}  // namespace hyco
