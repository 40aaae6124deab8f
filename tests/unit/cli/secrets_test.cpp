// Redaction, argv scrubbing and "did you mean" for the shared CLI plumbing.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tools/common/parse_errors.h"
#include "tools/common/secrets.h"

using namespace hyco;

TEST_CASE("redaction hides keys, signatures and known secret values") {
    cli::SecretValues s;
    s.add("Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=TopSecret123=");
    s.add("plainTokenValue42", true);
    CHECK(s.redact("bad: Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=TopSecret123=") == "bad: REDACTED");
    CHECK(s.redact("key TopSecret123= here") == "key REDACTED here");
    CHECK(s.redact("token plainTokenValue42") == "token REDACTED");
    cli::SecretValues none;
    CHECK(none.redact("SharedAccessKey=abc;x") == "SharedAccessKey=REDACTED;x");
    CHECK(none.redact("sr=a&sig=xyz&se=1").find("xyz") == std::string::npos);
    CHECK(none.redact("SharedAccessSignature=SharedAccessSignature sr=a&se=1;EntityPath=e") ==
          "SharedAccessSignature=REDACTED;EntityPath=e");
}

TEST_CASE("the name of an existing file is no secret, even as -x's value") {
    // `-x cs.txt` for `-x @cs.txt`: the hint quotes the file name.
    const std::string file = HYCO_SOURCE_DIR "/LICENSE";
    cli::SecretValues s;
    s.add(file, true);
    s.add(file + ".nosuch", true);
    CHECK(s.redact("write -x @" + file) == "write -x @" + file);
    CHECK(s.redact("got " + file + ".nosuch") == "got REDACTED");
}

TEST_CASE("scrub_argv overwrites secret values in place and keeps the rest") {
    std::vector<std::string> storage = {"hyco-send", "-x", "Endpoint=sb://x/;SharedAccessKey=k1234567",
                                        "--token=tok123456", "-m", "hello", "-xabcdefgh"};
    std::vector<char*> argv;
    for (auto& a : storage) argv.push_back(a.data());
    cli::scrub_argv(static_cast<int>(argv.size()), argv.data(), {"tok123456", "abcdefgh"});
    CHECK(std::string(argv[1]) == "-x");
    CHECK(std::string(argv[2]).find("k1234567") == std::string::npos);
    CHECK(std::string(argv[2]).size() == storage[2].size());
    CHECK(std::string(argv[3]) == "--token=xxxxxxxxx");
    CHECK(std::string(argv[5]) == "hello");
    CHECK(std::string(argv[6]) == "-xxxxxxxxx");
}

TEST_CASE("closest suggests near misses only") {
    std::vector<std::string> opts = {"--timeout", "--connection-string", "--token", "-x"};
    CHECK(cli::closest("--timout", opts) == "--timeout");
    CHECK(cli::closest("--conection-string", opts) == "--connection-string");
    CHECK(cli::closest("--conn", opts) == "--connection-string");
    CHECK(cli::closest("--banana", opts).empty());
}
