// Reading the entity's runtime information: the Atom entry that
// GET /ENTITY?api-version=... answers (.NET's GetRuntimeInformationAsync),
// and the <Error><Detail> body of a refusal. Only the few fields the probe
// reports are read; it is not a general XML parser.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace hyco::probe {

struct RuntimeEntry {
    std::size_t listener_count = 0;
    bool requires_client_authorization = true;
};

/// Finds ListenerCount and RequiresClientAuthorization in a
/// HybridConnectionDescription (any namespace prefix). Errors name what is
/// missing or malformed (Exit::failure).
Result<RuntimeEntry> parse_runtime_entry(std::string_view xml);

/// The text of the first <Detail> element of a management error body.
std::optional<std::string> error_detail(std::string_view xml);

}  // namespace hyco::probe
