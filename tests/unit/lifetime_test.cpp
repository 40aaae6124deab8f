// Lifetime: tokens read true while the owner lives and false once it ended
// its lifetime or was destroyed, even when the token outlives it.
#include <doctest/doctest.h>

#include <memory>

#include "core/base/lifetime.h"

using namespace hyco;

TEST_CASE("a token reads false once its owner ends or is destroyed") {
    std::shared_ptr<const bool> kept;
    {
        Lifetime life;
        kept = life.token();
        CHECK(*kept);
        auto second = life.token();
        life.end();  // first thing in the owner's destructor
        CHECK_FALSE(*second);
    }
    CHECK_FALSE(*kept);
    std::shared_ptr<const bool> other;
    { auto life = std::make_unique<Lifetime>(); other = life->token(); }
    CHECK_FALSE(*other);
}
