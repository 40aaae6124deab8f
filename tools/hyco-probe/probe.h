// hyco-probe's steps in order, each run only when the ones it depends on
// worked, each reported as it finishes: dns, tcp, tls, token, runtime,
// sender, listener.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/relay/client_config.h"
#include "tools/hyco-probe/step.h"

namespace hyco::probe {

struct ProbeConfig {
    RelayTarget target;
    ClientOptions client;
    bool echo = false;           ///< bounce a message off the listener (hyco-listen -e cat)
    std::set<std::string> skip;  ///< steps not to run: runtime, sender, listener
    LogSink log;                 ///< -v: what each network step connects to (tokens redacted)
};

/// Runs every step, handing each result to `report` as soon as it is known.
/// Returns the results; the exit status is that of the first failure.
std::vector<StepResult> run_probe(const ProbeConfig& config, const std::function<void(const StepResult&)>& report);

/// The first failed step as an Error (its step name as `what`), or ok.
Status verdict(const std::vector<StepResult>& results);

}  // namespace hyco::probe
