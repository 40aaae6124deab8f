// Fuzz target: hyco-relay's configuration: --rule, --entity and --rights
// specs and the JSON --config file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/hyco-relay/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    (void)hyco::relay::parse_rights(in);
    (void)hyco::relay::parse_rule(in);
    (void)hyco::relay::parse_entity(in);
    hyco::relay::Config config;
    (void)hyco::relay::parse_config_text(in, "fuzz.json", config);
    return 0;
}
