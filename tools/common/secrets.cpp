// Redaction, argv scrubbing and process hardening (see secrets.h).
#include "tools/common/secrets.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/auth/sas.h"

namespace hyco::cli {
namespace {

constexpr std::string_view kMarkers[] = {"SharedAccessKey=", "SharedAccessSignature=", "sig="};

/// The value after `marker` in a connection string or token, up to `;`/`&`.
std::string value_after(std::string_view text, std::string_view marker) {
    auto pos = text.find(marker);
    if (pos == std::string_view::npos) return {};
    std::string_view rest = text.substr(pos + marker.size());
    return std::string(rest.substr(0, rest.find_first_of(";&")));
}

bool has_marker(std::string_view s) {
    return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                       [&](std::string_view m) { return s.find(m) != std::string_view::npos; });
}

/// The password in a URL's `user:password@` (a proxy URL), or empty.
std::string_view url_password(std::string_view value) {
    if (auto scheme = value.find("://"); scheme != std::string_view::npos) value = value.substr(scheme + 3);
    auto at = value.rfind('@', value.find('/'));
    if (at == std::string_view::npos) return {};
    std::string_view userinfo = value.substr(0, at);
    auto colon = userinfo.find(':');
    return colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1);
}

void overwrite(char* s) {
    for (; *s; ++s) *s = 'x';
}

}  // namespace

void SecretValues::add(std::string_view value, bool always) {
    // Very short values (a one-letter typo) would redact half of every message.
    std::string_view password = url_password(value);
    bool has_equals = value.find('=') != std::string_view::npos;
    // `-x cs.txt` meant `-x @cs.txt`: the name of an existing file is no
    // secret, and the hint that quotes it must stay readable.
    bool names_file = !has_equals && password.empty() && access(std::string(value).c_str(), F_OK) == 0;
    if (value.size() >= 6 && value.front() != '@' && !names_file && (always || has_equals || !password.empty()))
        values_.emplace_back(value);
    if (password.size() >= 6) values_.emplace_back(password);
    for (std::string_view marker : kMarkers) {
        std::string inner = value_after(value, marker);
        if (inner.size() >= 6) values_.push_back(std::move(inner));
    }
    // Longest first, so that a connection string goes before the key inside it.
    std::sort(values_.begin(), values_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
}

void SecretValues::add_environment() {
    for (const char* name : {"HYCO_KEY", "HYCO_TOKEN", "HYCO_CONNECTION_STRING", "HYCO_PROXY_USER"})
        if (const char* v = std::getenv(name)) add(v, true);
    // Proxy URLs are secret only when they carry a password.
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"})
        if (const char* v = std::getenv(name)) add(v, false);
}

std::string SecretValues::redact(std::string_view text) const {
    std::string out(text);
    for (const std::string& v : values_) {
        std::size_t pos = 0;
        while ((pos = out.find(v, pos)) != std::string::npos) {
            out.replace(pos, v.size(), "REDACTED");
            pos += 8;
        }
    }
    out = sas::redact_in(out);
    // sas::redact_in leaves a connection string's SharedAccessSignature value.
    const std::string marker = "SharedAccessSignature=";
    for (std::size_t pos = 0; (pos = out.find(marker, pos)) != std::string::npos;) {
        std::size_t start = pos + marker.size();
        std::size_t end = std::min(out.find(';', start), out.size());
        if (out.compare(start, end - start, "REDACTED") != 0) out.replace(start, end - start, "REDACTED");
        pos = start + 8;
    }
    return out;
}

void scrub_argv(int argc, char** argv, const std::vector<std::string>& values) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.empty()) continue;
        if (has_marker(arg)) {
            overwrite(argv[i]);
            continue;
        }
        for (const std::string& v : values) {
            if (arg == v) {
                overwrite(argv[i]);
            } else if (arg.size() > v.size() && arg.substr(arg.size() - v.size()) == v) {
                // --token=VALUE or -xVALUE: keep the option name readable.
                std::size_t keep = arg.size() - v.size();
                if (arg[0] == '-' && (arg[keep - 1] == '=' || keep == 2)) overwrite(argv[i] + keep);
            }
        }
    }
}

void harden_process() {
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // The soft limit only: children (--exec, exec:) inherit it and may raise it again.
    rlimit core{};
    if (getrlimit(RLIMIT_CORE, &core) == 0) {
        core.rlim_cur = 0;
        setrlimit(RLIMIT_CORE, &core);
    }
}

}  // namespace hyco::cli
