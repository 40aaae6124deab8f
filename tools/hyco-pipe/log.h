// hyco-pipe's diagnostics on stderr: connection open/close lines (-v),
// failures of single connections in server mode (always), and the -X hex
// and --textdump traffic dumps. stdout never sees any of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/common/traffic_dump.h"

namespace hyco::pipe {

class Log {
public:
    Log(int verbose, cli::DumpFlags dump) : verbose_(verbose), dump_(dump) {}

    bool verbose() const { return verbose_ > 0; }
    bool dumping() const { return dump_.any(); }
    void set_json(bool on) { json_ = on; }
    bool json() const { return json_; }
    /// Many forwards in one process: every line starts with "[NAME] ".
    void set_prefix(const std::string& name) { prefix_ = name.empty() ? "" : "[" + name + "] "; }
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
    cli::DumpFlags dump_;
    bool json_ = false;
    std::string prefix_;
};

}  // namespace hyco::pipe
