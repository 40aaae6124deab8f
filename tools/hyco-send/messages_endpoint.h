// hyco-send's input when it does not read stdin: the -m messages (each
// delivered whole, so the relay stream sends it as one message), or
// nothing at all (-U). Its output is stdout, as with stdin.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/stream/fd_endpoint.h"

namespace hyco {

class MessagesEndpoint final : public FdEndpoint {
public:
    /// Owns `write_fd`; stdin is never read.
    MessagesEndpoint(EventLoop& loop, std::vector<std::string> messages, int write_fd, std::string name);

    void pause(bool paused) override;
    void close_read() override;

private:
    void deliver();

    std::vector<std::string> messages_;
    std::size_t next_ = 0;
    bool paused_ = true;
    bool scheduled_ = false;
    bool read_closed_ = false;
};

}  // namespace hyco
