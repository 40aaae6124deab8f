// Reading secrets (keys, tokens, connection strings) from files, so they stay
// out of argv and therefore out of `ps`.
#pragma once

#include <string>
#include <string_view>

#include "core/base/error.h"

namespace hyco {

/// Reads a secret file: at most 64 KiB, one trailing newline (LF or CRLF)
/// removed, must not be empty. `what` names the secret in errors.
Result<std::string> read_secret_file(const std::string& path, std::string_view what);

}  // namespace hyco
