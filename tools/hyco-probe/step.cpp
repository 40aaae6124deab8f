// Step lines: fixed columns so a column of steps reads like a table.
#include "tools/hyco-probe/step.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/json_text.h"
#include "core/base/text.h"

namespace hyco::probe {

StepResult StepResult::failed(std::string step, const Error& e, std::optional<double> ms) {
    return {std::move(step), Verdict::fail, ms, e.why.empty() ? e.what : e.why, e.code};
}

StepResult StepResult::skipped(std::string step, std::string why) {
    return {std::move(step), Verdict::skip, std::nullopt, std::move(why), Exit::ok};
}

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::ok:
            return "ok";
        case Verdict::warn:
            return "warn";
        case Verdict::fail:
            return "fail";
        case Verdict::skip:
            return "skip";
    }
    return "?";
}

std::string format_line(const StepResult& r) {
    std::string time = r.ms ? fmt::format("{:.1f} ms", *r.ms) : "";
    return fmt::format("{:<9}{:<6}{:>10}  {}", r.step, verdict_name(r.verdict), time, text::printable(r.detail));
}

std::string format_json(const StepResult& r) {
    nlohmann::ordered_json j;
    j["step"] = r.step;
    j["status"] = verdict_name(r.verdict);
    j["ms"] = r.ms ? nlohmann::ordered_json(std::round(*r.ms * 1000) / 1000) : nlohmann::ordered_json(nullptr);
    j["detail"] = r.detail;
    j["exit"] = exit_code(r.code);
    return json_line(j);
}

}  // namespace hyco::probe
