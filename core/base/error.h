// Errors as values: every failure carries the exit status a tool reports for it
// and a message that says what failed and why (exit statuses: README.md "Exit status",
// checked against the Exit enum by tests/unit/cli/exit_table_test.cpp).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace hyco {

/// Exit statuses shared by every hyco tool; documented in each man page.
enum class Exit : int {
    ok = 0,
    failure = 1,         ///< runtime failure (network, I/O, protocol)
    usage = 2,           ///< bad command line or malformed input
    auth = 3,            ///< authentication/authorization refused, invalid token
    not_found = 4,       ///< entity or listener not found (404)
    timeout = 5,         ///< timed out
    rejected = 6,        ///< the listener rejected the connection
    token_expired = 7,   ///< the token has expired (verify; a listener's pre-issued token)
    wrong_audience = 8,  ///< hyco-token verify: the token does not cover the entity
    interrupted = 130,   ///< SIGINT/SIGTERM
};

constexpr int exit_code(Exit e) { return static_cast<int>(e); }

/// A failure: `what` names the operation, `why` the reason.
struct Error {
    Exit code = Exit::failure;
    std::string what;
    std::string why;

    std::string message() const { return what.empty() ? why : what + ": " + why; }
};

inline Error make_error(Exit code, std::string what, std::string why) {
    return Error{code, std::move(what), std::move(why)};
}

/// A value or an Error. Small on purpose: C++20 has no std::expected.
template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const Error& error() const { return std::get<1>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, Error> v_;
};

/// Success or an Error, for operations without a value.
class Status {
public:
    Status() = default;
    Status(Error error) : e_(std::move(error)) {}  // NOLINT
    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *e_; }

private:
    std::optional<Error> e_;
};

}  // namespace hyco
