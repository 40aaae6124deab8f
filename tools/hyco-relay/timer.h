// A one-shot timer on the lws loop (lws_sul), owned by the object it serves:
// destroying the Timer cancels it, so a callback never outlives its owner.
#pragma once

#include <chrono>
#include <functional>

#include <libwebsockets.h>

namespace hyco::relay {

class Timer {
public:
    explicit Timer(lws_context* context) : context_(context) { node_.owner = this; }
    ~Timer() { cancel(); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    /// (Re)arms the timer; `fn` runs once on the loop thread after `delay`.
    void arm(std::chrono::milliseconds delay, std::function<void()> fn) {
        fn_ = std::move(fn);
        armed_ = true;
        lws_sul_schedule(context_, 0, &node_.sul, &Timer::fire,
                         static_cast<lws_usec_t>(delay.count()) * LWS_US_PER_MS);
    }
    void cancel() {
        if (armed_) lws_sul_cancel(&node_.sul);
        armed_ = false;
        fn_ = nullptr;
    }
    bool armed() const { return armed_; }

private:
    // Standard layout with the sul first, so the callback can find the Timer.
    struct Node {
        lws_sorted_usec_list_t sul;
        Timer* owner;
    };

    static void fire(lws_sorted_usec_list_t* sul) {
        Timer* self = reinterpret_cast<Node*>(sul)->owner;
        self->armed_ = false;
        // Move the callback out first: it may destroy this Timer's owner.
        auto fn = std::move(self->fn_);
        self->fn_ = nullptr;
        if (fn) fn();
    }

    lws_context* context_;
    Node node_{};
    std::function<void()> fn_;
    bool armed_ = false;
};

}  // namespace hyco::relay
