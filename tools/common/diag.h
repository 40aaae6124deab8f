// Every tool's diagnostics on stderr, written one way: "TOOL: text" on one
// line, control characters from peers escaped, and every secret the command
// line or environment carried redacted. stdout never sees any of it.
//
// The sink is per process, like stderr itself: Tool::main points it at the
// tool's secrets, so a log line written deep in hyco-relay or hyco-pipe is
// redacted the same way as an error that ends the tool.
#pragma once

#include <string_view>

namespace hyco::cli {

class SecretValues;

namespace diag {

/// Names the tool for the prefix and the secrets to redact (Tool::main).
void attach(std::string_view tool_name, const SecretValues* secrets);

/// "TOOL: text".
void note(std::string_view text);
/// "TOOL: warning: text".
void warning(std::string_view text);
/// "TOOL: error: text".
void error(std::string_view text);
/// A line as it is (a --json event, a dump), secrets still redacted.
void raw_line(std::string_view line);
/// Text without a newline (a progress line being redrawn), flushed.
void partial(std::string_view text);

}  // namespace diag
}  // namespace hyco::cli
