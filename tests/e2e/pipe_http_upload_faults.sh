#!/usr/bin/env bash
# Streamed HTTP uploads cut by a fault: curl -> hyco-relay (HTTP) -> hyco-pipe
# relay-listen:web -> tcp -> an HTTP/1.1 origin that counts the body
# (tests/lib/http_target.py, POST /sink). When the sender, the listener or
# the relay is killed (-9) mid-body, with a Content-Length body or a chunked
# one, the origin sees its request end inside the body (never a complete
# request); the sender gets a 502 naming the listener, or a failed transfer;
# whatever survives keeps serving, and the next upload arrives whole.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"

mkdir "$T/www"
python3 "$HYCO_SOURCE_DIR/tests/lib/http_target.py" "$T/www" >"$T/http.out" 2>"$T/http.err" &
on_exit "kill $! 2>/dev/null"
wait_for "$T/http.out" port 10 || fail "http target did not start: $(cat "$T/http.err")"
http_port=$(sed -nE 's/^port ([0-9]+)/\1/p' "$T/http.out")
LOG=$T/www/sink.log
: >"$LOG"
# More than any loopback transfer here moves in the seconds a case takes:
# every upload below is cut by its fault, not finished first.
truncate -s 64G "$T/huge"

relay_start
BASE=http://127.0.0.1:$HYCO_RELAY_PORT
TOK=$(hyco-token create -x "$HYCO_CONNECTION_STRING;EntityPath=web")

start_listener() { # start_listener NAME: relay-listen:web for the relay of HYCO_CONNECTION_STRING
    : >"$T/$1.err"
    hyco-pipe relay-listen:web "tcp:127.0.0.1:$http_port" 2>"$T/$1.err" &
    LISTENER=$!
    on_exit "hyco_stop_pid $LISTENER"
    local i
    for ((i = 0; i < 100; i++)); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST --data-binary x -H "ServiceBusAuthorization: $TOK" "$BASE/web/echo" || true)" = 200 ] && return 0
        kill -0 "$LISTENER" 2>/dev/null || fail "relay-listen died: $(cat "$T/$1.err")"
        sleep 0.1
    done
    fail "relay-listen:web is not serving: $(cat "$T/$1.err")"
}

# upload KIND: POST /sink in the background, a Content-Length body (len)
# or a chunked one (chunked); curl's status code goes to $T/code, its exit
# status to $T/curl.rc, its stderr to $T/curl.err.
upload() {
    : >"$T/code"
    rm -f "$T/curl.rc"
    if [ "$1" = len ]; then
        (set +e; curl -sS --max-time 60 -o "$T/answer" -w '%{http_code}' -X POST -H 'Expect:' \
            -H "ServiceBusAuthorization: $TOK" -T "$T/huge" "$BASE/web/sink" >"$T/code" 2>"$T/curl.err"
         echo $? >"$T/curl.rc") &
    else
        (set +e; head -c 68719476736 /dev/zero 2>/dev/null | curl -sS --max-time 60 -o "$T/answer" -w '%{http_code}' \
            -X POST -H 'Expect:' -H "ServiceBusAuthorization: $TOK" -T - "$BASE/web/sink" >"$T/code" 2>"$T/curl.err"
         echo $? >"$T/curl.rc") &
    fi
    UPLOAD=$!
    on_exit "kill $UPLOAD 2>/dev/null; pkill -9 -P $UPLOAD 2>/dev/null"
}

# log_lines: how many lines the origin wrote; wait_log N WORD: until line
# N+1 or later starts with WORD (bounded: 20 s).
log_lines() { wc -l <"$LOG"; }
wait_log() {
    local from=$1 word=$2 i
    for ((i = 0; i < 200; i++)); do
        tail -n +"$((from + 1))" "$LOG" | grep -q "^$word" && return 0
        sleep 0.1
    done
    fail "the origin never logged '$word' (log: $(tail -n 5 "$LOG" | tr '\n' ' '))"
}
# cut_not_complete N WHAT: the origin's request ended inside the body.
cut_not_complete() {
    wait_log "$1" cut
    ! tail -n +"$(($1 + 1))" "$LOG" | grep -q '^complete' || fail "$2: the origin saw a complete body"
}
wait_curl() { # bounded: 20 s
    local i
    for ((i = 0; i < 200; i++)); do [ -s "$T/curl.rc" ] && return 0; sleep 0.1; done
    fail "curl did not end: $(cat "$T/curl.err")"
}
# whole_upload WHAT: a 3 MiB random body, counted whole by the origin.
head -c 3145728 /dev/urandom >"$T/small"
whole_upload() {
    local n code
    n=$(log_lines)
    code=$(curl -sS --max-time 30 -o "$T/answer" -w '%{http_code}' -X POST -H 'Expect:' \
        -H "ServiceBusAuthorization: $TOK" -T "$T/small" "$BASE/web/sink") || fail "$1: curl exit $?"
    [ "$code" = 200 ] && [ "$(cat "$T/answer")" = 3145728 ] || fail "$1: HTTP $code, origin counted $(cat "$T/answer")"
    tail -n +"$((n + 1))" "$LOG" | grep -qx 'complete 3145728' || fail "$1: the origin did not log the whole body"
}

start_listener listener1
whole_upload "before any fault"

# 1. The sender killed mid-body: the origin's request is cut, and both hyco
#    processes serve the next upload.
for kind in len chunked; do
    n=$(log_lines)
    upload "$kind"
    wait_log "$n" receiving
    pkill -9 -P "$UPLOAD" -x curl || fail "$kind: no curl to kill"
    cut_not_complete "$n" "sender killed ($kind)"
    kill -0 "$LISTENER" 2>/dev/null || fail "sender killed ($kind): relay-listen died: $(cat "$T/listener1.err")"
    kill -0 "$HYCO_RELAY_PID" 2>/dev/null || fail "sender killed ($kind): the relay died: $(cat "$HYCO_RELAY_LOG")"
    wait "$UPLOAD" 2>/dev/null || true
    whole_upload "after the sender was killed ($kind)"
done
pass "an upload whose sender is killed mid-body reaches the origin cut, never complete; the next arrives whole"

# 2. The listener killed mid-body: the sender gets a 502 that names the
#    listener, the origin's request is cut, and a new listener serves.
for kind in len chunked; do
    n=$(log_lines)
    upload "$kind"
    wait_log "$n" receiving
    kill -9 "$LISTENER"
    wait "$LISTENER" 2>/dev/null || true
    wait_curl
    [ "$(cat "$T/code")" = 502 ] || fail "listener killed ($kind): HTTP $(cat "$T/code"), curl exit $(cat "$T/curl.rc"): $(cat "$T/curl.err")"
    grep -q 'the listener went away' "$T/answer" || fail "listener killed ($kind): the 502 says: $(cat "$T/answer")"
    cut_not_complete "$n" "listener killed ($kind)"
    start_listener "listener-$kind"
    whole_upload "after the listener was killed ($kind)"
done
pass "an upload whose listener is killed mid-body: 502 'the listener went away', the origin's request cut"

# 3. The relay killed mid-body: the transfer fails for the sender, the
#    origin's request is cut, and the listener stays up, reconnecting. A
#    relay of its own (relay_start's expects to be stopped with TERM).
hyco-relay --host 127.0.0.1 --port 0 >"$T/relay2.out" 2>"$T/relay2.err" &
RELAY2=$!
on_exit "kill -9 $RELAY2 2>/dev/null"
wait_for "$T/relay2.out" Endpoint 10 || fail "the second relay did not start: $(cat "$T/relay2.err")"
HYCO_CONNECTION_STRING=$(head -n 1 "$T/relay2.out")
BASE=http://127.0.0.1:$(sed -E 's|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|' "$T/relay2.out" | head -n 1)
TOK=$(hyco-token create -x "$HYCO_CONNECTION_STRING;EntityPath=web")
start_listener listener-relay2
whole_upload "through the second relay"
n=$(log_lines)
upload len
wait_log "$n" receiving
kill -9 "$RELAY2"
wait_curl
[ "$(cat "$T/curl.rc")" != 0 ] || fail "relay killed: curl exit 0, HTTP $(cat "$T/code")"
cut_not_complete "$n" "relay killed"
for ((i = 0; i < 50; i++)); do grep -q reconnecting "$T/listener-relay2.err" && break; sleep 0.1; done
grep -q reconnecting "$T/listener-relay2.err" || fail "relay killed: relay-listen does not say it reconnects: $(cat "$T/listener-relay2.err")"
kill -0 "$LISTENER" 2>/dev/null || fail "relay killed: relay-listen exited: $(cat "$T/listener-relay2.err")"
pass "an upload whose relay is killed mid-body fails for the sender (curl exit $(cat "$T/curl.rc")), the origin's request cut, the listener reconnecting"
