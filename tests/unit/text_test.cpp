// Encoding helpers: percent-encoding, base64 and UTF-8 validation.
#include <doctest/doctest.h>

#include "core/base/text.h"

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

TEST_CASE("printable escapes what a terminal would obey") {
    CHECK(text::printable("Normal Closure") == "Normal Closure");
    CHECK(text::printable("\x1b[31mred\x07\r\n\tx") == "\\x1B[31mred\\x07\\r\\n\\tx");
    CHECK(text::printable(std::string("a\0b\x7f", 4)) == "a\\x00b\\x7F");
    // C1 controls in UTF-8 (U+009B is an 8-bit CSI) and bytes that are not UTF-8.
    CHECK(text::printable("\xc2\x9b" "2J") == "\\xC2\\x9B2J");
    CHECK(text::printable("\x9b" "2J \xff \xc3") == "\\x9B2J \\xFF \\xC3");
    // Other UTF-8 stays readable.
    CHECK(text::printable("Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80") == "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80");
    // Idempotent: escaping twice changes nothing more.
    std::string once = text::printable("\x1b]0;title\x07\xc2\x85");
    CHECK(text::printable(once) == once);
    CHECK_FALSE(text::has_control(once));
}

TEST_CASE("hex_encode writes every byte as two lower-case digits") {
    CHECK(text::hex_encode("").empty());
    CHECK(text::hex_encode(std::string("\x00\x0f\xf0\xff\x01\xab", 6)) == "000ff0ff01ab");
}
