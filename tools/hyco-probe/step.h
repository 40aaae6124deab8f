// One line of hyco-probe's report: a step's name, verdict, time taken and
// the detail (what was found, or exactly what failed), as text or JSON.
#pragma once

#include <optional>
#include <string>

#include "core/base/error.h"

namespace hyco::probe {

enum class Verdict {
    ok,
    warn,  ///< worked, but something is off (an unverified certificate, no Manage right)
    fail,  ///< the step failed; `code` is the exit status it stands for
    skip,  ///< not run: an earlier step failed or it does not apply
};

struct StepResult {
    std::string step;
    Verdict verdict = Verdict::ok;
    std::optional<double> ms;  ///< time taken, when the step did something timed
    std::string detail;
    Exit code = Exit::ok;  ///< for fail

    static StepResult failed(std::string step, const Error& e, std::optional<double> ms = std::nullopt);
    static StepResult skipped(std::string step, std::string why);
};

const char* verdict_name(Verdict v);
/// `tls      ok     3.1 ms  CN=localhost, ...`
std::string format_line(const StepResult& r);
/// One JSON object: step, status, ms (null when untimed), detail, exit.
std::string format_json(const StepResult& r);

}  // namespace hyco::probe
