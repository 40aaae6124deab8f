// The prose of hyco-probe's --help and man page.
#include "tools/hyco-probe/probe_info.h"

#include "tools/common/connect_flags.h"

namespace probe_tool {

hyco::cli::ToolInfo info() {
    return {
        "hyco-probe",
        "check, step by step, why a Hybrid Connection can or cannot be reached",
        "hyco-probe walks the path a sender and a listener take to a Hybrid Connection and prints one line "
        "per step on stdout: its name, ok, warn, fail or skip, the time it took, and what it found or exactly "
        "what failed. A step that depends on a failed one is skipped and says which one stopped it.\n\n"
        "dns resolves the namespace's host name. tcp connects to the first address that answers. tls (not "
        "for ws:// relays) completes the handshake and shows the certificate's subject, issuer and expiry and "
        "whether it was verified against the system store and --ca; with --insecure an unverified certificate "
        "is a warning, not a failure. token checks the credentials locally before anything is sent: the rule "
        "name, the audience the token covers and when it expires; a minted token is verified against its key, "
        "a pre-issued one (--token) for expiry and audience. A SAS token does not carry its rule's rights: "
        "the next steps show which ones the relay grants.\n\n"
        "runtime reads the entity's runtime information over the same connection, as .NET's "
        "GetRuntimeInformationAsync does (GET /ENTITY?api-version=2016-07, which Azure answers for a rule "
        "with the Manage right; without it the step warns and the others go on): how many listeners are "
        "online and whether senders need a token. sender connects as a sender and closes again, which only "
        "works while a listener is online; with --echo it also sends one text message and times its echo "
        "(the listener should be hyco-listen -e cat). listener opens a listener's control channel and closes "
        "it: the relay accepted the token for listening. A rule with only Send or only Listen rights fails the other "
        "role's step; --skip leaves it out.\n\n"
        "With --json each step is one JSON object per line instead: step, status, ms (null when untimed), "
        "detail and exit (the exit status the step stands for). The exit status is that of the first failed "
        "step: 1 for a network or TLS failure, 3 when the relay refused the credentials, 4 when the entity "
        "does not exist or no listener is online, 5 for a timeout, 7 for an expired token, 8 for a token "
        "whose audience does not cover the entity. A summary of the first failure also goes to stderr.\n\n"
        "The probe's own listener is online for a moment during the listener step: a sender connecting just "
        "then may be routed to it and refused.",
        {
            {"hyco-probe -x @cs.txt", "Check every step for the entity in the connection string."},
            {"hyco-probe -x @cs.txt --echo", "Also time an echo against a hyco-listen -e cat."},
            {"hyco-probe -x @cs.txt --json | jq -r 'select(.status==\"fail\") | .detail'", "Print only what failed."},
            {"hyco-probe -n contoso -p orders -k listen --key-file key.txt", "Namespace, path and rule given apart."},
        },
        {hyco::cli::environment_section()}};
}

}  // namespace probe_tool
