// Whether an object still exists, for work it queued to run later (a
// deferred call, a completion callback) and for loops that call out to code
// that may destroy it. The owner holds one Lifetime and ends it first thing
// in its destructor; the work holds a token and does nothing once it reads
// false. One definition instead of a shared_ptr<bool> written per class.
#pragma once

#include <memory>

namespace hyco {

class Lifetime {
public:
    Lifetime() = default;
    ~Lifetime() { end(); }
    Lifetime(const Lifetime&) = delete;
    Lifetime& operator=(const Lifetime&) = delete;

    /// Read `*token` later: true while the owner lives.
    std::shared_ptr<const bool> token() const { return flag_; }
    /// The owner is going: every token reads false from now on.
    void end() { *flag_ = false; }

private:
    std::shared_ptr<bool> flag_ = std::make_shared<bool>(true);
};

}  // namespace hyco
