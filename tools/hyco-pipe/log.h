// hyco-pipe's diagnostics on stderr: connection open/close lines (-v),
// failures of single connections in server mode (always), and the -X hex
// dump. stdout never sees any of it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hyco::pipe {

/// Formats `bytes` as hex dump lines: offset, 16 bytes in hex, then the
/// printable characters (`.` for others). `offset` numbers the first byte.
std::string hexdump(std::string_view bytes, std::uint64_t offset);

class Log {
public:
    Log(int verbose, bool hexdump, std::FILE* out = stderr) : verbose_(verbose), hexdump_(hexdump), out_(out) {}

    bool verbose() const { return verbose_ > 0; }
    bool dumping() const { return hexdump_; }
    void set_json(bool on) { json_ = on; }
    bool json() const { return json_; }
    /// A --json line (already JSON text).
    void event(const std::string& json_line) const;
    /// A -v line.
    void info(const std::string& line) const;
    /// A line printed whatever the verbosity (a connection failed in server mode).
    void warn(const std::string& line) const;
    /// One chunk of traffic of connection `id`: `>` ADDRESS1 to ADDRESS2, `<` back.
    void traffic(std::uint64_t id, int dir, std::string_view bytes, std::uint64_t offset) const;

private:
    void line(const std::string& text) const;

    int verbose_;
    bool hexdump_;
    bool json_ = false;
    std::FILE* out_;
};

}  // namespace hyco::pipe
