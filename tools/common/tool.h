// One declaration per tool: the CLI11 option table plus hand-written prose.
// From it come --help, the man page and the bash/zsh/fish completions
// (`TOOL --generate man|bash|zsh|fish`, handled before parsing).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/base/error.h"
#include "tools/common/secrets.h"

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
enum class Complete {
    none,
    file,
    directory,
    command,
    at_file,  ///< a literal value, or @FILE (files complete after the '@')
};

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
    /// Offers `words` in completion without restricting the value; a word
    /// ending in ':' is a prefix (no space after it), as hyco-pipe's address types.
    CLI::Option* suggest(CLI::Option* opt, std::vector<std::string> words);
    /// Marks an option whose value is a secret (a key, a token, a connection
    /// string): it is overwritten in argv after parsing and redacted in errors.
    /// Unless `always`, only a value that looks secret (SecretValues::add).
    CLI::Option* secret(CLI::Option* opt, bool always = true);
    /// The exit statuses this tool can report (default: all), for --help and the man page.
    void exit_statuses(std::vector<Exit> codes);
    /// Shows `examples` in this subcommand's --help instead of the tool's.
    void examples_for(CLI::App* sub, std::vector<Example> examples);

    /// Parses argv and runs `run` (after `--generate`, `--help`, `--version`
    /// handling). Prints errors as `NAME: error: what: why` and returns the
    /// exit status.
    int main(int argc, char** argv, const std::function<Status()>& run);

    /// Prints an error line for this tool, with every secret redacted.
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
        bool prefixes = false;  ///< the choices are prefixes: no space after them
    };
    Hint hint(const CLI::Option* opt) const;
    /// The exit-status rows that apply to this tool.
    std::vector<std::pair<int, std::string>> exit_rows() const;

private:
    std::string footer(const std::vector<Example>& examples) const;

    ToolInfo info_;
    CLI::App app_;
    std::map<const CLI::Option*, Hint> hints_;
    std::vector<Exit> exits_;  ///< empty: all
    std::vector<std::pair<const CLI::Option*, bool>> secret_options_;  ///< and `always`
    SecretValues secrets_;
};

/// One row of the exit-status table.
struct ExitRow {
    Exit code;
    std::string brief;    ///< for --help: "auth refused"
    std::string meaning;  ///< for the man page: a sentence
};

/// The exit-status table shared by all tools: every Exit value once.
const std::vector<ExitRow>& exit_status_table();

}  // namespace hyco::cli
