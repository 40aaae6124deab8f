// hyco-token: mint, decode, verify SAS tokens and print relay URIs.
#include "tools/common/connect_flags.h"
#include "tools/common/tool.h"
#include "tools/hyco-token/commands.h"

using namespace hyco;

namespace {

cli::ToolInfo info() {
    return {
        "hyco-token",
        "mint, inspect and verify Azure Relay SAS tokens",
        "hyco-token works with the Shared Access Signature tokens that Azure Relay Hybrid Connections use. "
        "'create' signs a token with a shared access key, 'decode' shows what a token grants without any key, "
        "'verify' checks a token against a key and an entity the way the relay does, and 'uri' prints the "
        "listener, sender or HTTP address of an entity, optionally with a token embedded for clients that "
        "cannot set headers.\n\n"
        "Tokens are signed for the audience http://NAMESPACE/ENTITY/ (the form Microsoft's .NET SDK uses): "
        "the service ignores scheme and port, and the trailing slash makes the token cover the entity and the "
        "paths below it. With --namespace-wide the audience is http://NAMESPACE/, which covers every entity.\n\n"
        "The key is used as its text, exactly as the portal shows it; it is never base64-decoded. Keys and "
        "tokens are read from files or the environment so that they stay out of the process list, and are "
        "never printed in errors. Only 'create' and 'uri --with-token' print a token, on stdout.",
        {},
        {cli::environment_section(false)},
    };
}

// Each subcommand's --help shows its own examples; the tool's shows them all.
const std::vector<cli::Example> create_examples = {
    {"hyco-token create -x @cs.txt --ttl 30m",
     "Mint a token valid for 30 minutes for the entity in the connection string in cs.txt."},
    {"HYCO_KEY=$(cat key.txt) hyco-token create -n contoso -p hyco -k RootManageSharedAccessKey --ttl 7d",
     "Mint a week-long token from a key kept in the environment."},
};
const std::vector<cli::Example> decode_examples = {
    {"hyco-token decode --json < token.txt", "Show a token's resource, rule and expiry as JSON."},
};
const std::vector<cli::Example> verify_examples = {
    {"hyco-token verify -n contoso -p hyco --key-file key.txt < token.txt || echo \"refused: $?\"",
     "Check a token: exit 0 valid, 3 bad signature, 7 expired, 8 wrong entity."},
    {"hyco-token verify --key-file key.txt --uri http://contoso.servicebus.windows.net/hyco < token.txt",
     "Check a token against an entity's URI (the URI names the namespace)."},
};
const std::vector<cli::Example> uri_examples = {
    {"hyco-token uri listen -x @cs.txt --with-token", "Print a listener URI with an embedded token."},
    {"hyco-token uri http -x @cs.txt", "Print the entity's HTTP address (http:// for a local hyco-relay)."},
};

std::vector<cli::Example> all_examples() {
    std::vector<cli::Example> all;
    for (const auto* list : {&create_examples, &decode_examples, &verify_examples, &uri_examples})
        all.insert(all.end(), list->begin(), list->end());
    return all;
}

}  // namespace

int main(int argc, char** argv) {
    cli::ToolInfo ti = info();
    ti.examples = all_examples();
    cli::Tool tool(ti);
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::auth, Exit::token_expired, Exit::wrong_audience});
    CLI::App& app = tool.app();
    app.require_subcommand(1);

    token_tool::CreateOptions create;
    CLI::App* c = app.add_subcommand("create", "Mint a token and print it on stdout");
    create.conn.declare(tool, *c, false);
    c->add_option("--ttl", create.ttl, "Lifetime: 90s, 30m, 1h, 7d or combinations like 1h30m")
        ->type_name("DURATION")
        ->capture_default_str();
    c->add_option("--expiry", create.expiry, "Absolute expiry in seconds since 1970 (overrides --ttl)")
        ->type_name("EPOCH");
    c->add_option("--resource", create.resource, "Sign exactly this resource URI instead of the entity's")
        ->type_name("URI");
    c->add_flag("--namespace-wide", create.namespace_wide, "Sign the namespace root: the token covers every entity");

    token_tool::DecodeOptions decode;
    CLI::App* d = app.add_subcommand("decode", "Show a token's resource, rule and expiry (no key needed)");
    tool.secret(d->add_option("TOKEN", decode.token, "The token; '-' or nothing reads it from stdin (keeps it out of ps)"));
    d->add_flag("--json", decode.json, "Print JSON instead of text");

    token_tool::VerifyOptions verify;
    CLI::App* v = app.add_subcommand("verify", "Check a token against a key and an entity");
    tool.secret(v->add_option("TOKEN", verify.token, "The token; '-' or nothing reads it from stdin (keeps it out of ps)"));
    verify.conn.declare(tool, *v, false);
    v->add_option("--uri", verify.uri, "Check against this URI instead of namespace and path")->type_name("URI");
    v->add_flag("-q,--quiet", verify.quiet, "Print nothing on success; rely on the exit status");

    token_tool::UriOptions uri;
    CLI::App* u = app.add_subcommand("uri", "Print the listener, sender or HTTP URI of an entity");
    tool.choices(u->add_option("KIND", uri.kind, "listen, connect (a WebSocket sender) or http")
                     ->capture_default_str(),
                 {"listen", "connect", "http"});
    uri.conn.declare(tool, *u, true);
    u->add_option("--id", uri.id, "Add sb-hc-id=ID (a tracking id)")->type_name("ID");
    u->add_option("--suffix", uri.suffix, "Path below the entity, passed to the listener")->type_name("PATH");
    u->add_flag("--with-token", uri.with_token, "Embed a token as sb-hc-token (for clients that cannot set headers)");
    u->add_option("--ttl", uri.ttl, "Lifetime of an embedded minted token")->type_name("DURATION")->capture_default_str();

    tool.examples_for(c, create_examples);
    tool.examples_for(d, decode_examples);
    tool.examples_for(v, verify_examples);
    tool.examples_for(u, uri_examples);

    return tool.main(argc, argv, [&]() -> Status {
        if (c->parsed()) return token_tool::create(create);
        if (d->parsed()) return token_tool::decode(decode);
        if (v->parsed()) return token_tool::verify(verify);
        return token_tool::uri(uri);
    });
}
