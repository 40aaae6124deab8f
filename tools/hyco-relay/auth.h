// Token checks for listeners, senders and HTTP requests (docs/protocol.md §2):
// where tokens travel, signature over the raw `sr`, expiry, audience and
// rights, each failure with the status and reason the client will see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/sas.h"
#include "core/http/refusal.h"
#include "tools/hyco-relay/config.h"

namespace hyco::relay {

struct AuthResult {
    std::optional<http::Refusal> refused;  ///< 401 or 403, "InvalidSignature: ..."
    std::optional<sas::Token> token;  ///< the token that passed
    const Rule* rule = nullptr;

    bool ok() const { return !refused; }
};

/// Checks each candidate token (header, query, ...) and accepts the first
/// valid one; otherwise reports the failure of the first candidate.
/// `request_host` is the Host header's host: tokens may name it or the
/// namespace host. `needed` is kListen, kSend, kManage or kAnyRight. The
/// audience must cover the requested URI: `entity` ("" for the namespace)
/// plus `suffix` ("/a/b", decoded), whole segments, case-insensitively.
AuthResult authorize(const Config& config, const std::vector<std::string>& candidates, std::string_view entity,
                     std::string_view request_host, unsigned needed, std::int64_t now, std::string_view suffix = {});

/// Checks one token.
AuthResult check_token(const Config& config, std::string_view token_text, std::string_view entity,
                       std::string_view request_host, unsigned needed, std::int64_t now, std::string_view suffix = {});

/// The host part of a Host header value ("[::1]:80" -> "::1").
std::string host_of(std::string_view host_header);

}  // namespace hyco::relay
