// One declaration per tool: the CLI11 option table plus hand-written prose.
// From it come --help, the man page and the bash/zsh/fish completions
// (`TOOL --generate man|bash|zsh|fish`, handled before parsing).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.h"

namespace hyco::cli {

struct Example {
    std::string command;
    std::string explanation;
};

struct Section {
    std::string title;  ///< upper case, e.g. ENVIRONMENT
    std::string body;   ///< paragraphs separated by blank lines
};

/// The prose around the option table.
struct ToolInfo {
    std::string name;         ///< hyco-token
    std::string summary;      ///< one line, for NAME and --help
    std::string description;  ///< paragraphs separated by blank lines
    std::vector<Example> examples;
    std::vector<Section> sections;  ///< extra man sections (ENVIRONMENT, ...)
};

/// How a shell should complete an option's value.
enum class Complete { none, file, directory, command };

class Tool {
public:
    explicit Tool(ToolInfo info);

    CLI::App& app() { return app_; }
    const ToolInfo& info() const { return info_; }

    /// Marks an option's value as a file, directory or command for completion.
    CLI::Option* complete(CLI::Option* opt, Complete kind);
    /// Accepts only digits (CLI11 would wrap "-1" into a huge unsigned value).
    static CLI::Option* whole_number(CLI::Option* opt);
    /// Restricts an option to `choices`; they are also offered by completion.
    CLI::Option* choices(CLI::Option* opt, std::vector<std::string> choices);

    /// Parses argv and runs `run` (after `--generate`, `--help`, `--version`
    /// handling). Prints errors as `NAME: error: what: why` and returns the
    /// exit status.
    int main(int argc, char** argv, const std::function<Status()>& run);

    /// Prints an error line for this tool.
    void report(const Error& e) const;

    // Generators, used by `--generate`; also exercised by tests.
    std::string man_page() const;
    std::string bash_completion() const;
    std::string zsh_completion() const;
    std::string fish_completion() const;

    /// Describes one value completion for the generators.
    struct Hint {
        Complete kind = Complete::none;
        std::vector<std::string> choices;
    };
    Hint hint(const CLI::Option* opt) const;

private:
    ToolInfo info_;
    CLI::App app_;
    std::map<const CLI::Option*, Hint> hints_;
};

/// The exit-status table shared by all tools, as (code, meaning) rows.
const std::vector<std::pair<int, std::string>>& exit_status_table();

}  // namespace hyco::cli
