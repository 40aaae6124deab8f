#!/usr/bin/env bash
# A TCP peer that resets the connection (RST) mid-stream is a failure, not a
# clean end: hyco-pipe exits non-zero and names the cause, so a truncated
# stream is never reported as success.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

python3 - "$T/port" <<'PY' &
import socket, struct, sys, time
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
open(sys.argv[1], "w").write(str(srv.getsockname()[1]))
srv.settimeout(20)
conn, _ = srv.accept()
conn.sendall(b"x" * 100000)
time.sleep(0.5)
# SO_LINGER with a zero timeout turns close() into a reset.
conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
conn.close()
PY
server=$!
on_exit "kill $server 2>/dev/null"
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || fail "the test server did not start"

# stdin stays open (sleep) so only the reset can end the session.
expect_status 1 timeout 20 bash -c "sleep 5 | hyco-pipe tcp:127.0.0.1:$(cat "$T/port") -"
expect_err "Connection reset by peer"
pass "a reset connection fails the session"
