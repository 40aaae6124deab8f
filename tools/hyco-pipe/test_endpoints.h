// Built-in endpoints that need nothing outside the process, so scenarios
// can run without helper programs (websocat's mirror: and literal:).
#pragma once

#include <memory>
#include <string>

#include "core/io/event_loop.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

/// mirror: reads back what was written, with the same backpressure as a
/// socket; its input ends once its output was closed and echoed.
std::unique_ptr<Stream> make_mirror_endpoint(EventLoop& loop);

/// literal:TEXT: reads TEXT then end of input; discards what is written.
std::unique_ptr<Stream> make_literal_endpoint(EventLoop& loop, std::string text);

}  // namespace hyco::pipe
