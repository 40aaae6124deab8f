// hyco-probe: a namespace doctor. Checks each step from name resolution to
// an open listener channel and prints one line per step on stdout.
#include <iostream>

#include "core/base/text.h"
#include "core/io/fd_guard.h"
#include "tools/common/client_flags.h"
#include "tools/common/connect_flags.h"
#include "tools/common/diag.h"
#include "tools/common/tool.h"
#include "tools/hyco-probe/probe.h"
#include "tools/hyco-probe/probe_info.h"

using namespace hyco;

namespace {

struct ProbeFlags {
    cli::ConnectFlags conn;
    cli::ClientFlags client;
    bool echo = false;
    bool json = false;
    std::vector<std::string> skip;
};

Result<probe::ProbeConfig> configure(const ProbeFlags& f) {
    probe::ProbeConfig c;
    auto target = f.conn.resolve(true);
    if (!target) return target.error();
    c.target = *target;
    auto client = f.client.resolve();
    if (!client) return client.error();
    c.client = *client;
    c.echo = f.echo;
    if (c.client.verbose)
        c.log = [](const std::string& line) { cli::diag::note(line); };
    c.skip.insert(f.skip.begin(), f.skip.end());
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    ensure_std_fds_open();

    cli::Tool tool(probe_tool::info());
    CLI::App& app = tool.app();
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::auth, Exit::not_found, Exit::timeout,
                        Exit::rejected, Exit::token_expired, Exit::wrong_audience, Exit::interrupted});
    ProbeFlags f;
    f.conn.declare(tool, app, true);
    f.client.declare(tool, app, "Offer this subprotocol on the sender step (repeatable)");
    app.add_flag("--echo", f.echo,
                 "Sender step: send one text message and time its echo (the listener should be hyco-listen -e cat)")
        ->group("Probe");
    tool.choices(app.add_option("--skip", f.skip,
                                "Do not run STEP (repeatable): a rule with only Send or only Listen rights "
                                "cannot pass the other's step")
                     ->type_name("STEP")
                     ->group("Probe"),
                 {"runtime", "sender", "listener"});
    app.add_flag("--json", f.json, "One JSON object per step on stdout: step, status, ms, detail, exit")
        ->group("Probe");

    return tool.main(argc, argv, [&]() -> Status {
        auto config = configure(f);
        if (!config) return config.error();
        auto results = probe::run_probe(*config, [&](const probe::StepResult& r) {
            std::cout << (f.json ? probe::format_json(r) : probe::format_line(r)) << std::endl;
        });
        return probe::verdict(results);
    });
}
