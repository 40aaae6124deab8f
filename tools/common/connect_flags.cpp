// Credential resolution. Precedence: explicit flags over the connection
// string, files over environment; a key and a token together are refused.
#include "tools/common/connect_flags.h"

#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "core/auth/connection_string.h"
#include "core/auth/sas.h"
#include "core/auth/secret.h"
#include "tools/common/secrets.h"
#include "tools/common/secret_files.h"

namespace hyco::cli {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

void ConnectFlags::declare(Tool& tool, CLI::App& app, bool tokens) {
    tool.secret(tool.complete(app.add_option("-x,--connection-string", connection_string,
                                             "Relay connection string (Endpoint=sb://...;EntityPath=...;"
                                             "SharedAccessKeyName=...;SharedAccessKey=...): @FILE reads it "
                                             "from FILE, which keeps the key out of ps")
                                  ->type_name("CONNSTR")
                                  ->envname("HYCO_CONNECTION_STRING")
                                  ->group("Connection"),
                              Complete::at_file));
    app.add_option("-n,--namespace", ns,
                   "Relay namespace: NAME (.servicebus.windows.net is added), HOST[:PORT] or sb://HOST[:PORT]/")
        ->type_name("NS")
        ->group("Connection");
    app.add_option("-p,--path", path, "Hybrid Connection (entity) path; overrides EntityPath")
        ->type_name("PATH")
        ->group("Connection");
    app.add_option("-k,--key-name", key_name, "Shared access rule name; overrides SharedAccessKeyName")
        ->type_name("NAME")
        ->group("Connection");
    tool.complete(app.add_option("--key-file", key_file,
                                 "Read the shared access key from FILE (or set HYCO_KEY) so it stays out of ps")
                      ->type_name("FILE")
                      ->group("Connection"),
                  Complete::file);
    if (tokens) {
        tool.secret(app.add_option("--token", token,
                                   "Use this pre-issued SAS token instead of a key (HYCO_TOKEN or --token-file "
                                   "keep it out of ps)")
                        ->type_name("TOKEN")
                        ->group("Connection"));
        tool.complete(app.add_option("--token-file", token_file, "Read a pre-issued SAS token from FILE")
                          ->type_name("FILE")
                          ->group("Connection"),
                      Complete::file);
    }
    app.add_flag("--emulator", emulator,
                 "Plain ws:// to a local relay such as hyco-relay (like UseDevelopmentEmulator=true)")
        ->group("Connection");
}

Result<RelayTarget> ConnectFlags::resolve(bool need_entity) const {
    RelayTarget t;
    bool have_ns = false;
    std::string cs_text = connection_string;
    if (!cs_text.empty() && cs_text.front() == '@') {
        auto text = read_secret_file(cs_text.substr(1), "the connection string");
        if (!text) return text.error();
        warn_if_exposed(cs_text.substr(1), "connection string file");
        cs_text = *text;
    }
    if (!cs_text.empty()) {
        auto cs = parse_connection_string(cs_text);
        if (!cs) {
            Error e = cs.error();
            // `-x cs.txt`: the name of a file, not its contents.
            if (connection_string.front() != '@' && access(cs_text.c_str(), R_OK) == 0)
                e.why += fmt::format(" (to read it from the file, write -x @{})", cs_text);
            return e;
        }
        t.ns = cs->endpoint;
        t.entity = cs->entity_path;
        t.credentials.key_name = cs->key_name;
        t.credentials.key = cs->key;
        t.credentials.token = cs->signature;
        have_ns = true;
    }
    if (!ns.empty()) {
        auto parsed = parse_namespace(ns, emulator);
        if (!parsed) return parsed.error();
        t.ns = *parsed;
        have_ns = true;
    } else if (emulator && have_ns) {
        t.ns.tls = false;
    }
    if (!have_ns)
        return make_error(Exit::usage, "no relay given",
                          "use -x CONNECTION_STRING (or HYCO_CONNECTION_STRING) or --namespace");
    if (!path.empty()) {
        auto p = normalize_entity_path(path);
        if (!p) return p.error();
        t.entity = *p;
    }
    if (need_entity && t.entity.empty())
        return make_error(Exit::usage, "no entity given", "use --path or EntityPath in the connection string");

    std::string key;
    if (!key_file.empty()) {
        auto k = read_secret_file(key_file, "the key");
        if (!k) return k.error();
        warn_if_exposed(key_file, "key file");
        key = *k;
    } else {
        key = env("HYCO_KEY");
    }
    std::string tok;
    if (!token_file.empty()) {
        auto k = read_secret_file(token_file, "the token");
        if (!k) return k.error();
        warn_if_exposed(token_file, "token file");
        tok = *k;
    } else if (!token.empty()) {
        tok = token;
    } else if (key.empty()) {
        tok = env("HYCO_TOKEN");
    }
    if (!key.empty() && !tok.empty())
        return make_error(Exit::usage, "conflicting credentials", "give a key or a token, not both");
    if (!key_name.empty()) t.credentials.key_name = key_name;
    if (!key.empty()) {
        t.credentials.key = key;
        t.credentials.token.clear();
        if (t.credentials.key_name.empty())
            return make_error(Exit::usage, "a key needs a rule name", "use --key-name (or SharedAccessKeyName)");
    }
    if (!tok.empty()) {
        auto parsed = sas::parse(tok);
        if (!parsed) return parsed.error();
        t.credentials.token = tok;
        t.credentials.key.clear();
    }
    if (t.credentials.can_mint())
        if (auto st = sas::check_key(t.credentials.key_name, t.credentials.key); !st) return st.error();
    return t;
}

Section environment_section(bool network) {
    std::string body =
        "HYCO_CONNECTION_STRING\n"
        "A connection string, used when -x is not given.\n\n"
        "HYCO_KEY\n"
        "The shared access key, used when --key-file is not given. Keys in files or the environment "
        "stay out of the process list; keys are never printed.\n\n"
        "HYCO_TOKEN\n"
        "A pre-issued SAS token, used when no key, --token or --token-file is given.\n\n";
    if (!network)
        return {"ENVIRONMENT", body + "None of the three is passed on to commands the tools run (--exec, "
                                      "--accept-cmd, exec:): their output may go to a remote peer."};
    return {"ENVIRONMENT",
            body +
                "https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY\n"
                "An HTTP proxy (http://[USER:PASSWORD@]HOST[:PORT]) that relay connections tunnel through with "
                "CONNECT, as curl reads them: the https ones for wss://, the http ones for ws://, the all ones for "
                "either; lower case first. --proxy overrides them.\n\n"
                "no_proxy, NO_PROXY\n"
                "Hosts reached directly, comma-separated: names (which also cover their subdomains), IP addresses, "
                "CIDR ranges, or * for all. Applies to --proxy too.\n\n"
                "HYCO_PROXY_USER\n"
                "The proxy's USER:PASSWORD, used when --proxy-user-file is not given; it replaces credentials in "
                "the proxy URL.\n\n"
                "None of HYCO_CONNECTION_STRING, HYCO_KEY, HYCO_TOKEN and HYCO_PROXY_USER is passed on to commands "
                "the tools run (--exec, --accept-cmd, exec:): their output may go to a remote peer."};
}

}  // namespace hyco::cli
