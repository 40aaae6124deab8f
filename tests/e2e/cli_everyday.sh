#!/usr/bin/env bash
# The everyday command line (issue 13): -V, --insecure, -k without a value,
# errors a user can act on (plain ws:// reached with TLS), hyco-token verify
# --uri without -n, hyco-send's one-way modes, --once and the traffic dumps,
# and a quiet Ctrl-C.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs daily)

for t in hyco-token hyco-listen hyco-send hyco-pipe hyco-relay hyco-probe; do
    expect_status 0 $t -V
    expect_out "$t "
done
# Help says defaults, ranges and exclusions in words after the text (not CLI11's
# "N:UINT in [1 - 100000]=64" or a glued "Excludes: --nul"), and a subcommand's
# help shows its own examples only.
for cmd in hyco-token "hyco-token create" "hyco-token decode" "hyco-token verify" "hyco-token uri" \
           hyco-listen hyco-send hyco-pipe hyco-relay hyco-probe; do
    expect_status 0 $cmd --help
    ! grep -nE 'Excludes|:(UINT|INT|FLOAT)\b|in \[[0-9]|\]=[0-9]' "$T/out" ||
        fail "'$cmd --help' shows CLI11's raw notation"
done
expect_status 0 hyco-token create --help
! grep -qE 'hyco-token (decode|verify|uri) ' "$T/out" || fail "create --help repeats other commands' examples"
expect_status 0 hyco-token verify --help
! grep -qE 'hyco-token (create|decode|uri) ' "$T/out" || fail "verify --help repeats other commands' examples"

# Parse errors: the first unknown option as typed (not CLI11's reversed
# 'not expected: 5s --timeout'), with a suggestion; a missing command lists them.
expect_status 2 hyco-send --timeout 5s --bogus
expect_err "unknown option '--timeout'; did you mean --connect-timeout or --ping-timeout?"
! grep -q -- '5s --timeout' "$T/err" || fail "reversed parse error: $(cat "$T/err")"
expect_status 2 hyco-token mint
expect_err "the commands are create, decode, verify or uri"
expect_status 2 hyco-send -k
expect_err "needs a shared access rule NAME"
expect_err "--insecure"

# A plain ws:// relay reached with TLS: the error says so and does not suggest --ca.
plain=${HYCO_CONNECTION_STRING/;UseDevelopmentEmulator=true/}
[ "$plain" != "$HYCO_CONNECTION_STRING" ] || fail "the relay's connection string has no UseDevelopmentEmulator"
HYCO_CONNECTION_STRING=$plain expect_status 1 timeout 20 hyco-send -m hi
expect_err "does not speak TLS"
! grep -q -- '--ca' "$T/err" || fail "the TLS error suggests --ca: $(cat "$T/err")"
# --insecure is the long alias, and still warns.
HYCO_CONNECTION_STRING=$plain expect_status 1 timeout 20 hyco-send --insecure -m hi
expect_err "warning: --insecure-skip-tls-verify: TLS certificates are NOT verified"

# A host name that does not resolve: the error names it and the resolver's reason.
HYCO_TOKEN=$(HYCO_KEY=abcdefghijkl hyco-token create -n nosuchhost.invalid -p daily -k Root) \
    expect_status 1 timeout 20 env -u HYCO_CONNECTION_STRING hyco-send -n nosuchhost.invalid -p daily -m hi
expect_err "cannot resolve host 'nosuchhost.invalid'"
# A relay address where nothing listens: the system's reason, not lws's
# "Unable to connect"; the same for the listener's control channel, which
# keeps trying.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dead="Endpoint=sb://127.0.0.1:$closed/;SharedAccessKeyName=Root;SharedAccessKey=abcdefghijkl;EntityPath=daily;UseDevelopmentEmulator=true"
HYCO_CONNECTION_STRING=$dead expect_status 1 timeout 20 hyco-send -m hi
expect_err "connect to ws://127.0.0.1:$closed/\$hc/daily"
expect_err "Connection refused"
! grep -q "Unable to connect" "$T/err" || fail "lws's wording: $(cat "$T/err")"
HYCO_CONNECTION_STRING=$dead timeout 2 hyco-listen </dev/null >/dev/null 2>"$T/err" || true
expect_err "offline:"
expect_err "Connection refused; reconnecting"

# verify --uri: the URI names the namespace.
printf '%s\n' "$HYCO_CONNECTION_STRING" >"$T/cs.txt"
sed -n 's/.*SharedAccessKey=\([^;]*\).*/\1/p' "$T/cs.txt" >"$T/key.txt"
chmod 600 "$T/cs.txt" "$T/key.txt"
hyco-token create -x "@$T/cs.txt" >"$T/token.txt"
uri=$(hyco-token uri http -x "@$T/cs.txt")
env -u HYCO_CONNECTION_STRING hyco-token verify --key-file "$T/key.txt" --uri "$uri" <"$T/token.txt" >"$T/out" 2>"$T/err" ||
    fail "verify --uri without -n: $(cat "$T/err")"
grep -q '^valid:' "$T/out" || fail "verify printed: $(cat "$T/out")"
# -x FILE for -x @FILE: the hint names the file (a file name is no secret).
(cd "$T" && expect_status 2 env -u HYCO_CONNECTION_STRING hyco-send -x cs.txt -m hi)
expect_err "(to read it from the file, write -x @cs.txt)"

# hyco-send -U receives only (stdin unread, no Close); -1 closes after one message;
# --textdump and -X show both directions.
listen_start l -1 --textdump -X -e 'echo one; echo two; cat >/dev/null' </dev/null
out=$(timeout 20 hyco-send -1 --textdump -X </dev/null 2>"$T/dump") || fail "hyco-send -1: exit $?: $(cat "$T/dump")"
[ "$out" = one ] || fail "hyco-send -1 printed '$out'"
# (between hyco peers a line travels with its newline: 4 bytes)
grep -q '^< 4 bytes$' "$T/dump" || fail "no text dump header: $(cat "$T/dump")"
grep -qx 'one' "$T/dump" || fail "no text dump of 'one': $(cat "$T/dump")"
grep -q '6f 6e 65' "$T/dump" || fail "no hex dump of 'one': $(cat "$T/dump")"
wait_exit "$LISTEN_PID" 20 || fail "hyco-listen -1 did not exit after its one connection"
grep -q '^> 4 bytes$' "$HYCO_TEST_TMP/l.err" && grep -qx 'one' "$HYCO_TEST_TMP/l.err" &&
    grep -q '6f 6e 65' "$HYCO_TEST_TMP/l.err" || fail "hyco-listen's dumps: $(cat "$HYCO_TEST_TMP/l.err")"

listen_start u -1 -e 'cat >received' </dev/null
(cd "$T" && printf 'up\n' | timeout 20 hyco-send -u >"$T/u.out" 2>"$T/u.err") || fail "hyco-send -u: $(cat "$T/u.err")"
[ ! -s "$T/u.out" ] || fail "hyco-send -u printed: $(cat "$T/u.out")"

# Ctrl-C of a server: no error line, exit 130.
listen_start c -e cat </dev/null
kill -INT "$LISTEN_PID"
wait_exit "$LISTEN_PID" 10 || fail "hyco-listen ignored SIGINT"
[ "$EXIT_RC" = 130 ] || fail "hyco-listen exit $EXIT_RC after SIGINT"
! grep -q 'error' "$HYCO_TEST_TMP/c.err" || fail "Ctrl-C printed an error: $(cat "$HYCO_TEST_TMP/c.err")"
pass "everyday command line"
