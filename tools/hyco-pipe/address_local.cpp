// Local addresses: stdio and exec:, and the probes mirror: and literal:
// (an echo and a fixed text, for trying a forward without a real peer).
#include <fmt/format.h>

#include "tools/hyco-pipe/address_families.h"
#include "tools/hyco-pipe/address_family.h"
#include "core/stream/fd_endpoint.h"
#include "tools/hyco-pipe/test_endpoints.h"

namespace hyco::pipe::family {
namespace {

Status no_argument(const AddressType&, std::string_view, std::string_view, Address&) { return {}; }

Status parse_command(const AddressType&, std::string_view text, std::string_view arg, Address& a) {
    if (arg.find_first_not_of(" \t") == std::string_view::npos) return bad(text, "missing command");
    a.argument = std::string(arg);
    return {};
}

Status parse_text(const AddressType&, std::string_view, std::string_view arg, Address& a) {
    a.argument = std::string(arg);
    return {};
}

std::unique_ptr<Stream> open_stdio(EventLoop& loop, const PipeConfig&, const Address&) {
    return make_stdio_endpoint(loop);
}

std::unique_ptr<Stream> open_exec(EventLoop& loop, const PipeConfig&, const Address& a) {
    ChildSpec spec{a.argument, {}, true, true};
    return std::make_unique<ExecEndpoint>(loop, std::move(spec), "exec:" + a.argument);
}

std::unique_ptr<Stream> open_mirror(EventLoop& loop, const PipeConfig&, const Address&) {
    return make_mirror_endpoint(loop);
}

std::unique_ptr<Stream> open_literal(EventLoop& loop, const PipeConfig&, const Address& a) {
    return make_literal_endpoint(loop, a.argument);
}

}  // namespace

std::vector<AddressType> local() {
    return {
        {AddressKind::stdio, "stdio", {"-"}, "stdio",
         "Standard input and output. Only one address can be stdio; in server mode it serves one connection.",
         false, false, true, no_argument, open_stdio, nullptr},
        {AddressKind::exec, "exec", {"system", "sh-c"}, "exec:COMMAND",
         "Run COMMAND with /bin/sh -c, connected through its standard input and output (stderr is inherited). "
         "Its end of output is the end of the stream; hyco-pipe closes its input when the other side ends.",
         false, true, false, parse_command, open_exec, nullptr},
    };
}

std::vector<AddressType> probes() {
    return {
        {AddressKind::mirror, "mirror", {}, "mirror:",
         "Echo: every byte written to it is read back from it; its end of input follows the end of its output.",
         false, false, true, no_argument, open_mirror, nullptr},
        {AddressKind::literal, "literal", {}, "literal:TEXT",
         "Read TEXT, then end of input; whatever is written to it is discarded.", false, true, false, parse_text,
         open_literal, nullptr},
    };
}

}  // namespace hyco::pipe::family
