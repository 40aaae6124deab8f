#!/usr/bin/env bash
# A proxy that wants credentials (tinyproxy's BasicAuth): none or wrong ones
# are exit 3 with the proxy's 407 named, for a sender and for a listener
# (which gives up rather than retrying); right ones from the URL, from
# --proxy-user-file or from HYCO_PROXY_USER work. The password is never
# printed (not even with -vv) and a --proxy URL holding it is scrubbed from
# the process list.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/proxy.sh"
require_tinyproxy
relay_start
PASS=Pr0xyPassw0rd
proxy_start proxy "ConnectPort $HYCO_RELAY_PORT" "BasicAuth alice $PASS"
P=127.0.0.1:$PROXY_PORT
export HYCO_CONNECTION_STRING=$(entity_cs authed)

expect_status 3 timeout 20 hyco-send --proxy "http://$P" -m x
expect_err "proxy $P: 407 Proxy Authentication Required (the proxy wants credentials"
expect_status 3 timeout 20 hyco-send -vv --proxy "http://alice:WrongPassw0rd@$P" -m x
# tinyproxy answers wrong credentials with 401 rather than 407.
expect_err "proxy $P: 401 Unauthorized (check the --proxy credentials)"
expect_absent WrongPassw0rd
expect_status 3 timeout 20 hyco-listen --proxy "http://alice:WrongPassw0rd@$P" --exec cat
expect_err "401 Unauthorized (check the --proxy credentials)"
[ "$(grep -c 'Request (file descriptor [0-9]*): CONNECT' "$PROXY_LOG")" -ge 3 ] || fail "the proxy saw no CONNECT"
pass "no or wrong proxy credentials: exit 3"

# Right credentials in the URL: the listener runs with them in argv.
listen_start l -vv --proxy "http://alice:$PASS@$P" --exec cat </dev/null
if tr '\0' ' ' <"/proc/$LISTEN_PID/cmdline" | grep -qF "$PASS"; then
    fail "the proxy password is visible in ps: $(tr '\0' ' ' <"/proc/$LISTEN_PID/cmdline")"
fi
echo "alice:$PASS" >"$T/proxy-user"
chmod 600 "$T/proxy-user"
run timeout 20 hyco-send -vv --proxy "http://$P" --proxy-user-file "$T/proxy-user" -m "from file"
[ "$RC" = 0 ] || fail "--proxy-user-file: exit $RC: $(cat "$T/err")"
expect_out "from file"
expect_err "via proxy $P"
expect_absent "$PASS"
run env HYCO_PROXY_USER="alice:$PASS" HTTP_PROXY="http://$P" timeout 20 hyco-send -vv -m "from env"
[ "$RC" = 0 ] || fail "HYCO_PROXY_USER: exit $RC: $(cat "$T/err")"
expect_out "from env"
expect_absent "$PASS"
# The credentials file wins over wrong ones in the URL.
run timeout 20 hyco-send --proxy "http://alice:WrongPassw0rd@$P" --proxy-user-file "$T/proxy-user" -m "file wins"
[ "$RC" = 0 ] || fail "--proxy-user-file over the URL: exit $RC: $(cat "$T/err")"
for f in "$T/l.err" "$T/l.out"; do
    ! grep -qF "$PASS" "$f" || fail "the password appears in $f"
done
[ "$(grep -c 'Established connection to host "127.0.0.1"' "$PROXY_LOG")" -ge 7 ] || fail "tunnels missing: $(cat "$PROXY_LOG")"
pass "right credentials from the URL, a file or HYCO_PROXY_USER"

printf 'nocolon\n' >"$T/bad-user"
expect_status 2 hyco-send --proxy "http://$P" --proxy-user-file "$T/bad-user" -m x
expect_err "--proxy-user-file"
expect_absent nocolon
echo ok
