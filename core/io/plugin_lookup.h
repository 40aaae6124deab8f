// How lws 4.1.6 finds its libev plugin, made cheap (see plugin_lookup.cpp).
#pragma once

namespace hyco {

/// While one is alive on this thread, a directory listing that lws asks libc
/// for (scandir) names only lws's libev plugin when the directory holds it,
/// instead of every file there. EventLoop::create holds one around
/// lws_create_context, whose plugin lookup is the only listing in it.
class PluginLookupScope {
public:
    PluginLookupScope();
    ~PluginLookupScope();
    PluginLookupScope(const PluginLookupScope&) = delete;
    PluginLookupScope& operator=(const PluginLookupScope&) = delete;
};

}  // namespace hyco
