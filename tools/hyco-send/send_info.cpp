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
        "Exit status 0 means the whole stream arrived, both ways. When the listener is hyco too (hyco-listen, "
        "hyco-pipe) each side ends its data with an end record that carries its byte count, and confirms the "
        "other's once every byte was written out, so a listener that vanishes, is killed or interrupted is "
        "always exit 1 with one line saying what was missing, whatever close code the relay sends. Against a "
        "hyco-listen -e CMD, hyco-send exits with CMD's exit status, as ssh does (128+N when a signal killed "
        "it), so `hyco-send < job.sh && echo done` works. Text mode sends UTF-8 text only: other input stops "
        "with exit 2 before anything invalid is sent (use -b for files). With other listeners (.NET, Node) "
        "only the close code tells: 1000, 1001 and 1005 end the listener's data, anything else is an error.\n\n"
        "If the listener rejects the connection, hyco-send prints the listener's status and description and "
        "exits 6. No listener or no such entity: 4. Credentials refused: 3. Timeouts: 5. Ctrl-C closes the "
        "connection with an error code (1011, so the listener never mistakes a cut stream for a whole one) "
        "and exits 130. A closed stdout (EPIPE) ends the program quietly. --json reports progress and the end "
        "(bytes each way, duration, close code, complete or not) as JSON lines on stderr.\n\n"
        "Progress (bytes, the rate over the last seconds, elapsed time, and total and ETA when stdin is a "
        "file) is shown on stderr when stderr is a terminal and the data is not, never while stdout is the "
        "same terminal. It ends with the real total and a summary line: complete or incomplete.",
        {
            {"echo hello | hyco-send -x @cs.txt", "Send one line, print the replies (the connection string is in cs.txt)."},
            {"hyco-send -m ping -m status --wait 2s", "Send two messages, print what comes back for 2 s."},
            {"hyco-send -b < backup.tar > /dev/null", "Stream a file as binary messages."},
            {"hyco-send < job.sh && echo done", "Run a script on a hyco-listen -e sh; exit with its status."},
            {"hyco-send -b --no-close < /dev/null > received.bin", "Receive a file that the listener sends."},
        },
        {hyco::cli::environment_section()}
    };
}

}  // namespace send_tool
