// Files that hold a secret (a key, a token, a connection string, proxy
// credentials): a warning when others can read them.
#pragma once

#include <string>
#include <string_view>

namespace hyco::cli {

/// Warns on stderr (one line) when the secret FILE is readable by group or
/// others. `what` names the secret: "key file".
void warn_if_exposed(const std::string& path, std::string_view what);

}  // namespace hyco::cli
