#!/usr/bin/env bash
# Text mode never alters data silently (issue 8): binary input without -b
# stops with exit 2 and a message naming -b before anything invalid goes
# out (the listener gets nothing or a valid prefix, never a changed file);
# so does a NUL byte. Valid multi-byte UTF-8 split across reads passes
# unchanged, and with -b the same random file arrives byte-identical.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BASE_CS=$HYCO_CONNECTION_STRING

# utf8_prefix GOT SOURCE: GOT is valid UTF-8 without NUL and a prefix of SOURCE.
utf8_prefix() {
    python3 - "$1" "$2" <<'PY'
import sys
got, src = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
try:
    got.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(f"the listener wrote invalid UTF-8 at byte {e.start} of {len(got)}")
if b"\0" in got:
    sys.exit(f"the listener wrote a NUL at byte {got.index(0)}")
if not src.startswith(got):
    sys.exit(f"the listener's {len(got)} bytes are not a prefix of the input")
PY
}

# one_error: exactly one "error:" line on the last run's stderr.
one_error() {
    [ "$(grep -c 'error:' "$T/err")" = 1 ] || fail "expected one error line, got: $(cat "$T/err")"
}

# About 1,000,000 random bytes without -b. No NUL among them: a NUL before
# the first invalid sequence (one run in a few hundred) is refused first, with
# its own message, which a case below checks.
head -c 1000000 /dev/urandom | tr -d '\000' >"$T/random"
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=random"
listen_start rnd --once </dev/null
expect_status 2 timeout 30 hyco-send --no-progress <"$T/random"
expect_err "hyco-send: error: input: invalid UTF-8 at byte "
expect_err "text mode sends UTF-8 text only; use -b (--binary) for other data"
one_error
expect_no_stdout
wait_exit "$LISTEN_PID" 20 || fail "the listener did not end after the sender stopped"
[ "$EXIT_RC" != 0 ] || fail "the listener exited 0 although the sender stopped early"
utf8_prefix "$T/rnd.out" "$T/random" || fail "random bytes in text mode"
pass "random bytes without -b: exit 2 naming -b; the listener got $(wc -c <"$T/rnd.out") valid bytes"

# A long valid text, then one invalid byte: the offset is exact, and at most
# the valid part arrives.
python3 -c 'import sys; sys.stdout.buffer.write(b"line of text \xc3\xa9\n" * 20000 + b"\xff tail\n")' >"$T/mixed"
valid=$((16 * 20000))
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=mixed"
listen_start mix --once </dev/null
expect_status 2 timeout 30 hyco-send --no-progress <"$T/mixed"
expect_err "hyco-send: error: input: invalid UTF-8 at byte $valid: text mode sends UTF-8 text only; use -b (--binary)"
one_error
wait_exit "$LISTEN_PID" 20 || fail "the listener did not end"
utf8_prefix "$T/mix.out" "$T/mixed" || fail "text with a bad byte at $valid"
[ "$(wc -c <"$T/mix.out")" -le "$valid" ] || fail "the listener got $(wc -c <"$T/mix.out") bytes, more than the valid $valid"
pass "an invalid byte after $valid valid ones: named at its offset, nothing invalid sent"

# A NUL byte in text mode.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=nul"
listen_start nul --once </dev/null
printf 'first line\nsecond\000line\n' >"$T/nul"
expect_status 2 timeout 30 hyco-send --no-progress <"$T/nul"
expect_err "hyco-send: error: input: a NUL byte at byte 17"
expect_err "use -b (--binary)"
one_error
wait_exit "$LISTEN_PID" 20 || fail "the listener did not end"
utf8_prefix "$T/nul.out" "$T/nul" || fail "a NUL in text mode"
pass "a NUL byte in text mode: exit 2 naming -b"

# Valid UTF-8 whose characters are split across reads (2-, 3- and 4-byte
# sequences cut in the middle) arrives unchanged.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=split"
listen_start split --once </dev/null
python3 - "$T/split.want" <<'PY' | timeout 30 hyco-send --no-progress >"$T/out" 2>"$T/err" || fail "split UTF-8: exit $?: $(cat "$T/err")"
import os, sys, time
text = "h\u00e9llo w\u00f6rld \u20ac \U0001d11e\nzweite Zeile \u00fc\n".encode()
open(sys.argv[1], "wb").write(text)
cuts = [2, 9, 15, 16, 19, 20, 21, 37]  # inside é, ö, € (twice), 𝄞 (three times), ü
prev = 0
for c in cuts + [len(text)]:
    os.write(1, text[prev:c])
    prev = c
    time.sleep(0.15)  # a separate read for each piece
PY
[ ! -s "$T/err" ] || fail "split UTF-8: stderr: $(cat "$T/err")"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not end"
[ "$EXIT_RC" = 0 ] || fail "the listener exited $EXIT_RC: $(cat "$T/split.err")"
cmp "$T/split.want" "$T/split.out" || fail "split UTF-8 arrived as: $(od -c "$T/split.out" | head)"
pass "multi-byte UTF-8 split across reads passes unchanged"

# With -b the same random file arrives byte-identical.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=binary"
listen_start bin -b --once </dev/null
expect_status 0 timeout 30 hyco-send -b --no-progress <"$T/random"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not end"
[ "$EXIT_RC" = 0 ] || fail "the listener exited $EXIT_RC: $(cat "$T/bin.err")"
[ "$(sha "$T/bin.out")" = "$(sha "$T/random")" ] || fail "-b: $(wc -c <"$T/bin.out") bytes arrived, different"
pass "with -b the random file arrives byte-identical"
