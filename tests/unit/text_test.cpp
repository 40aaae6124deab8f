// Encoding helpers: percent-encoding, base64 and UTF-8 validation.
#include <doctest/doctest.h>

#include "core/text.h"

using namespace hyco;

TEST_CASE("percent encoding matches encodeURIComponent") {
    CHECK(text::encode_component("http://a.b/c d?e=f&g") == "http%3A%2F%2Fa.b%2Fc%20d%3Fe%3Df%26g");
    CHECK(text::encode_component("-_.!~*'()") == "-_.!~*'()");
    CHECK(text::encode_component("+/=") == "%2B%2F%3D");
}

TEST_CASE("percent decoding is strict and optionally form-style") {
    CHECK(*text::percent_decode("a%20b%2Bc+d") == "a b+c+d");
    CHECK(*text::percent_decode("a%20b+c", true) == "a b c");
    CHECK(*text::percent_decode("%e2%82%ac") == "\xe2\x82\xac");
    for (const char* bad : {"%", "%2", "%G0", "abc%"}) CHECK_FALSE(text::percent_decode(bad).has_value());
}

TEST_CASE("base64 round trips and rejects malformed input") {
    for (std::string s : std::initializer_list<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)})
        CHECK(*text::base64_decode(text::base64_encode(s)) == s);
    CHECK(text::base64_encode("foobar") == "Zm9vYmFy");
    for (const char* bad : {"Zm9", "Zm9v!", "Z===", "=Zm9", "Zm=v", "Zm9vYmFy====", "Zm 9"})
        CHECK_FALSE(text::base64_decode(bad).has_value());
}

TEST_CASE("UTF-8 validation") {
    CHECK(text::is_valid_utf8("plain"));
    CHECK(text::is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
        CHECK_FALSE(text::is_valid_utf8(bad));
}

TEST_CASE("quote keeps error messages printable and short") {
    CHECK(text::quote("a\nb") == "'a\\x0Ab'");
    CHECK(text::quote(std::string(100, 'x'), 5) == "'xxxxx...'");
}
