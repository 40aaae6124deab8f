# Sourceable helpers for the hyco-send / hyco-listen scenarios (after
# tests/lib/relay.sh): start a listener in the background and wait until it
# is online, wait for a pattern in a file, compare digests.

# listen_start NAME [hyco-listen args...] (stdin: whatever the caller
# redirects, /dev/null by default). Output in $HYCO_TEST_TMP/NAME.out,
# stderr in NAME.err; the pid in LISTEN_PID. Waits (bounded) for "online".
listen_start() {
    local name=$1
    shift
    # Empty the files first: the background redirection truncates them only
    # once the child runs, and a reused NAME would show the last run's "online".
    : >"$HYCO_TEST_TMP/$name.out"
    : >"$HYCO_TEST_TMP/$name.err"
    # <&0: an asynchronous command would otherwise get /dev/null as stdin.
    hyco-listen -v "$@" <&0 >"$HYCO_TEST_TMP/$name.out" 2>"$HYCO_TEST_TMP/$name.err" &
    LISTEN_PID=$!
    hyco_cleanup_add "hyco_stop_pid $LISTEN_PID"
    wait_for "$HYCO_TEST_TMP/$name.err" 'online' 10 || fail "listener $name did not come online: $(cat "$HYCO_TEST_TMP/$name.err")"
}

# listen_into_fifo [hyco-listen args...]: hyco-listen -v with stdin
# /dev/null and stdout the FIFO $HYCO_TEST_TMP/out.fifo (made here), stderr
# in l.err, its exit status in l.rc once it ends. It starts only once the
# caller opens the FIFO for reading, so the caller waits for "online" then.
listen_into_fifo() {
    mkfifo "$HYCO_TEST_TMP/out.fifo"
    (rc=0
     hyco-listen -v "$@" </dev/null >"$HYCO_TEST_TMP/out.fifo" 2>"$HYCO_TEST_TMP/l.err" || rc=$?
     echo "$rc" >"$HYCO_TEST_TMP/l.rc") &
    hyco_cleanup_add "hyco_stop_pid $!"
}

# wait_for FILE PATTERN SECONDS: true once grep finds PATTERN in FILE.
wait_for() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# wait_exit PID SECONDS: waits for a background child; its status in EXIT_RC.
wait_exit() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$1" 2>/dev/null; then
        EXIT_RC=timeout
        return 1
    fi
    EXIT_RC=0
    wait "$1" || EXIT_RC=$?
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# The relay's connection string with an entity.
entity_cs() { printf '%s;EntityPath=%s' "$HYCO_CONNECTION_STRING" "$1"; }

# test_cert DIR: a P-256 self-signed certificate for localhost and 127.0.0.1,
# valid 2 days, in DIR/cert.pem and DIR/key.pem; the test is skipped (77)
# without the openssl command.
test_cert() {
    command -v openssl >/dev/null || { echo "skipped: no openssl" >&2; exit 77; }
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}
