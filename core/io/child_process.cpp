// Child process plumbing (see child_process.h). posix_spawn keeps the parent's
// memory out of the picture and lets us reset the signals the parent ignores
// (SIGPIPE) or handles (SIGINT, SIGTERM) to their defaults for the child.
#include "core/io/child_process.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hyco {

bool is_credential_variable(std::string_view name) {
    return name == "HYCO_CONNECTION_STRING" || name == "HYCO_KEY" || name == "HYCO_TOKEN" ||
           name == "HYCO_PROXY_USER";
}

std::optional<std::vector<std::string>> direct_words(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    for (char c : command) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == ' ') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else if (std::isalnum(u) || std::string_view("_./,:+@%-=").find(c) != std::string_view::npos) {
            word += c;
        } else {
            return std::nullopt;  // quoting, expansion, redirection, tabs...: the shell's
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    if (words.empty() || words[0].find('=') != std::string::npos) return std::nullopt;
    // Builtins (some also exist as programs that behave differently) and
    // keywords: the shell decides what they mean.
    static constexpr std::string_view kShellWords[] = {
        ".",     "alias",  "bg",      "break",  "case",   "cd",     "command", "continue", "do",     "done",
        "echo",  "elif",   "else",    "esac",   "eval",   "exec",   "exit",    "export",   "false",  "fc",
        "fg",    "fi",     "for",     "getopts", "hash",  "if",     "jobs",    "kill",     "local",  "printf",
        "pwd",   "read",   "readonly", "return", "set",   "shift",  "test",    "then",     "times",  "trap",
        "true",  "type",   "ulimit",  "umask",  "unalias", "unset", "until",   "wait",     "while",  "function"};
    for (std::string_view w : kShellWords)
        if (words[0] == w) return std::nullopt;
    return words;
}

Result<Child> spawn_shell(const ChildSpec& spec) {
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    auto close_all = [&] {
        for (int fd : {in[0], in[1], out[0], out[1]})
            if (fd >= 0) ::close(fd);
    };
    if ((spec.pipe_stdin && pipe2(in, O_CLOEXEC) != 0) || (spec.pipe_stdout && pipe2(out, O_CLOEXEC) != 0)) {
        close_all();
        return make_error(Exit::failure, "start " + spec.command, std::strerror(errno));
    }
    // Environment: ours without our credentials (a per-connection child
    // answers a remote sender), with the extra variables replacing same-named ones.
    std::map<std::string, std::string> vars;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq == std::string::npos || is_credential_variable(std::string_view(kv).substr(0, eq))) continue;
        vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : spec.env) vars[k] = v;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (spec.pipe_stdin) posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    if (spec.pipe_stdout) posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    // Not every descriptor lws opens is close-on-exec: a child must not keep
    // another connection's socket (and its TCP FIN) alive.
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigmask(&attr, &empty);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (spec.own_process_group) {
        posix_spawnattr_setpgroup(&attr, 0);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attr, flags);

    pid_t pid = -1;
    int rc = ENOENT;
    if (auto words = direct_words(spec.command)) {
        // A program not found on PATH may still be something the shell
        // knows (a function in ENV, say): then the shell runs it.
        std::vector<char*> argv;
        for (std::string& w : *words) argv.push_back(w.data());
        argv.push_back(nullptr);
        rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv.data(), envp.data());
    }
    if (rc != 0) {
        std::string cmd = spec.command;
        char sh[] = "/bin/sh";
        char dash_c[] = "-c";
        char* argv[] = {sh, dash_c, cmd.data(), nullptr};
        rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, envp.data());
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        close_all();
        return make_error(Exit::failure, "start " + spec.command, std::strerror(rc));
    }
    Child c;
    c.pid = pid;
    if (spec.pipe_stdin) {
        ::close(in[0]);
        c.stdin_fd = in[1];
    }
    if (spec.pipe_stdout) {
        ::close(out[1]);
        c.stdout_fd = out[0];
    }
    return c;
}

int exit_code_of(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return 1;
}

std::string header_env_name(std::string_view header) {
    std::string out = "HYCO_HEADER_";
    for (char c : header) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::toupper(u));
        else out += '_';
    }
    return out;
}

}  // namespace hyco
