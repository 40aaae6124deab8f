// The prose of hyco-send's --help and man page.
#include "tools/hyco-send/send_info.h"

#include "tools/common/connect_flags.h"

namespace send_tool {

hyco::cli::ToolInfo info() {
    return {
        "hyco-send",
        "send stdin to an Azure Relay Hybrid Connection and print what comes back",
        "hyco-send connects to a Hybrid Connection as a sender, through the relay, to whatever listener "
        "(hyco-listen, a .NET or Node program) accepts it. What it reads on stdin goes to the listener and "
        "what the listener sends is written to stdout, like nc or websocat. Neither side opens a port.\n\n"
        "In the default text mode each line of input is one text message, and each message received is "
        "written followed by a newline. With -b the input goes out as binary messages as it is read and "
        "received payloads are written unchanged, byte for byte; with -0 a NUL byte separates messages.\n\n"
        "At the end of input hyco-send sends a WebSocket Close and keeps writing what still arrives until the "
        "listener closes too (or --linger expires). With --no-close it sends no Close and only stops when the "
        "listener closes, which is how to receive a file from a listener when stdin has nothing to say. "
        "With -m it sends the given messages instead of reading stdin and exits after the first reply, after "
        "--max-messages replies, or after --wait.\n\n"
        "If the listener rejects the connection, hyco-send prints the listener's status and description and "
        "exits 6. No listener or no such entity: 4. Credentials refused: 3. Timeouts: 5. Ctrl-C closes the "
        "connection cleanly and exits 130. A closed stdout (EPIPE) ends the program quietly.\n\n"
        "Progress (bytes, rate, elapsed time, and total and ETA when stdin is a file) is shown on stderr "
        "when stderr is a terminal and the data is not, never on stdout.",
        {
            {"echo hello | hyco-send -x @cs.txt", "Send one line, print the replies (the connection string is in cs.txt)."},
            {"hyco-send -m ping -m status --wait 2s", "Send two messages, print what comes back for 2 s."},
            {"hyco-send -b < backup.tar > /dev/null", "Stream a file as binary messages."},
            {"hyco-send -b --no-close < /dev/null > received.bin", "Receive a file that the listener sends."},
        },
        {hyco::cli::environment_section()}
    };
}

}  // namespace send_tool
