// The digests and HMAC that tokens and the WebSocket handshake rest on, against
// published vectors (FIPS 180 "abc", RFC 4231), including the key lengths
// where HMAC changes path: empty, exactly one block, longer than a block.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/auth/crypto.h"
#include "core/base/text.h"

using namespace hyco;

namespace {

std::string hex(const std::string& raw) { return text::hex_encode(raw); }

}  // namespace

TEST_CASE("SHA-256 and SHA-1 match FIPS 180's vectors") {
    CHECK(hex(crypto::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(crypto::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex(crypto::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 and the block-size edges") {
    CHECK(hex(crypto::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // A key longer than SHA-256's 64-byte block is hashed first.
    CHECK(hex(crypto::hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(hex(crypto::hmac_sha256(std::string(64, 'k'), "exactly one block of key")) ==
          "baa93ea4ccc7062ed6870c5e7937dbd35ad7791df4e29df9addeb429ff491acf");
    CHECK(hex(crypto::hmac_sha256("", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("random bytes, hex and UUIDs have their shape and do not repeat") {
    CHECK(crypto::random_bytes(0).empty());
    CHECK(crypto::random_bytes(1000).size() == 1000);
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        std::string u = crypto::uuid4();
        REQUIRE(u.size() == 36);
        CHECK(u[8] == '-');
        CHECK(u[13] == '-');
        CHECK(u[14] == '4');
        CHECK(u[18] == '-');
        CHECK(std::string("89ab").find(u[19]) != std::string::npos);
        CHECK(u[23] == '-');
        seen.insert(u);
    }
    CHECK(seen.size() == 100);
    std::string h = crypto::random_hex(16);
    CHECK(h.size() == 32);
    CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}
