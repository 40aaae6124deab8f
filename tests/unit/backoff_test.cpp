// Unit tests for the reconnect ladder.
#include <doctest/doctest.h>

#include "core/backoff.h"

using namespace hyco;

TEST_CASE("the ladder is 0, 1, 2, 5, 10, 30 and then stays at 30") {
    Backoff b;
    int expected[] = {0, 1, 2, 5, 10, 30, 30, 30};
    for (int e : expected) CHECK(b.next().count() == e);
}

TEST_CASE("a success starts the ladder again") {
    Backoff b;
    b.next();
    b.next();
    b.next();
    b.reset();
    CHECK(b.next().count() == 0);
    CHECK(b.next().count() == 1);
}
