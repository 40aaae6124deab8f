// Thin wrappers over OpenSSL for what the relay protocol needs: HMAC-SHA256
// signatures, unguessable identifiers and constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace hyco::crypto {

/// HMAC-SHA256 of `data` keyed with the raw bytes of `key`; 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// SHA-256 digest; 32 raw bytes.
std::string sha256(std::string_view data);

/// SHA-1 digest; 20 raw bytes. Only for the WebSocket handshake, which names it.
std::string sha1(std::string_view data);

/// SHA-256 digest as lower-case hex.
std::string sha256_hex(std::string_view data);

/// Cryptographically random bytes from the kernel (getrandom); aborts only if it fails.
std::string random_bytes(std::size_t n);

/// A random RFC 4122 version-4 UUID in lower-case text form.
std::string uuid4();

/// Random URL-safe token of `bytes` random bytes (hex), for rendezvous ids and keys.
std::string random_hex(std::size_t bytes);

/// Compares without leaking where the inputs differ.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace hyco::crypto
