// Fuzz target: SAS token parsing, redaction and verification never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/auth/sas.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    (void)hyco::sas::redact_in(in);
    auto t = hyco::sas::parse(in);
    if (t) {
        hyco::Audience target{"contoso.servicebus.windows.net", {"hyco"}};
        (void)hyco::sas::verify(*t, "", "key", 1700000000, target);
    }
    return 0;
}
