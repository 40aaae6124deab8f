// One line per write(2): lines from several sources never interleave.
#include "tools/common/diag.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/base/text.h"
#include "tools/common/secrets.h"

namespace hyco::cli::diag {
namespace {

struct Sink {
    std::string name = program_invocation_short_name;
    const SecretValues* secrets = nullptr;
};

Sink& sink() {
    static Sink s;
    return s;
}

void put(std::string text) {
    if (const SecretValues* s = sink().secrets) text = s->redact(text);
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // stderr is gone: nothing else could say so
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

void prefixed(std::string_view kind, std::string_view text) {
    put(sink().name + ": " + std::string(kind) + text::printable(text) + "\n");
}

}  // namespace

void attach(std::string_view tool_name, const SecretValues* secrets) {
    sink().name = std::string(tool_name);
    sink().secrets = secrets;
}

void note(std::string_view text) { prefixed("", text); }
void warning(std::string_view text) { prefixed("warning: ", text); }
void error(std::string_view text) { prefixed("error: ", text); }
void raw_line(std::string_view line) { put(std::string(line) + "\n"); }
void partial(std::string_view text) { put(std::string(text)); }

}  // namespace hyco::cli::diag
