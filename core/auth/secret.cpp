// Secret files are small; anything larger is almost certainly the wrong file.
#include "core/auth/secret.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace hyco {

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
    std::string op = fmt::format("reading {} from {}", what, path);
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Exit::usage, op, std::strerror(errno));
    std::string data;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        data.append(buf, static_cast<std::size_t>(in.gcount()));
        if (data.size() > 65536) return make_error(Exit::usage, op, "the file is larger than 64 KiB");
    }
    if (in.bad()) return make_error(Exit::usage, op, "read error");
    if (!data.empty() && data.back() == '\n') data.pop_back();
    if (!data.empty() && data.back() == '\r') data.pop_back();
    if (data.empty()) return make_error(Exit::usage, op, "the file is empty");
    return data;
}

}  // namespace hyco
