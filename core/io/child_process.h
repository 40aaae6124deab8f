// Child processes for --exec and --accept-cmd: `/bin/sh -c CMD` with extra
// environment, stdin/stdout on pipes the event loop can adopt, default
// signal dispositions and an empty signal mask (the event loop blocks the
// signals it reads from a signalfd, and reaps the children: watch_child).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "core/base/error.h"

namespace hyco {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct ChildSpec {
    std::string command;  ///< run by /bin/sh -c (directly when direct_words allows)
    EnvVars env;          ///< added to (or replacing in) our environment
    bool pipe_stdin = true;
    bool pipe_stdout = true;
    /// Its own process group, so that signalling -pid stops a whole pipeline.
    bool own_process_group = false;
};

struct Child {
    pid_t pid = -1;
    int stdin_fd = -1;   ///< our end of the child's stdin (write), close-on-exec
    int stdout_fd = -1;  ///< our end of the child's stdout (read), close-on-exec
};

/// Starts the child. The child's stderr is ours. HYCO_CONNECTION_STRING,
/// HYCO_KEY and HYCO_TOKEN are not passed on.
Result<Child> spawn_shell(const ChildSpec& spec);

/// The words of a command that /bin/sh would run as one program with these
/// arguments and nothing else: only plain words (letters, digits and
/// `_ . / , : + @ % - =`, separated by spaces), the first naming no shell
/// builtin or keyword and assigning no variable. nullopt when the shell is
/// needed. Such a command is started directly, saving a shell's start-up on
/// every connection of `--exec`; the shell remains the fallback.
std::optional<std::vector<std::string>> direct_words(std::string_view command);

/// The environment variables that hold credentials.
bool is_credential_variable(std::string_view name);

/// Exit code (0-255), or 128+signal for a child killed by a signal.
int exit_code_of(int wait_status);

/// Environment-variable name for an HTTP header: HYCO_HEADER_ + upper case,
/// other characters than letters and digits as '_'.
std::string header_env_name(std::string_view header);

}  // namespace hyco
