// --help layout: the option column holds names and the value's name only;
// defaults, environment variables and exclusions go after the description,
// so nothing is glued to the text and no validator internals show.
#pragma once

#include <CLI/CLI.hpp>

namespace hyco::cli {

class HelpFormatter : public CLI::Formatter {
public:
    HelpFormatter();
    std::string make_option_opts(const CLI::Option* opt) const override;
    std::string make_option_desc(const CLI::Option* opt) const override;
};

/// An option's value name without CLI11's type and validator suffixes:
/// "N:UINT in [1 - 100000]" -> "N".
std::string value_name(const CLI::Option* opt);

}  // namespace hyco::cli
