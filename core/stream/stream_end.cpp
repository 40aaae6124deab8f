// End records and the close policy (see stream_end.h).
#include "core/stream/stream_end.h"

#include <csignal>

#include <sys/wait.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hyco::eos {

std::vector<std::string> offer(const std::vector<std::string>& user) {
    if (!user.empty()) return user;
    return {std::string(kPlain), std::string(kRecords)};
}

bool is_internal(std::string_view subprotocol) { return subprotocol == kPlain || subprotocol == kRecords; }

std::optional<std::string> choose(const std::vector<std::string>& offered, const std::vector<std::string>& supports) {
    std::vector<std::string> apps;
    bool records = false;
    for (const std::string& o : offered) {
        if (o == kRecords) records = true;
        if (!is_internal(o)) apps.push_back(o);
    }
    if (apps.empty()) return records ? std::string(kRecords) : std::string();
    if (supports.empty()) return apps.front();
    for (const std::string& o : apps)
        for (const std::string& s : supports)
            if (o == s) return o;
    return std::nullopt;
}

std::string RemoteExit::describe() const {
    if (signal) return fmt::format("was killed by signal {} ({})", signal, ::sigabbrev_np(signal) ? ::sigabbrev_np(signal) : "?");
    return fmt::format("exited with status {}", code);
}

RemoteExit RemoteExit::from_wait_status(int wait_status) {
    if (WIFSIGNALED(wait_status)) return {0, WTERMSIG(wait_status)};
    return {WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 1, 0};
}

std::string encode(const Record& r) {
    nlohmann::json j;
    j["hyco"] = r.kind == Record::Kind::end ? "end" : "ack";
    j["bytes"] = r.bytes;
    if (r.exit) {
        if (r.exit->signal) j["signal"] = r.exit->signal;
        else j["exit"] = r.exit->code;
    }
    return j.dump();
}

Result<Record> decode(std::string_view text) {
    auto bad = [](std::string why) { return make_error(Exit::failure, "end record", std::move(why)); };
    if (text.size() > kMaxRecord) return bad("too long");
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    Record r;
    auto kind = j.find("hyco");
    if (kind == j.end() || !kind->is_string()) return bad("no record kind");
    if (*kind == "end") r.kind = Record::Kind::end;
    else if (*kind == "ack") r.kind = Record::Kind::ack;
    else return bad("unknown record kind");
    auto bytes = j.find("bytes");
    if (bytes == j.end() || !bytes->is_number_unsigned()) return bad("no byte count");
    r.bytes = bytes->get<std::uint64_t>();
    auto code = j.find("exit");
    auto sig = j.find("signal");
    if (code != j.end() || sig != j.end()) {
        if (r.kind != Record::Kind::end) return bad("an exit status on an ack");
        if (code != j.end() && sig != j.end()) return bad("both an exit status and a signal");
        RemoteExit e;
        if (code != j.end()) {
            if (!code->is_number_unsigned() || code->get<std::uint64_t>() > 255) return bad("exit status out of range");
            e.code = code->get<int>();
        } else {
            if (!sig->is_number_unsigned() || sig->get<std::uint64_t>() < 1 || sig->get<std::uint64_t>() > 64)
                return bad("signal out of range");
            e.signal = sig->get<int>();
        }
        r.exit = e;
    }
    return r;
}

bool is_normal_close(int code) { return code == 1000 || code == 1001 || code == 1005; }

}  // namespace hyco::eos
