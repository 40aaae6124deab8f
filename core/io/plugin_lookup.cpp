// lws 4.1.6 finds its event-library plugin by listing its whole library
// directory, whose path is compiled in (/usr/lib/x86_64-linux-gnu: 1,204 names
// on the machine of bench/README.md), sorting the names and loading the ones
// that match. That took 0.75 ms of every hyco tool's start (uprobes around
// lws_plugins_init), as long as the rest of lws_create_context, our option
// parsing and the first connect together; lws has no way to be told where the
// plugin is.
//
// So this file defines scandir(), which the executable exports to
// libwebsockets.so (lws imports scandir from libc; the executable's definition
// comes first in symbol lookup). Outside a PluginLookupScope, and inside one
// for a directory without the plugin, it is libc's own (the next definition,
// dlsym RTLD_NEXT), so every other caller and every failure lws reports stay
// as they were. Inside one, a directory holding the plugin lists the plugin
// alone, through the caller's filter: the one entry lws would load from the
// full listing.
#include "core/io/plugin_lookup.h"

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// The one piece of global state in core: scandir takes no context to carry
// it, and lws calls it from inside lws_create_context on the caller's thread.
thread_local int scopes = 0;

constexpr char kPlugin[] = "libwebsockets-evlib_ev.so";

using Filter = int (*)(const dirent*);
using Order = int (*)(const dirent**, const dirent**);
using Scandir = int (*)(const char*, dirent***, Filter, Order);

/// The plugin alone, as scandir would list it; -1 if the directory does not
/// hold it (or memory ran out), for libc's scandir to answer instead.
int plugin_alone(const char* dir, dirent*** list, Filter filter) {
    struct stat st {};
    if (::stat((std::string(dir) + "/" + kPlugin).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
    // scandir's caller frees the array and each entry with free().
    auto* entry = static_cast<dirent*>(std::calloc(1, sizeof(dirent)));
    auto* names = static_cast<dirent**>(std::malloc(sizeof(dirent*)));
    if (!entry || !names) {
        std::free(entry);
        std::free(names);
        return -1;
    }
    std::memcpy(entry->d_name, kPlugin, sizeof kPlugin);
    entry->d_type = DT_REG;
    entry->d_reclen = sizeof(dirent);
    int n = 1;
    if (filter && !filter(entry)) {
        std::free(entry);
        n = 0;
    } else {
        names[0] = entry;
    }
    *list = names;
    return n;
}

}  // namespace

extern "C" int scandir(const char* dir, dirent*** list, Filter filter, Order order) {
    if (scopes > 0) {
        int n = plugin_alone(dir, list, filter);
        if (n >= 0) return n;
    }
    static const auto libc = reinterpret_cast<Scandir>(::dlsym(RTLD_NEXT, "scandir"));
    if (!libc) {
        errno = ENOSYS;
        return -1;
    }
    return libc(dir, list, filter, order);
}

namespace hyco {

PluginLookupScope::PluginLookupScope() { ++scopes; }

PluginLookupScope::~PluginLookupScope() { --scopes; }

}  // namespace hyco
