// Client frame batching (see ws_send_queue.h). Masking is the copy into the
// batch buffer, so each payload byte is copied once on its way to lws.
#include "core/ws/ws_send_queue.h"

namespace hyco {

void WsSendQueue::push(Fragment f) {
    if (close_) return;  // nothing may follow our Close
    data_bytes_ += f.data.size();
    frames_.push_back(std::move(f));
}

void WsSendQueue::close(std::uint16_t code, std::string_view reason) {
    if (close_) return;
    close_ = code == 1005 ? std::string() : ws::close_payload(code, reason);
}

void WsSendQueue::control(std::string& out, ws::Opcode op, std::string_view payload) {
    ws::MaskKey key = keys_.next();
    out += ws::masked_frame_header(op, true, payload.size(), key);
    std::size_t at = out.size();
    out.resize(at + payload.size());
    ws::mask_copy(out.data() + at, payload.data(), payload.size(), key, 0);
}

std::size_t WsSendQueue::fill(std::string& out, std::size_t budget) {
    std::size_t taken = 0;
    for (;;) {
        if (front_done_ == 0 && !close_taken_) {
            // Between frames: control frames first, they are small and late.
            if (pong_) {
                control(out, ws::Opcode::pong, *pong_);
                pong_.reset();
            }
            if (ping_) {
                control(out, ws::Opcode::ping, {});
                ping_ = false;
            }
        }
        if (frames_.empty()) break;
        if (taken >= budget) return taken;
        Fragment& f = frames_.front();
        if (front_done_ == 0) {
            ws::Opcode op = !f.first ? ws::Opcode::continuation : f.binary ? ws::Opcode::binary : ws::Opcode::text;
            front_key_ = keys_.next();
            out += ws::masked_frame_header(op, f.final, f.data.size(), front_key_);
        }
        std::size_t n = std::min(f.data.size() - front_done_, budget - taken);
        std::size_t at = out.size();
        out.resize(at + n);
        ws::mask_copy(out.data() + at, f.data.data() + front_done_, n, front_key_, front_done_);
        front_done_ += n;
        taken += n;
        data_bytes_ -= n;
        if (front_done_ < f.data.size()) return taken;  // the rest goes in the next batch
        frames_.pop_front();
        front_done_ = 0;
    }
    if (close_ && !close_taken_) {
        control(out, ws::Opcode::close, *close_);
        close_taken_ = true;
    }
    return taken;
}

void WsSendQueue::clear() {
    frames_.clear();
    front_done_ = 0;
    data_bytes_ = 0;
}

}  // namespace hyco
