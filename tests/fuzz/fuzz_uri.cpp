// Fuzz target: URIs, namespaces, entity paths and audiences.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/uri.h"
#include "core/auth/relay_uri.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    (void)hyco::parse_uri(in);
    auto ns = hyco::parse_namespace(in);
    auto path = hyco::normalize_entity_path(in);
    if (ns && path) (void)hyco::relay_endpoint(*ns, *path, hyco::Action::connect, {}).url();
    auto a = hyco::parse_audience(in);
    if (a) (void)hyco::audience_covers(*a, *a);
    return 0;
}
