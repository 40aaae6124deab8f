# Starts tests/lib/fake_relay.py (source after common.sh):
#   fake_relay_start MODE   sets FAKE_PORT, FAKE_PID and FAKE_COUNT (a file with
#                           one line per TCP connection it accepted); stopped on exit.
#   fake_relay_count        prints how many connections it has accepted so far.
fake_relay_start() {
    local out="$HYCO_TEST_TMP/fake-$1.port" i
    FAKE_COUNT="$HYCO_TEST_TMP/fake-$1.count"
    : >"$out"
    : >"$FAKE_COUNT"
    python3 "$HYCO_SOURCE_DIR/tests/lib/fake_relay.py" "$1" "$FAKE_COUNT" >"$out" &
    FAKE_PID=$!
    on_exit "hyco_stop_pid $FAKE_PID"
    for ((i = 0; i < 100; i++)); do
        [ "$(wc -l <"$out")" -ge 1 ] && break
        sleep 0.1
    done
    FAKE_PORT=$(head -n 1 "$out")
    [ -n "$FAKE_PORT" ] || fail "fake relay ($1) did not start"
}

fake_relay_count() { wc -l <"$FAKE_COUNT" | tr -d ' '; }

# no_raw_controls FILE WHAT: FILE has no control bytes but the newlines ending
# its lines (no ESC, BEL, CR...), no C1 controls and only valid UTF-8.
no_raw_controls() {
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$1"; then
        fail "$2: raw control bytes on stderr: $(od -c "$1" | head -n 20)"
    fi
    python3 -c 'import re,sys; t=open(sys.argv[1],"rb").read().decode("utf-8"); sys.exit(1 if re.search("[\x80-\x9f]", t) else 0)' "$1" \
        || fail "$2: C1 controls or invalid UTF-8 on stderr: $(od -c "$1" | head -n 20)"
}
