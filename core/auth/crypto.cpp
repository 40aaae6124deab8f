// OpenSSL-backed primitives; no state is kept between calls.
//
// The digests use OpenSSL's low-level SHA functions rather than EVP. EVP in
// OpenSSL 3 starts the provider machinery on first use, which touches about
// 2 MiB of libcrypto in every process and costs a short-lived hyco-send a
// measurable part of its start-up, for the two fixed digests the protocol
// names. The low-level functions are the same implementations without the
// dispatch (docs/design.md, "The event loop and the WebSocket client"). Randomness comes from the kernel's
// CSPRNG (getrandom), which is what OpenSSL's DRBG seeds itself from.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/auth/crypto.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "core/base/text.h"

namespace hyco::crypto {
// The one-shot SHA256() goes through EVP in OpenSSL 3; the context functions do not.
std::string sha256(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, data.data(), data.size());
    SHA256_Final(md.data(), &c);
    return std::string(reinterpret_cast<const char*>(md.data()), md.size());
}

std::string sha1(std::string_view data) {
    std::array<unsigned char, SHA_DIGEST_LENGTH> md{};
    SHA_CTX c;
    SHA1_Init(&c);
    SHA1_Update(&c, data.data(), data.size());
    SHA1_Final(md.data(), &c);
    return std::string(reinterpret_cast<const char*>(md.data()), md.size());
}

// RFC 2104 with SHA-256's 64-byte block: H((K ^ opad) || H((K ^ ipad) || data)).
std::string hmac_sha256(std::string_view key, std::string_view data) {
    constexpr std::size_t block = SHA256_CBLOCK;
    std::array<unsigned char, block> k{};
    if (key.size() > block) {
        std::string hashed = sha256(key);
        for (std::size_t i = 0; i < hashed.size(); ++i) k[i] = static_cast<unsigned char>(hashed[i]);
        OPENSSL_cleanse(hashed.data(), hashed.size());
    } else {
        for (std::size_t i = 0; i < key.size(); ++i) k[i] = static_cast<unsigned char>(key[i]);
    }
    std::array<unsigned char, block> pad{};
    std::array<unsigned char, SHA256_DIGEST_LENGTH> inner{}, mac{};
    SHA256_CTX c;
    for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
    SHA256_Init(&c);
    SHA256_Update(&c, pad.data(), block);
    SHA256_Update(&c, data.data(), data.size());
    SHA256_Final(inner.data(), &c);
    for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
    SHA256_Init(&c);
    SHA256_Update(&c, pad.data(), block);
    SHA256_Update(&c, inner.data(), inner.size());
    SHA256_Final(mac.data(), &c);
    OPENSSL_cleanse(k.data(), k.size());
    OPENSSL_cleanse(pad.data(), pad.size());
    OPENSSL_cleanse(&c, sizeof c);
    return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

std::string sha256_hex(std::string_view data) { return text::hex_encode(sha256(data)); }

namespace {

[[noreturn]] void no_randomness() {
    // Without a working CSPRNG no key or rendezvous address can be trusted.
    std::fputs("hyco: fatal: the system random number generator failed\n", stderr);
    std::abort();
}

// Where getrandom is missing (ENOSYS) or filtered (EPERM under seccomp):
// the same kernel CSPRNG through its device, as OpenSSL would fall back to.
void urandom(char* p, std::size_t n) {
    FILE* f = std::fopen("/dev/urandom", "rbe");
    if (!f) no_randomness();
    std::size_t got = std::fread(p, 1, n, f);
    std::fclose(f);
    if (got != n) no_randomness();
}

}  // namespace

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(out.data() + got, n - got, 0);
        if (r > 0) {
            got += static_cast<std::size_t>(r);
        } else if (r < 0 && (errno == ENOSYS || errno == EPERM)) {
            urandom(out.data() + got, n - got);
            break;
        } else if (r < 0 && errno != EINTR) {
            no_randomness();
        }
    }
    return out;
}

std::string random_hex(std::size_t n) { return text::hex_encode(random_bytes(n)); }

std::string uuid4() {
    std::string b = random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
    std::string hex = text::hex_encode(b);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hyco::crypto
