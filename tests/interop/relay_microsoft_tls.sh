#!/usr/bin/env bash
# Microsoft's own code against hyco-relay over TLS (issue 9): hyco-https's
# published example and Jest tests, and hyco-ws's API as its README shows it
# (its example is stale, see below); the Jest tests run
# unmodified by relay/jest_lite.js), on a host name other than 127.0.0.1
# (relay.localtest, resolved for node by relay/localtest_preload.js, which
# also maps the port 443 they hard-code to the relay's), with a private CA:
# CA key -> CA certificate -> server certificate for DNS:relay.localtest;
# node trusts the CA through NODE_EXTRA_CA_CERTS, with verification on.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
command -v openssl >/dev/null || { echo "skipped: no openssl" >&2; exit 77; }
host=relay.localtest
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=hyco test CA" \
    -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
    -keyout "$T/server.key" -out "$T/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$host" >"$T/ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
    -extfile "$T/ext" -out "$T/server.pem" 2>/dev/null
relay_start -v --namespace "$host" --cert "$T/server.pem" --key "$T/server.key"
case "$HYCO_CONNECTION_STRING" in "Endpoint=sb://$host:"*) ;; *) fail "banner: $HYCO_CONNECTION_STRING" ;; esac

export NODE_EXTRA_CA_CERTS=$T/ca.pem NODE_NO_WARNINGS=1
export NODE_OPTIONS="--require $HYCO_INTEROP_DIR/relay/localtest_preload.js"
export HYCO_LOCALTEST_HOST=$host HYCO_LOCALTEST_PORT=$HYCO_RELAY_PORT
unset NODE_TLS_REJECT_UNAUTHORIZED
rule=$(sed -E 's/.*SharedAccessKeyName=([^;]*).*/\1/' <<<"$HYCO_CONNECTION_STRING")
key=$(sed -E 's/.*SharedAccessKey=([^;]*).*/\1/' <<<"$HYCO_CONNECTION_STRING")
export SB_HC_NAMESPACE=$host SB_HC_KEYRULE=$rule SB_HC_KEY=$key
online() {  # online ENTITY: the relay logged a listener on it (bounded)
    timeout 20 bash -c "until grep -q 'listener $1 .*: online' '$HYCO_RELAY_LOG'; do sleep 0.1; done" ||
        fail "no listener on $1 came online"
}

# 1. hyco-https's examples/simple: listener and sender as published.
ex=$HYCO_INTEROP_DIR/node_modules/hyco-https/examples/simple
(cd "$ex" && exec node listener.js --ns="$host" --path=web --keyrule="$rule" --key="$key") >"$T/hl" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
online web
out=$(cd "$ex" && timeout 30 node sender.js --ns="$host" --path=web --keyrule="$rule" --key="$key" 2>&1) ||
    fail "hyco-https sender: $out"
[[ "$out" == *"BODY: <html><head><title>Hey!</title></head><body>Relayed Node.js Server!</body></html>"* ]] ||
    fail "hyco-https sender printed: $out; listener: $(cat "$T/hl")"
grep -q 'request accepted: GET on /web' "$T/hl" || fail "hyco-https listener printed: $(cat "$T/hl")"
pass "hyco-https examples/simple over wss:// and https:// to $host"

# 2. hyco-ws: its examples/simple listener passes keyName/key, which hyco-ws
#    1.0.5 itself rejects ("A 'token' string or function must be provided"),
#    and its sender needs a terminal (setRawMode); so both sides are written
#    the way hyco-ws's README shows, with its createRelayedServer,
#    relayedConnect and createRelayToken.
node -e '
const W = require("hyco-ws");
const [host, rule, key] = process.argv.slice(1);
const uri = W.createRelayListenUri(host, "ws");
const wss = W.createRelayedServer({ server: uri, token: () => W.createRelayToken(uri, rule, key) }, (ws) => {
  console.log("connection accepted");
  ws.onmessage = (event) => console.log(event.data);
});
wss.on("error", (err) => console.log("error: " + err));' "$host" "$rule" "$key" >"$T/wl" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
online ws
timeout 30 node -e '
const W = require("hyco-ws");
const [host, rule, key] = process.argv.slice(1);
const uri = W.createRelaySendUri(host, "ws");
W.relayedConnect(uri, W.createRelayToken(uri, rule, key), (ws) => {
  ws.send(JSON.stringify({ hello: "from hyco-ws" }), () => setTimeout(() => ws.close(), 300));
  ws.on("close", () => process.exit(0));
});' "$host" "$rule" "$key" || fail "hyco-ws sender"
timeout 10 bash -c "until grep -q '{\"hello\":\"from hyco-ws\"}' '$T/wl'; do sleep 0.1; done" ||
    fail "hyco-ws listener printed: $(cat "$T/wl")"
grep -q 'connection accepted' "$T/wl" || fail "hyco-ws listener: $(cat "$T/wl")"
pass "hyco-ws listener and sender over wss:// to $host"

# 3. hyco-https's published Jest tests, unmodified.
for f in get post chunkedpost pipe; do
    SB_HC_PATH=jest-$f timeout 600 node "$HYCO_INTEROP_DIR/relay/jest_lite.js" \
        "$HYCO_INTEROP_DIR/node_modules/hyco-https/tests/$f.test.js" >"$T/jest-$f" 2>&1 ||
        fail "hyco-https tests/$f.test.js: $(grep -v '^pass' "$T/jest-$f" | head -n 20)"
    pass "hyco-https tests/$f.test.js: $(tail -n 1 "$T/jest-$f")"
done
echo ok
