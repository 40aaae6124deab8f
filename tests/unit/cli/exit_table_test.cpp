// The Exit enum, the exit-status table every man page and --help renders, and
// the table in README.md agree (issue 11, item 6).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "tools/common/tool.h"

using namespace hyco;

namespace {

/// The codes in README.md's "Exit status" table, with the first words of their meaning.
std::map<int, std::string> readme_exit_table() {
    std::ifstream in(std::string(HYCO_SOURCE_DIR) + "/README.md");
    REQUIRE(in);
    std::map<int, std::string> rows;
    std::string line;
    bool in_section = false;
    std::regex row(R"(^\| (\d+) \| (.*) \|$)");
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) in_section = line.find("Exit status") != std::string::npos;
        std::smatch m;
        if (in_section && std::regex_match(line, m, row)) rows[std::stoi(m[1])] = m[2];
    }
    return rows;
}

}  // namespace

TEST_CASE("every Exit value has one row in the exit-status table") {
    std::set<int> codes;
    for (const cli::ExitRow& r : cli::exit_status_table()) {
        CHECK(codes.insert(exit_code(r.code)).second);
        CHECK_FALSE(r.brief.empty());
        CHECK_FALSE(r.meaning.empty());
    }
    // The enum's documented values (core/base/error.h), as scripts rely on them.
    CHECK(exit_code(Exit::ok) == 0);
    CHECK(exit_code(Exit::failure) == 1);
    CHECK(exit_code(Exit::usage) == 2);
    CHECK(exit_code(Exit::auth) == 3);
    CHECK(exit_code(Exit::not_found) == 4);
    CHECK(exit_code(Exit::timeout) == 5);
    CHECK(exit_code(Exit::rejected) == 6);
    CHECK(exit_code(Exit::token_expired) == 7);
    CHECK(exit_code(Exit::wrong_audience) == 8);
    CHECK(exit_code(Exit::interrupted) == 130);
    CHECK(codes == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 130});
}

TEST_CASE("README's exit-status table lists exactly the table's codes") {
    auto readme = readme_exit_table();
    std::set<int> documented;
    for (const auto& [code, meaning] : readme) documented.insert(code);
    std::set<int> table;
    for (const cli::ExitRow& r : cli::exit_status_table()) table.insert(exit_code(r.code));
    CHECK(documented == table);
    // Spot-check that the rows mean the same thing.
    CHECK(readme[3].find("authentication") != std::string::npos);
    CHECK(readme[7].find("expired") != std::string::npos);
    CHECK(readme[130].find("interrupted") != std::string::npos);
}

TEST_CASE("a tool lists only its own exit statuses, in --help and the man page") {
    cli::Tool tool(cli::ToolInfo{"hyco-token", "s", "d", {}, {}});
    tool.exit_statuses({Exit::ok, Exit::usage, Exit::token_expired});
    auto rows = tool.exit_rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].first == 7);
    std::string man = tool.man_page();
    CHECK(man.find(".B 7\n") != std::string::npos);
    CHECK(man.find(".B 130\n") == std::string::npos);
    std::string help = tool.app().help();
    CHECK(help.find("7 expired") != std::string::npos);
    CHECK(help.find("130") == std::string::npos);
}
