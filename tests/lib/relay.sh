# Sourceable test helper: starts a hyco-relay on 127.0.0.1 with --port 0,
# waits (bounded) for its banner, exports HYCO_CONNECTION_STRING and kills
# it on EXIT. Usage:
#   . "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
#   relay_start [extra hyco-relay options...]   # e.g. --token-grace 0 -v
#   ... $HYCO_CONNECTION_STRING, $HYCO_RELAY_PORT, $HYCO_RELAY_HOST,
#       $HYCO_RELAY_PID, $HYCO_RELAY_LOG (its stderr), $HYCO_RELAY_OUT ...
#   hyco_cleanup_add 'kill $mypid'   # more cleanup, run on EXIT in reverse
# relay_start can be called more than once; the exports name the last one.

. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

# Stops a relay and checks it shut down cleanly: exit status 130 after
# SIGTERM, like every interrupted hyco tool (a sanitizer report or a hang
# makes the test fail).
_hyco_relay_stop() {
    local pid=$1 log=$2 rc=0 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || rc=$?
    if [ "$rc" != 130 ] && [ "$rc" != 127 ]; then
        echo "FAIL: hyco-relay (pid $pid) exited with status $rc; its stderr:" >&2
        tail -n 60 "$log" >&2
        _hyco_failed=1
    fi
}

relay_start() {
    local n=${#_hyco_cleanups[@]}
    local out="$HYCO_TEST_TMP/relay$n.out"
    HYCO_RELAY_OUT=$out
    HYCO_RELAY_LOG="$HYCO_TEST_TMP/relay$n.err"
    : >"$out"
    hyco-relay --host 127.0.0.1 --port 0 "$@" >"$out" 2>"$HYCO_RELAY_LOG" &
    HYCO_RELAY_PID=$!
    hyco_cleanup_add "_hyco_relay_stop $HYCO_RELAY_PID $HYCO_RELAY_LOG"
    local i line=""
    for ((i = 0; i < 100; i++)); do  # at most 10 s
        if [ "$(wc -l <"$out")" -ge 1 ]; then  # a whole line, not a partial write
            IFS= read -r line <"$out" || true
            break
        fi
        if ! kill -0 "$HYCO_RELAY_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    if [ -z "$line" ]; then
        echo "relay_start: hyco-relay printed no connection string; its stderr:" >&2
        cat "$HYCO_RELAY_LOG" >&2
        return 1
    fi
    HYCO_CONNECTION_STRING=$line
    HYCO_RELAY_HOST=127.0.0.1
    HYCO_RELAY_PORT=$(printf '%s\n' "$line" | sed -E 's|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|')
    export HYCO_CONNECTION_STRING HYCO_RELAY_HOST HYCO_RELAY_PORT HYCO_RELAY_PID HYCO_RELAY_LOG HYCO_RELAY_OUT
}

# Node interop prerequisites (tests/lib/node.sh): skipped (77) without
# node_modules, a failure instead when HYCO_REQUIRE_INTEROP=1 (CI).
require_node_modules() {
    . "$HYCO_SOURCE_DIR/tests/lib/node.sh"
    HYCO_INTEROP_DIR=$INTEROP
}

# Fails the test with a message and the relay's log.
fail() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    [ -n "${HYCO_RELAY_LOG:-}" ] && [ -f "$HYCO_RELAY_LOG" ] && { echo "--- relay log:" >&2; tail -n 40 "$HYCO_RELAY_LOG" >&2; }
    exit 1
}
