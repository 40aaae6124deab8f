#!/usr/bin/env bash
# hyco-send against Microsoft's hyco-ws listener (issue 8): hyco-send offers
# "hyco.plain, hyco.end.v1"; hyco-ws takes the first, so the connection is
# plain WebSocket and no end record ever reaches it. Half-close the plain
# way: hyco-send's data, then its Close at end of input; the echo listener
# answers all of it before its own Close, and hyco-send gets every byte and
# exits 0 without --max-messages or --linger.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
require_node_modules
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs plainws)

node "$HYCO_INTEROP_DIR/client_hyco_ws_listener.js" plainws >"$T/node.out" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$T/node.out" listening 10 || fail "hyco-ws listener: $(cat "$T/node.out")"

head -c 4194304 /dev/urandom >"$T/in.bin"
expect_status 0 timeout 60 hyco-send -b --no-progress <"$T/in.bin"
[ ! -s "$T/err" ] || fail "hyco-send stderr: $(cat "$T/err")"
[ "$(sha "$T/out")" = "$(sha "$T/in.bin")" ] || fail "the echo differs: $(wc -c <"$T/out") of 4194304 bytes"
wait_for "$T/node.out" '^closed' 10 || fail "hyco-ws saw no Close: $(cat "$T/node.out")"
grep -qx 'protocol hyco.plain' "$T/node.out" || fail "hyco-ws did not choose hyco.plain: $(cat "$T/node.out")"
grep -q 'hyco\.end\|"hyco"' "$T/node.out" && fail "an end record reached hyco-ws: $(cat "$T/node.out")"
grep -qx 'closed 1000' "$T/node.out" || fail "hyco-ws close: $(cat "$T/node.out")"
pass "4 MiB to hyco-ws and back, byte-exact, exit 0 after EOF (hyco.plain chosen)"

# Text lines: each line a message, each answer a line; a last line without
# a newline is still a message of its own.
: >"$T/node.out"
printf 'one\ntwo\nthree' >"$T/lines"
expect_status 0 timeout 30 hyco-send --no-progress <"$T/lines"
[ "$(cat "$T/out")" = $'echo: one\necho: two\necho: three' ] || fail "text answers: $(od -c "$T/out" | head)"
[ ! -s "$T/err" ] || fail "hyco-send stderr: $(cat "$T/err")"
wait_for "$T/node.out" '^closed' 10 || fail "hyco-ws saw no Close: $(cat "$T/node.out")"
grep -qx 'protocol hyco.plain' "$T/node.out" || fail "text: hyco-ws chose: $(cat "$T/node.out")"
pass "text lines to hyco-ws: every answer, exit 0"
