// Addresses to streams and acceptors: each address type's own constructors
// (address_*.cpp), looked up in the registry.
#include "tools/hyco-pipe/endpoints.h"

#include <fmt/format.h>

namespace hyco::pipe {

std::unique_ptr<Stream> make_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a) {
    ConnectFn connect = address_type(a.kind).connect;
    return connect ? connect(loop, config, a) : nullptr;  // listening addresses go through open_acceptor()
}

Result<std::unique_ptr<Acceptor>> open_acceptor(EventLoop& loop, const PipeConfig& config, const Address& a,
                                                const Log& log, Acceptor::Accepted accepted, Acceptor::Failed failed) {
    ListenFn listen = address_type(a.kind).listen;
    if (!listen) return make_error(Exit::usage, fmt::format("address '{}'", a.text), "does not listen");
    return listen(loop, config, a, log, std::move(accepted), std::move(failed));
}

}  // namespace hyco::pipe
