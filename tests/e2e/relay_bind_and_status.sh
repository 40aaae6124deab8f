#!/usr/bin/env bash
# --host is bound exactly (issue 9): 127.0.0.1 by default, not every
# interface; 0.0.0.0 warns that tokens travel in clear text without --tls.
# /$relay/status needs a namespace-wide Manage token unless --status-public,
# and never shows a key.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
command -v ss >/dev/null || { echo "skipped: no ss" >&2; exit 77; }

# start NAME ARGS...: a relay with exactly these arguments (no --host of ours).
start() {
    local name=$1 i
    shift
    hyco-relay --port 0 "$@" >"$T/$name.out" 2>"$T/$name.err" &
    local pid=$!
    hyco_cleanup_add "hyco_stop_pid $pid"
    for ((i = 0; i < 100; i++)); do
        [ "$(wc -l <"$T/$name.out")" -ge 1 ] && break
        sleep 0.1
    done
    PORT=$(sed -nE '1s|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|p' "$T/$name.out")
    [ -n "$PORT" ] || fail "relay $name did not start: $(cat "$T/$name.err")"
}
listening() { ss -Hltn "sport = :$1" | awk '{print $4}' | sort -u | tr '\n' ' '; }

start default
[ "$(listening "$PORT")" = "127.0.0.1:$PORT " ] || fail "default bind: $(listening "$PORT") (expected only 127.0.0.1:$PORT)"
grep -q warning "$T/default.err" && fail "warning on loopback: $(cat "$T/default.err")"
pass "the default binds 127.0.0.1 only"

if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    start v6 --host ::1
    [ "$(listening "$PORT")" = "[::1]:$PORT " ] || fail "--host ::1 bind: $(listening "$PORT")"
    pass "--host ::1 binds [::1] only"
fi

start all --host 0.0.0.0
[ "$(listening "$PORT")" = "0.0.0.0:$PORT " ] || fail "--host 0.0.0.0 bind: $(listening "$PORT")"
grep -q 'warning: listening on every interface, reachable from other hosts, without --tls: tokens' "$T/all.err" ||
    fail "no clear-text warning: $(cat "$T/all.err")"
pass "--host 0.0.0.0 binds every interface and warns"

# An address that is not this host's is refused with the reason, port 0 too
# (192.0.2.1 is TEST-NET-1, never assigned).
expect_status 1 hyco-relay --port 0 --host 192.0.2.1
expect_err "cannot listen on 192.0.2.1 port 0: Cannot assign requested address"

# The status page.
relay_start --rule root::manage --rule lis::listen
CS=$HYCO_CONNECTION_STRING
key=$(sed -E 's/.*SharedAccessKey=([^;]*).*/\1/' <<<"$CS")
url="http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status"
code() { timeout 5 curl -sS -o "$T/body" -w '%{http_code}' "$@"; }
[ "$(code "$url")" = 401 ] || fail "status without a token: $(cat "$T/body")"
grep -q 'Manage token' "$T/body" || fail "401 without a hint: $(cat "$T/body")"
root=$(hyco-token create --namespace-wide -x "$CS")
[ "$(code -H "Authorization: $root" "$url")" = 200 ] || fail "status with a Manage token: $(cat "$T/body")"
grep -q '"entities"' "$T/body" || fail "status body: $(cat "$T/body")"
grep -qF "$key" "$T/body" && fail "the status page shows a key"
[ "$(code "$url?sb-hc-token=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$root")")" = 200 ] ||
    fail "status with sb-hc-token: $(cat "$T/body")"
entity=$(hyco-token create -x "$CS;EntityPath=hyco")
[ "$(code -H "ServiceBusAuthorization: $entity" "$url")" = 401 ] || fail "an entity token read the status"
lis_cs=$(sed -n 2p "$HYCO_RELAY_OUT")
[[ "$lis_cs" == *"SharedAccessKeyName=lis;"* ]] || fail "no connection string for the generated rule 'lis': $(cat "$HYCO_RELAY_OUT")"
listen_only=$(hyco-token create --namespace-wide -x "$lis_cs")
[ "$(code -H "Authorization: $listen_only" "$url")" = 403 ] || fail "a Listen token read the status: $(cat "$T/body")"
pass "status: 401 without a token or for an entity, 403 without Manage, 200 with it"

relay_start --status-public
[ "$(code "http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status")" = 200 ] || fail "--status-public: $(cat "$T/body")"
grep -qF "$(sed -E 's/.*SharedAccessKey=([^;]*).*/\1/' <<<"$HYCO_CONNECTION_STRING")" "$T/body" && fail "key shown"
pass "--status-public"
echo ok
