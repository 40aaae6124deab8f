// An HTTP request turned away: the status its client gets and why, in one
// value, so parsers and checks return it instead of filling out-parameters.
#pragma once

#include <string>

namespace hyco::http {

struct Refusal {
    int status = 400;
    std::string reason;  ///< what is wrong, for the reason phrase or body
};

}  // namespace hyco::http
