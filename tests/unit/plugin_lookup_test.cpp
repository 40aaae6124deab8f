// The scandir() the tools export to lws (core/io/plugin_lookup.cpp): inside a
// PluginLookupScope a directory holding lws's libev plugin lists the plugin
// alone, through the caller's filter; anywhere else, and for a directory
// without the plugin, the listing is libc's, whole.
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>

#include "core/io/plugin_lookup.h"

using namespace hyco;

namespace {

/// A directory of empty files, removed with its files.
struct Dir {
    std::string path;
    std::set<std::string> files;
    explicit Dir(std::set<std::string> names) : files(std::move(names)) {
        char tmpl[] = "/tmp/hyco-plugin-lookup.XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
        for (const auto& f : files) {
            int fd = ::open((path + "/" + f).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
            REQUIRE(fd >= 0);
            ::close(fd);
        }
    }
    ~Dir() {
        for (const auto& f : files) ::unlink((path + "/" + f).c_str());
        ::rmdir(path.c_str());
    }
};

int no_dots(const dirent* e) { return std::string(e->d_name) != "." && std::string(e->d_name) != ".."; }
int none(const dirent*) { return 0; }

/// The names scandir lists, each entry and the array freed as its callers do.
std::set<std::string> list(const std::string& dir, int (*filter)(const dirent*) = no_dots) {
    dirent** names = nullptr;
    int n = ::scandir(dir.c_str(), &names, filter, alphasort);
    REQUIRE(n >= 0);
    std::set<std::string> out;
    for (int i = 0; i < n; ++i) {
        out.insert(names[i]->d_name);
        std::free(names[i]);
    }
    std::free(names);
    return out;
}

constexpr const char* kPlugin = "libwebsockets-evlib_ev.so";

}  // namespace

TEST_CASE("plugin lookup: inside a scope, a directory with the plugin lists the plugin alone") {
    Dir d({"libc.so.6", kPlugin, "libwebsockets.so.17", "zlib.so"});
    PluginLookupScope scope;
    CHECK(list(d.path) == std::set<std::string>{kPlugin});
    // The caller's filter still decides.
    CHECK(list(d.path, none).empty());
}

TEST_CASE("plugin lookup: outside a scope, and without the plugin, the listing is libc's") {
    Dir with({"a", kPlugin, "b"});
    Dir without({"a", "b"});
    CHECK(list(with.path) == with.files);
    {
        PluginLookupScope scope;
        CHECK(list(without.path) == without.files);
    }
    // A scope ends with its object.
    CHECK(list(with.path) == with.files);
    dirent** names = nullptr;
    CHECK(::scandir((with.path + "/missing").c_str(), &names, nullptr, alphasort) == -1);
}
