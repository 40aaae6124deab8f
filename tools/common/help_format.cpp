// The --help formatter (see help_format.h).
#include "tools/common/help_format.h"

namespace hyco::cli {

std::string value_name(const CLI::Option* opt) {
    std::string t = opt->get_type_name();
    auto colon = t.find(':');
    if (colon != std::string::npos) t = t.substr(0, colon);
    return t.empty() ? "VALUE" : t;
}

HelpFormatter::HelpFormatter() { column_width(32); }

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
    if (opt->get_items_expected_max() == 0) return {};  // a flag
    std::string out = " " + value_name(opt);
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    return out;
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
    std::string out = opt->get_description();
    std::string notes;
    auto note = [&](const std::string& s) { notes += (notes.empty() ? "" : "; ") + s; };
    if (opt->get_items_expected_max() != 0 && !opt->get_default_str().empty()) note("default: " + opt->get_default_str());
    if (!opt->get_envname().empty()) note("env: " + opt->get_envname());
    for (const CLI::Option* other : opt->get_excludes()) note("not with " + other->get_name());
    if (!notes.empty()) out += " [" + notes + "]";
    return out;
}

}  // namespace hyco::cli
