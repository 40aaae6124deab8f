// The runtime step: GET /ENTITY?api-version=... over the probe's own
// connection, with a token in Authorization, as .NET's
// GetRuntimeInformationAsync sends it; the service wants the Manage right.
#pragma once

#include <optional>

#include "core/relay/client_config.h"
#include "tools/hyco-probe/runtime_entry.h"
#include "tools/hyco-probe/step.h"
#include "tools/hyco-probe/transport.h"

namespace hyco::probe {

/// The api-version .NET's management calls send.
inline constexpr const char* kApiVersion = "2016-07";

struct RuntimeOutcome {
    StepResult step;
    std::optional<RuntimeEntry> entry;  ///< when the relay answered one
};

/// Sends the GET on `conn` (which it consumes: Connection: close) and reads
/// the answer. 401/403 is a warning, not a failure: a rule with only Send or
/// Listen rights cannot read runtime information but may be fine otherwise.
RuntimeOutcome query_runtime(Connection& conn, const RelayTarget& target, std::int64_t now, const LogSink& log);

}  // namespace hyco::probe
