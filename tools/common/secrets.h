// Keeping secrets (keys, tokens, connection strings) out of places they leak
// to: error messages, the process list, core dumps, readable files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hyco::cli {

/// Secret values seen on this command line or in the environment, and the
/// one redaction every message that quotes user input goes through.
class SecretValues {
public:
    /// Adds a value (a key, a token, a connection string). A connection
    /// string's key and signature are added on their own too, and so is a
    /// URL's password (`http://user:password@proxy`). Unless `always`, a value
    /// with neither '=' nor such a password (a file name given to -x, a proxy
    /// URL without credentials) is not a secret; nor, even if `always`, is
    /// the name of an existing file.
    void add(std::string_view value, bool always = false);
    /// Adds HYCO_KEY, HYCO_TOKEN, HYCO_CONNECTION_STRING, HYCO_PROXY_USER and
    /// proxy URLs with a password (HTTPS_PROXY, ...) from the environment.
    void add_environment();
    /// `text` with every known secret, `sig=`, `SharedAccessKey=` and
    /// `SharedAccessSignature=` value replaced by REDACTED.
    std::string redact(std::string_view text) const;
    const std::vector<std::string>& values() const { return values_; }

private:
    std::vector<std::string> values_;
};

/// Overwrites, in place, the argv strings that hold a secret: any element
/// equal to one of `values` (or `--opt=VALUE`, `-xVALUE`) and any element
/// with a `SharedAccessKey=`, `SharedAccessSignature=` or `sig=` in it. The
/// kernel shows the overwritten bytes in /proc/PID/cmdline and ps, as for
/// MySQL's --password.
void scrub_argv(int argc, char** argv, const std::vector<std::string>& values);

/// No core dumps and no same-user ptrace or /proc/PID/{mem,environ} reads
/// while the process holds a key: PR_SET_DUMPABLE 0 and RLIMIT_CORE 0
/// (docs/design.md, "Secrets").
void harden_process();

}  // namespace hyco::cli
