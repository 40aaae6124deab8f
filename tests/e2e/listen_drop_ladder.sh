#!/usr/bin/env bash
# A relay (or proxy) that accepts the control channel's upgrade and drops it
# at once must not cause a reconnect hot loop (once 10,281 connections in
# 5 s): the ladder 0, 1, 2, 5 s... restarts only after a connection that
# stayed online, so hyco-listen and hyco-pipe's relay-listen: make a handful
# of attempts in about 4 s, and each failed attempt prints one line, without
# -v, with the reason and the next delay.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/fake_relay.sh"
key=$(head -c 32 /dev/urandom | base64)

# ladder NAME PREFIX CMD...: runs CMD against a fresh dropping relay for about
# 4 s after its first connection, then checks the count and the stderr lines.
ladder() {
    local name=$1 prefix=$2 pid n lines
    shift 2
    fake_relay_start drop
    export HYCO_CONNECTION_STRING="Endpoint=sb://127.0.0.1:$FAKE_PORT/;SharedAccessKeyName=root;SharedAccessKey=$key;UseDevelopmentEmulator=true;EntityPath=flaky"
    "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" &
    pid=$!
    on_exit "hyco_stop_pid $pid"
    wait_for "$FAKE_COUNT" connection 10 || fail "$name never connected: $(cat "$T/$name.err")"
    sleep 4
    kill -0 "$pid" 2>/dev/null || fail "$name gave up: $(cat "$T/$name.err")"
    hyco_stop_pid "$pid"
    n=$(fake_relay_count)
    # The ladder allows 4 connections in the first 3 s (0, 0, 1, 3 s); the 5th comes at 8 s.
    [ "$n" -le 5 ] || fail "$name: $n connections in about 4 s: a reconnect hot loop"
    [ "$n" -ge 2 ] || fail "$name: it did not retry ($n connections)"
    # One line per dropped connection (the last may have been cut by SIGTERM).
    lines=$(grep -cE "^$prefix: offline: .+; reconnecting in [0-9]+ s\$" "$T/$name.err" || true)
    [ "$lines" -ge $((n - 1)) ] && [ "$lines" -le "$n" ] ||
        fail "$name: $n connections but $lines offline lines: $(cat "$T/$name.err")"
    [ "$(grep -oE 'reconnecting in [0-9]+ s' "$T/$name.err" | head -n 2 | tr '\n' ,)" = "reconnecting in 0 s,reconnecting in 1 s," ] ||
        fail "$name: the ladder did not climb: $(cat "$T/$name.err")"
    pass "$name: $n connections, $lines offline lines"
}

ladder listen hyco-listen hyco-listen
ladder pipe "hyco-pipe: relay-listen" hyco-pipe relay-listen:flaky exec:cat
