#!/usr/bin/env bash
# Management GET /{entity}?api-version=2016-07 (what .NET's
# GetRuntimeInformationAsync sends): an Atom entry whose
# HybridConnectionDescription .NET can read, ListenerCount following hyco-ws
# listeners 0 -> 2 -> 1, any right suffices, 401/403/404 with XML error
# bodies, and requests below an entity or with other methods still reach
# the HTTP gateway.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --status-public --rule root::manage --rule lis:ListenKey0123456789:listen --rule snd:SendKey0123456789:send \
    --entity mg --entity open:anonymous
R="$HYCO_INTEROP_DIR/relay"
base="http://127.0.0.1:$HYCO_RELAY_PORT"

# token ENTITY [keyName key [seconds [audience-uri]]]: minted with hyco-ws's createRelayToken.
token() {
    node -e 'const { connection, token } = require(process.argv[1]);
        const c = connection(), [p, kn, k, s, uri] = process.argv.slice(2);
        process.stdout.write(token(c, p, { keyName: kn || undefined, key: k || undefined,
                                           seconds: s ? Number(s) : undefined, uri: uri || undefined }));' \
        "$R/common.js" "$@"
}
# mget PATH TOKEN [curl args...]: status line in $T/status, headers in $T/headers, body in $T/body.
mget() {
    local path=$1 tok=$2
    shift 2
    local auth=()
    [ -n "$tok" ] && auth=(-H "Authorization: $tok")
    timeout 10 curl -sS -o "$T/body" -D "$T/headers" "${auth[@]}" -H 'X-PROCESS-AT: ServiceBus' "$@" \
        "$base/$path" || fail "curl $path failed"
    head -n 1 "$T/headers" | tr -d '\r' >"$T/status"
}
expect_status_line() {  # prefix what
    case "$(cat "$T/status")" in "$1"*) echo "ok: $2: $(cat "$T/status")" ;;
        *) fail "$2: expected '$1...', got '$(cat "$T/status")' body: $(head -c 300 "$T/body")" ;; esac
}
# Reads the entry the way .NET's DataContractSerializer does: the first
# element inside Atom <content>, exact namespace, members in contract order.
description() {
    python3 - "$T/body" <<'PY'
import sys, xml.etree.ElementTree as ET
atom = "{http://www.w3.org/2005/Atom}"
hc = "{http://schemas.microsoft.com/netservices/2010/10/servicebus/connect}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == atom + "entry", root.tag
content = root.find(atom + "content")
desc = list(content)[0]
assert desc.tag == hc + "HybridConnectionDescription", desc.tag
order = ["CreatedAt", "UpdatedAt", "RequiresClientAuthorization", "UserMetadata", "ListenerCount"]
names = [c.tag[len(hc):] for c in desc]
assert all(c.tag.startswith(hc) for c in desc), names
assert [n for n in order if n in names] == names, names
for n in ("CreatedAt", "UpdatedAt", "RequiresClientAuthorization", "ListenerCount"):
    assert n in names, n
v = {n: desc.find(hc + n).text for n in names}
print(root.find(atom + "title").text, v["ListenerCount"], v["RequiresClientAuthorization"], v["CreatedAt"])
PY
}
expect_description() {  # "title count auth" what
    local d
    d=$(description) || fail "$2: not a readable Atom entry: $(head -c 500 "$T/body")"
    case "$d" in "$1 "*Z) echo "ok: $2: $d" ;; *) fail "$2: expected '$1 <time>', got '$d'" ;; esac
    grep -qi '^Content-Type: application/atom+xml;type=entry' "$T/headers" ||
        fail "$2: content type: $(grep -i '^content-type' "$T/headers")"
}
expect_xml_error() {  # code what
    grep -qi '^Content-Type: application/xml' "$T/headers" || fail "$2: error is not XML"
    python3 -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == "Error" and r.find("Code").text == sys.argv[2] and "TrackingId:" in r.find("Detail").text' \
        "$T/body" "$1" || fail "$2: error body: $(cat "$T/body")"
}
count_is() {  # N: polls (bounded) until ListenerCount is N
    local i d=""
    for ((i = 0; i < 100; i++)); do
        mget 'mg?api-version=2016-07' "$ROOT"
        d=$(description) && [ "$(echo "$d" | cut -d' ' -f2)" = "$1" ] && { echo "ok: ListenerCount $1"; return; }
        sleep 0.1
    done
    fail "ListenerCount never became $1 (last: $d)"
}

ROOT=$(token mg)
mget 'mg?api-version=2016-07' "$ROOT"
expect_status_line "HTTP/1.1 200 OK" "declared entity, no listener"
expect_description "mg 0 true" "declared entity, no listener"

node "$R/ws_echo_listener.js" mg l1 >"$T/l1" 2>&1 &
L1=$!
hyco_cleanup_add "hyco_stop_pid $L1"
node "$R/ws_echo_listener.js" mg l2 >"$T/l2" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
for n in 1 2; do
    timeout 10 bash -c "until grep -q listening '$T/l$n'; do sleep 0.1; done" || fail "listener $n offline"
done
count_is 2
hyco_stop_pid "$L1"
count_is 1

# What .NET sends: a token for its normalised audience http://host/mg/ (no port, trailing slash).
mget 'mg?api-version=2016-07' "$(token mg '' '' '' "http://127.0.0.1/mg/")"
expect_status_line "HTTP/1.1 200 OK" ".NET-style audience"
mget 'mg?api-version=2016-07' "$(token mg lis ListenKey0123456789)"
expect_status_line "HTTP/1.1 200 OK" "Listen-only token (HybridConnectionListener)"
mget 'mg?api-version=2016-07' "$(token mg snd SendKey0123456789)"
expect_status_line "HTTP/1.1 200 OK" "Send-only token (HybridConnectionClient)"
mget 'mg?api-version=2016-07' "" -H "ServiceBusAuthorization: $ROOT"
expect_status_line "HTTP/1.1 200 OK" "token in ServiceBusAuthorization"
mget 'open?api-version=2016-07' "$(token open)"
expect_description "open 0 false" "anonymous-sender entity"

mget 'mg?api-version=2016-07' ""
expect_status_line "HTTP/1.1 401 MissingToken" "no token"
expect_xml_error 401 "no token"
mget 'open?api-version=2016-07' ""
expect_status_line "HTTP/1.1 401 MissingToken" "no token, anonymous-sender entity"
mget 'mg?api-version=2016-07' "$(token mg root WrongKey0123456789)"
expect_status_line "HTTP/1.1 401 InvalidSignature" "bad signature"
mget 'mg?api-version=2016-07' "$(token mg '' '' -30)"
expect_status_line "HTTP/1.1 401 ExpiredToken" "expired token"
mget 'mg?api-version=2016-07' "$(token other)"
expect_status_line "HTTP/1.1 401 InvalidAudience" "token for another entity"
mget 'nosuch?api-version=2016-07' "$(token nosuch)"
expect_status_line "HTTP/1.1 404 EndpointNotFound: entity 'nosuch' does not exist" "unknown entity"
expect_xml_error 404 "unknown entity"
status=$(timeout 5 curl -sS "$base/\$relay/status") || fail "status endpoint"
case "$status" in *'"path":"nosuch"'*) fail "a management GET created an entity" ;; esac

# Not management: below an entity, or another method -> the gateway (no listener on 'open': 502 JSON).
mget 'open/sub?api-version=2016-07' ""
expect_status_line "HTTP/1.1 502 BadGateway" "GET below an entity"
grep -q '"code":"BadGateway"' "$T/body" || fail "gateway error body: $(cat "$T/body")"
mget 'open?api-version=2016-07' "" -X POST -d x
expect_status_line "HTTP/1.1 502 BadGateway" "POST with api-version"
mget 'open' ""
expect_status_line "HTTP/1.1 502 BadGateway" "GET without api-version"
echo ok
