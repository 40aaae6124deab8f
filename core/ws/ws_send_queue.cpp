// Frame queueing (see ws_send_queue.h). A client's payload is masked where
// it lies, so the only copy on the way out is the kernel's; a streamed
// frame keeps just what has arrived and not yet gone out.
#include "core/ws/ws_send_queue.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace hyco {

WsSendQueue::Item& WsSendQueue::start(ws::Opcode op, bool fin, std::uint64_t length, bool streamed) {
    Item& item = items_.emplace_back();
    if (role_ == ws::Role::client) {
        item.key = keys_.next();
        item.head = ws::masked_frame_header(op, fin, length, item.key);
    } else {
        item.head = ws::frame_header(op, fin, length);
    }
    item.left = streamed ? length : 0;
    bytes_ += item.head.size();
    if (item.left > 0) {
        ++open_frames_;
        if (!filling_) filling_ = &item;
    }
    return item;
}

void WsSendQueue::append(Item& item, std::string_view piece) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(item.left, piece.size()));
    std::size_t at = item.payload.size();
    item.payload.append(piece.data(), n);
    if (role_ == ws::Role::client) ws::mask_copy(item.payload.data() + at, item.payload.data() + at, n, item.key, item.offset);
    item.offset += n;
    item.left -= n;
    data_bytes_ += n;
    bytes_ += n;
}

void WsSendQueue::push(Fragment f) {
    ws::Opcode op = !f.first ? ws::Opcode::continuation : f.binary ? ws::Opcode::binary : ws::Opcode::text;
    push(op, f.final, std::move(f.data));
}

void WsSendQueue::push(ws::Opcode op, bool fin, std::string payload) {
    if (close_) return;  // nothing may follow our Close
    Item& item = start(op, fin, payload.size(), false);
    // The queue owns the payload: mask it where it lies.
    if (role_ == ws::Role::client) ws::mask_copy(payload.data(), payload.data(), payload.size(), item.key, 0);
    item.offset = payload.size();
    data_bytes_ += payload.size();
    bytes_ += payload.size();
    item.payload = std::move(payload);
}

void WsSendQueue::begin(ws::Opcode op, bool fin, std::uint64_t length) {
    if (close_) return;
    start(op, fin, length, true);
}

void WsSendQueue::data(std::string_view piece) {
    // Pieces fill begun frames in order (even after close(): a frame begun
    // before it must end for the Close to follow); whole frames may wait
    // behind. Deque elements stay put when others are added or removed at
    // the ends, so the frame being filled is remembered, not searched for:
    // a slow reader may leave tens of thousands of small frames queued.
    if (!filling_) return;
    append(*filling_, piece);
    if (filling_->left > 0) return;
    Item* done = filling_;
    filling_ = nullptr;
    if (--open_frames_ == 0) return;
    bool after = false;
    for (Item& item : items_) {
        if (&item == done) after = true;
        else if (after && item.left > 0) {
            filling_ = &item;
            return;
        }
    }
}

void WsSendQueue::raw(std::string bytes) {
    if (bytes.empty()) return;
    Item& item = items_.emplace_back();
    item.data = false;
    bytes_ += bytes.size();
    item.payload = std::move(bytes);
}

void WsSendQueue::close(std::uint16_t code, std::string_view reason) {
    if (close_) return;
    close_ = code == 1005 ? std::string() : ws::close_payload(code, reason);
}

bool WsSendQueue::at_boundary() const {
    // Between frames: nothing of the front item written, and it is a frame
    // (controls never overtake the HTTP head that precedes the frames).
    return items_.empty() || (!items_.front().touched() && items_.front().data);
}

void WsSendQueue::control(ws::Opcode op, std::string_view payload) {
    std::size_t before = control_.size();
    if (role_ == ws::Role::client) {
        ws::MaskKey key = keys_.next();
        control_ += ws::masked_frame_header(op, true, payload.size(), key);
        std::size_t at = control_.size();
        control_.resize(at + payload.size());
        ws::mask_copy(control_.data() + at, payload.data(), payload.size(), key, 0);
    } else {
        control_ += ws::frame_header(op, true, payload.size());
        control_.append(payload);
    }
    bytes_ += control_.size() - before;
}

void WsSendQueue::controls() {
    if (control_at_ < control_.size() || close_serialised_ || !at_boundary()) return;
    control_.clear();
    control_at_ = 0;
    // Control frames are small and late: they go before queued data frames.
    if (pong_waiting_) {
        control(ws::Opcode::pong, pong_);
        pong_waiting_ = false;
    }
    if (ping_) {
        control(ws::Opcode::ping, {});
        ping_ = false;
    }
    if (close_ && items_.empty()) {
        control(ws::Opcode::close, *close_);
        close_serialised_ = close_in_control_ = true;
    }
}

std::size_t WsSendQueue::gather(std::span<iovec> out, std::size_t budget) {
    controls();
    std::size_t used = 0;
    auto add = [&](const char* p, std::size_t n) {
        n = std::min(n, budget);
        if (n == 0 || used == out.size()) return false;
        out[used++] = iovec{const_cast<char*>(p), n};
        budget -= n;
        return budget > 0;
    };
    if (control_at_ < control_.size() && !add(control_.data() + control_at_, control_.size() - control_at_)) return used;
    for (const Item& item : items_) {
        std::size_t at = item.at;
        if (at < item.head.size()) {
            if (!add(item.head.data() + at, item.head.size() - at)) return used;
            at = item.head.size();
        }
        std::size_t p = at - item.head.size();
        if (p < item.payload.size() && !add(item.payload.data() + p, item.payload.size() - p)) return used;
        if (item.left > 0) break;  // the rest of this frame comes first
        if (ping_ || pong_waiting_) break;  // waiting control frames go next
    }
    return used;
}

void WsSendQueue::consumed(std::size_t n) {
    bytes_ -= std::min(n, bytes_);
    if (control_at_ < control_.size()) {
        std::size_t k = std::min(n, control_.size() - control_at_);
        control_at_ += k;
        n -= k;
        if (control_at_ == control_.size() && close_in_control_) close_sent_ = true;
    }
    while (n > 0 && !items_.empty()) {
        Item& item = items_.front();
        std::size_t k = std::min(n, item.size() - item.at);
        // Payload bytes among the k: those past the header.
        std::size_t head_left = item.at < item.head.size() ? item.head.size() - item.at : 0;
        if (item.data) data_bytes_ -= k > head_left ? k - head_left : 0;
        item.at += k;
        n -= k;
        if (item.at < item.size()) {
            if (item.left > 0) compact(item);
            break;
        }
        if (item.left > 0) {
            // A streamed frame written as far as it has arrived: keep the
            // buffer's capacity for the pieces still to come.
            item.payload.clear();
            item.at = item.head.size();
            break;
        }
        items_.pop_front();
    }
}

void WsSendQueue::compact(Item& item) {
    std::size_t written = item.at > item.head.size() ? item.at - item.head.size() : 0;
    if (written < kCompactAt || written < item.payload.size() / 2) return;
    item.payload.erase(0, written);
    item.at = item.head.size();
}

std::size_t WsSendQueue::held() const {
    std::size_t n = control_.size();
    for (const Item& item : items_) n += item.size();
    return n;
}

template <class Write>
std::ptrdiff_t WsSendQueue::drain(std::size_t budget, Write write) {
    iovec v[16];
    std::size_t total = 0;
    while (total < budget) {
        std::size_t k = gather(v, budget - total);
        if (k == 0) break;
        std::size_t want = 0;
        for (std::size_t i = 0; i < k; ++i) want += v[i].iov_len;
        std::ptrdiff_t n = write(v, k);
        if (n < 0) return -1;
        consumed(static_cast<std::size_t>(n));
        total += static_cast<std::size_t>(n);
        if (static_cast<std::size_t>(n) < want) break;  // the socket is full
    }
    return static_cast<std::ptrdiff_t>(total);
}

std::size_t WsSendQueue::fill(std::string& out, std::size_t budget) {
    return static_cast<std::size_t>(drain(budget, [&out](const iovec* v, std::size_t k) {
        std::ptrdiff_t got = 0;
        for (std::size_t i = 0; i < k; ++i) {
            out.append(static_cast<const char*>(v[i].iov_base), v[i].iov_len);
            got += static_cast<std::ptrdiff_t>(v[i].iov_len);
        }
        return got;
    }));
}

std::ptrdiff_t WsSendQueue::send(int fd, std::size_t budget) {
    return drain(budget, [fd](iovec* v, std::size_t k) -> std::ptrdiff_t {
        msghdr m{};
        m.msg_iov = v;
        m.msg_iovlen = k;
        ssize_t n = ::sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    });
}

bool WsSendQueue::pending() const {
    if (control_at_ < control_.size()) return true;
    if (at_boundary() && (ping_ || pong_waiting_ || (close_ && items_.empty() && !close_serialised_))) return true;
    if (items_.empty()) return false;
    const Item& f = items_.front();
    return f.at < f.size();
}

void WsSendQueue::clear() {
    std::size_t keep = !items_.empty() && items_.front().touched() ? 1 : 0;
    while (items_.size() > keep) {
        const Item& item = items_.back();
        bytes_ -= std::min(item.size() - item.at, bytes_);
        if (item.data) data_bytes_ -= std::min(item.payload.size(), data_bytes_);  // untouched: all of it
        items_.pop_back();
    }
    filling_ = nullptr;
    open_frames_ = 0;
    for (Item& item : items_)
        if (item.left > 0) {
            ++open_frames_;
            if (!filling_) filling_ = &item;
        }
}

}  // namespace hyco
