// Many forwards in one hyco-pipe: the forward list (a --config file with one
// forward per line, or repeated --forward 'ADDRESS1 ADDRESS2') and its
// parser. A line is `[NAME] ADDRESS1 ADDRESS2`, words split at blanks with
// '...' and "..." quoting as in a shell, `#` starting a word starts a
// comment. Pure functions, unit-tested; running them is multi.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace hyco::pipe {

/// One forward as written, before its addresses are parsed.
struct ForwardSpec {
    std::string name;      ///< as given in brackets, or derived (see parse_forward_line)
    std::string address1;
    std::string address2;
    std::string origin;    ///< for messages: "FILE:LINE" or "--forward #N"
};

/// Splits a line into words (quotes removed, comment dropped). Errors
/// (Exit::usage): an unterminated quote.
Result<std::vector<std::string>> split_words(std::string_view line);

/// Parses one forward. An empty or comment-only line gives a spec with no
/// addresses. Without [NAME] the name is `fallback`. Errors name `origin`.
Result<ForwardSpec> parse_forward_line(std::string_view line, const std::string& origin, const std::string& fallback);

/// Parses a whole file's text (`file` names it in messages): every forward,
/// with the error of the first bad line as "FILE:LINE: ...". Names must be unique.
Result<std::vector<ForwardSpec>> parse_forward_file(std::string_view text, const std::string& file);

/// Checks that names are unique across `specs` (file and --forward together).
Status check_forward_names(const std::vector<ForwardSpec>& specs);

}  // namespace hyco::pipe
