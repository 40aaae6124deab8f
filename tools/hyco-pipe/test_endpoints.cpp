// mirror: and literal: (see test_endpoints.h). Both deliver from deferred
// calls, never from inside write(), so the copier is not re-entered.
#include "tools/hyco-pipe/test_endpoints.h"

#include <algorithm>

#include "core/base/lifetime.h"

namespace hyco::pipe {
namespace {

/// An in-memory stream: `pending_` is what will be read back.
class MemoryStream : public Stream {
public:
    static constexpr std::size_t kChunk = 64 * 1024;
    static constexpr std::size_t kHighWater = 1024 * 1024;
    static constexpr std::size_t kLowWater = 256 * 1024;

    MemoryStream(EventLoop& loop, std::string initial, bool echo, std::string name)
        : loop_(loop), pending_(std::move(initial)), echo_(echo), input_done_(!echo), name_(std::move(name)) {}
    ~MemoryStream() override { alive_.end(); }

    void open(Events& events) override {
        events_ = &events;
        later([this] { events_->opened(*this); });
    }

    void write(std::string_view bytes) override {
        if (!echo_ || read_closed_ || write_closed_) return;
        pending_.append(bytes);
        schedule();
    }

    bool writable() const override { return pending_.size() - offset_ < kHighWater; }

    void close_write() override {
        if (write_closed_) return;
        write_closed_ = true;
        input_done_ = true;
        later([this] { events_->write_end(*this); });
        schedule();
    }

    void pause(bool paused) override {
        paused_ = paused;
        if (!paused) schedule();
    }

    void close_read() override {
        read_closed_ = true;
        pending_.clear();
        offset_ = 0;
    }

    std::string describe() const override { return name_; }

private:
    template <class F>
    void later(F fn) {
        loop_.defer([alive = alive_.token(), fn] {
            if (*alive) fn();
        });
    }

    void schedule() {
        if (scheduled_ || paused_ || read_closed_ || !events_) return;
        scheduled_ = true;
        later([this] {
            scheduled_ = false;
            deliver();
        });
    }

    void deliver() {
        bool was_high = !writable();
        while (!paused_ && !read_closed_ && offset_ < pending_.size()) {
            std::size_t n = std::min(kChunk, pending_.size() - offset_);
            std::string chunk = pending_.substr(offset_, n);
            offset_ += n;
            events_->data(*this, chunk);
        }
        if (offset_ == pending_.size()) {
            pending_.clear();
            offset_ = 0;
        } else if (offset_ >= kChunk * 4) {
            pending_.erase(0, offset_);
            offset_ = 0;
        }
        if (was_high && pending_.size() - offset_ < kLowWater && !write_closed_) events_->drained(*this);
        if (pending_.empty() && input_done_ && !eof_sent_ && !read_closed_) {
            eof_sent_ = true;
            events_->read_end(*this);
        }
    }

    EventLoop& loop_;
    Events* events_ = nullptr;
    std::string pending_;
    std::size_t offset_ = 0;
    bool echo_;
    bool input_done_;
    bool paused_ = true;
    bool scheduled_ = false;
    bool write_closed_ = false;
    bool read_closed_ = false;
    bool eof_sent_ = false;
    std::string name_;
    Lifetime alive_;
};

}  // namespace

std::unique_ptr<Stream> make_mirror_endpoint(EventLoop& loop) {
    return std::make_unique<MemoryStream>(loop, std::string(), true, "mirror");
}

std::unique_ptr<Stream> make_literal_endpoint(EventLoop& loop, std::string text) {
    return std::make_unique<MemoryStream>(loop, std::move(text), false, "literal");
}

}  // namespace hyco::pipe
