// Message framing for byte streams (see framing.h).
#include "core/stream/framing.h"

#include <fmt/format.h>

namespace hyco {

std::optional<Framing> parse_framing(std::string_view name) {
    if (name == "text") return Framing::text;
    if (name == "binary") return Framing::binary;
    if (name == "nul") return Framing::nul;
    return std::nullopt;
}

std::string_view framing_name(Framing f) {
    switch (f) {
    case Framing::text: return "text";
    case Framing::binary: return "binary";
    case Framing::nul: return "nul";
    }
    return "text";
}

MessageSplitter::MessageSplitter(Framing framing, std::size_t max_fragment)
    : framing_(framing), max_(max_fragment ? max_fragment : 1) {}

void MessageSplitter::emit(std::string data, bool final, std::vector<Fragment>& out) {
    Fragment f;
    f.data = std::move(data);
    f.binary = framing_ == Framing::binary || exact_;
    f.first = !in_message_;
    f.final = final;
    in_message_ = !final;
    out.push_back(std::move(f));
}

void MessageSplitter::feed(std::string_view bytes, std::vector<Fragment>& out) {
    if (framing_ == Framing::binary) {
        // Binary data has no message boundaries of its own: each chunk read
        // is a message, cut to the fragment size.
        while (!bytes.empty()) {
            std::size_t n = bytes.size() < max_ ? bytes.size() : max_;
            emit(std::string(bytes.substr(0, n)), true, out);
            bytes.remove_prefix(n);
        }
        return;
    }
    const char sep = framing_ == Framing::text ? '\n' : '\0';
    while (!bytes.empty()) {
        std::size_t at = bytes.find(sep);
        bool found = at != std::string_view::npos;
        pending_.append(found ? bytes.substr(0, at) : bytes);
        // Never hold more than one fragment: a long line leaves in pieces.
        while (pending_.size() > max_ || (!found && pending_.size() >= max_)) {
            emit(pending_.substr(0, max_), false, out);
            pending_.erase(0, max_);
        }
        if (!found) return;
        bytes.remove_prefix(at + 1);
        if (exact_) pending_.push_back(sep);
        emit(std::move(pending_), true, out);
        pending_.clear();
    }
}

void MessageSplitter::finish(std::vector<Fragment>& out) {
    if (framing_ == Framing::binary) return;
    if (!pending_.empty() || in_message_) {
        emit(std::move(pending_), true, out);
        pending_.clear();
    }
}

std::optional<std::string> TextCheck::feed(std::string_view bytes) {
    if (framing_ == Framing::binary) return std::nullopt;
    auto invalid = [&](std::size_t i, const char* what) {
        return std::optional<std::string>(fmt::format("{} at byte {}", what, offset_ + i));
    };
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto c = static_cast<unsigned char>(bytes[i]);
        if (need_ > 0) {
            if ((c & 0xC0) != 0x80) return invalid(i, "invalid UTF-8");
            cp_ = (cp_ << 6) | (c & 0x3F);
            if (--need_ == 0 && (cp_ < min_ || cp_ > 0x10FFFF || (cp_ >= 0xD800 && cp_ <= 0xDFFF)))
                return invalid(i, "invalid UTF-8");
            continue;
        }
        if (c == 0 && framing_ == Framing::text) return invalid(i, "a NUL byte");
        if (c < 0x80) continue;
        if ((c & 0xE0) == 0xC0) need_ = 1, cp_ = c & 0x1F, min_ = 0x80;
        else if ((c & 0xF0) == 0xE0) need_ = 2, cp_ = c & 0x0F, min_ = 0x800;
        else if ((c & 0xF8) == 0xF0) need_ = 3, cp_ = c & 0x07, min_ = 0x10000;
        else return invalid(i, "invalid UTF-8");
    }
    offset_ += bytes.size();
    return std::nullopt;
}

std::optional<std::string> TextCheck::finish() {
    if (need_ == 0) return std::nullopt;
    return fmt::format("invalid UTF-8 at byte {} (a character cut off at the end)", offset_);
}

std::string_view message_separator(Framing framing) {
    switch (framing) {
    case Framing::text: return "\n";
    case Framing::nul: return std::string_view("\0", 1);
    case Framing::binary: return {};
    }
    return {};
}

}  // namespace hyco
