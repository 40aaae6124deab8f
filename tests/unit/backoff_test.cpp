// Unit tests for the reconnect ladder.
#include <doctest/doctest.h>

#include "core/relay/backoff.h"

using namespace hyco;

TEST_CASE("the ladder is 0, 1, 2, 5, 10, 30 and then stays at 30") {
    Backoff b;
    int expected[] = {0, 1, 2, 5, 10, 30, 30, 30};
    for (int e : expected) CHECK(b.next().count() == e);
}

TEST_CASE("only a connection that stayed open restarts the ladder") {
    Backoff b;
    b.next();
    b.next();
    b.next();
    // Accepted and dropped at once (a relay or proxy that hangs up): no reset.
    b.dropped_after(std::chrono::milliseconds(0));
    CHECK(b.next().count() == 5);
    b.dropped_after(Backoff::kSettled - std::chrono::milliseconds(1));
    CHECK(b.next().count() == 10);
    b.dropped_after(Backoff::kSettled);
    CHECK(b.next().count() == 0);
    CHECK(b.next().count() == 1);
}
