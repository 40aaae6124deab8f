#!/usr/bin/env bash
# HTTP rendezvous reuse (docs/protocol.md §3.7): after a request that needed a
# rendezvous (> 64 KiB), further requests on the same sender connection
# travel over that rendezvous (hyco-https keeps it and reads them there);
# the rendezvous goes when the sender does; a listener that closes it (like
# .NET) ends the sender's connection after the response; the 504 timer
# still runs on a reused rendezvous.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start -v --http-timeout 3s --status-public
R="$HYCO_INTEROP_DIR/relay"
field() { node -e 'const j=JSON.parse(process.argv[1]); console.log(j[process.argv[2]])' "$1" "$2"; }
online() { timeout 10 bash -c "until grep -q listening '$1'; do sleep 0.1; done" || fail "listener offline: $(cat "$1")"; }
rendezvous_conns() {
    timeout 5 curl -sS "http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status" |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).connections.filter(c=>c.kind==="http-rendezvous").length))'
}

node "$R/http_listener.js" web >"$T/web" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
online "$T/web"

# 1. hyco-https: a large POST opens the rendezvous; a GET, another large POST
#    and a small PUT follow on the same connection and over the same rendezvous.
timeout 60 node "$R/http_keepalive_sender.js" web POST:100000 GET:0 POST:70000 PUT:10 >"$T/s1" ||
    fail "sender: $(cat "$T/s1")"
mapfile -t lines <"$T/s1"
[ "${#lines[@]}" = 5 ] || fail "sender printed: $(cat "$T/s1")"
port=$(field "${lines[0]}" port)
for i in 0 1 2 3; do
    [ "$(field "${lines[$i]}" status)" = 200 ] && [ "$(field "${lines[$i]}" bodyOk)" = true ] ||
        fail "request $i: ${lines[$i]}"
    [ "$(field "${lines[$i]}" port)" = "$port" ] || fail "request $i used another connection: ${lines[$i]}"
done
[ "${lines[4]}" = "still open" ] || fail "the relay closed a keep-alive connection: ${lines[4]}"
echo "ok: 4 requests on one connection"
n=$(grep -c 'over the kept http-rendezvous' "$HYCO_RELAY_LOG" || true)
[ "$n" = 3 ] || fail "$n requests went over the kept rendezvous, expected 3"
n=$(grep -o 'http-rendezvous #[0-9]*: -> {"request"' "$HYCO_RELAY_LOG" | sort -u | wc -l)
[ "$n" = 1 ] || fail "$n rendezvous sockets carried requests, expected 1"
[ "$(grep -c 'http-rendezvous #[0-9]*: -> {"request"' "$HYCO_RELAY_LOG")" = 4 ] || fail "not 4 requests on the rendezvous"
echo "ok: 3 requests over the one rendezvous"
# The sender has gone: its rendezvous is closed (bounded wait).
for ((i = 0; i < 50; i++)); do [ "$(rendezvous_conns)" = 0 ] && break; sleep 0.1; done
[ "$(rendezvous_conns)" = 0 ] || fail "the rendezvous outlived its sender"
echo "ok: rendezvous closed with its sender"

# 2. The 504 timer runs on a reused rendezvous (the listener waits 6 s > 3 s).
timeout 60 node "$R/http_keepalive_sender.js" web POST:100000 GET:0:6000 >"$T/s2" || fail "sender: $(cat "$T/s2")"
mapfile -t lines <"$T/s2"
[ "$(field "${lines[0]}" status)" = 200 ] || fail "first request: ${lines[0]}"
[ "$(field "${lines[1]}" status)" = 504 ] || fail "expected 504 on the reused rendezvous: ${lines[1]}"
[ "$(field "${lines[1]}" reused)" = true ] || fail "the 504 request was not on the kept connection: ${lines[1]}"
[ "${lines[2]}" = "server closed" ] || fail "after a 504 the connection should close: ${lines[2]}"
echo "ok: 504 on a reused rendezvous"

# 3. A listener that closes its rendezvous after answering (as .NET does):
#    the sender's connection is closed after that response; the next
#    request comes on a new connection, over the control channel.
node "$R/rv_close_listener.js" dotnetish >"$T/dn" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
online "$T/dn"
timeout 60 node "$R/http_keepalive_sender.js" dotnetish POST:100000 GET:0 gap=500 >"$T/s3" ||
    fail "sender: $(cat "$T/s3")"
mapfile -t lines <"$T/s3"
[ "$(field "${lines[0]}" status)" = 200 ] && [ "$(field "${lines[0]}" bodyLength)" = 7 ] || fail "first: ${lines[0]}"
[ "$(field "${lines[1]}" status)" = 200 ] || fail "second: ${lines[1]}"
[ "$(field "${lines[1]}" reused)" = false ] || fail "the connection survived a closed rendezvous: ${lines[1]}"
[ "$(field "${lines[1]}" port)" != "$(field "${lines[0]}" port)" ] || fail "same connection after a closed rendezvous"
grep -q 'rendezvous closed' "$T/dn" || fail "listener did not close its rendezvous"
grep -q 'the listener closed the kept http-rendezvous' "$HYCO_RELAY_LOG" || fail "relay did not log the closed rendezvous"
echo "ok: closed rendezvous ends the sender connection"
echo ok
