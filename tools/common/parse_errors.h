// Command-line mistakes explained the way curl and git do: the unknown
// option as typed, with a "did you mean", and missing commands listed.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace hyco::cli {

/// The closest of `candidates` to `typed` (edit distance at most 2, or a
/// third of its length), or "" when none is close.
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

/// One line for a CLI11 parse error on `app` (after a failed parse): what was
/// typed, in the order typed, and what to type instead. `argv` is the
/// command line as given (before any scrubbing).
std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::vector<std::string>& argv);

}  // namespace hyco::cli
