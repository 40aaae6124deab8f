// The -m messages as a stream's input (see messages_endpoint.h).
#include "tools/hyco-send/messages_endpoint.h"

namespace hyco {

MessagesEndpoint::MessagesEndpoint(EventLoop& loop, std::vector<std::string> messages, int write_fd,
                                   std::string name)
    : FdEndpoint(loop, -1, write_fd, std::move(name)), messages_(std::move(messages)) {}

void MessagesEndpoint::pause(bool paused) {
    paused_ = paused;
    if (paused || scheduled_ || read_closed_) return;
    // From the loop, as a descriptor's data would come: never inside the
    // copier's own call.
    scheduled_ = true;
    loop_.defer([this, alive = alive_.token()] {
        if (!*alive) return;
        scheduled_ = false;
        deliver();
    });
}

void MessagesEndpoint::close_read() { read_closed_ = true; }

void MessagesEndpoint::deliver() {
    while (!paused_ && !read_closed_ && next_ < messages_.size()) events_->data(*this, messages_[next_++]);
    if (!paused_ && !read_closed_ && next_ == messages_.size()) {
        read_closed_ = true;
        events_->read_end(*this);
    }
}

}  // namespace hyco
