#!/usr/bin/env bash
# Failures that waiting cannot fix end a listener with the documented exit
# status instead of a silent retry loop: an expired pre-issued token, which
# cannot be renewed (7, before any connection is made), and a relay
# certificate that fails verification before the listener was ever online
# (1, as for hyco-send).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/fake_relay.sh"

# A token for ENTITY signed with KEY that expired a minute ago.
expired_token() {  # expired_token RESOURCE KEY
    python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, sys, time, urllib.parse
res, key = sys.argv[1], sys.argv[2]
exp = int(time.time()) - 60
sr = urllib.parse.quote(res, safe="-_.!~*'()")
sig = base64.b64encode(hmac.new(key.encode(), f"{sr}\n{exp}".encode(), hashlib.sha256).digest()).decode()
print(f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se={exp}&skn=root")
PY
}

# The expired token is refused locally: no connection reaches the relay.
fake_relay_start drop
tok=$(expired_token "http://127.0.0.1:$FAKE_PORT/old/" c2VjcmV0)
for tool in hyco-listen "hyco-pipe relay-listen:old exec:cat"; do
    rc=0
    # shellcheck disable=SC2086
    timeout 20 $tool -n "127.0.0.1:$FAKE_PORT" --emulator -p old --token "$tok" </dev/null >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = 7 ] || fail "$tool, expired token: exit $rc, expected 7: $(cat "$T/err")"
    grep -q "error: .*token expired at .*cannot be renewed" "$T/err" || fail "$tool, expired token: $(cat "$T/err")"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "$tool, expired token: more than one line: $(cat "$T/err")"
done
[ "$(fake_relay_count)" = 0 ] || fail "an expired token was sent to the relay"
pass "an expired pre-issued token ends the listener with 7"

# A wss:// relay with its generated self-signed certificate, no --ca: exit 1
# at once (not a retry loop), with the check named.
relay_start --tls
export HYCO_CONNECTION_STRING="$HYCO_CONNECTION_STRING;EntityPath=tls"
rc=0
timeout 20 hyco-listen </dev/null >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "untrusted certificate: exit $rc, expected 1: $(cat "$T/err")"
grep -q "^hyco-listen: error: .*certificate verification failed" "$T/err" || fail "untrusted certificate: $(cat "$T/err")"
grep -q "offline" "$T/err" && fail "untrusted certificate: retried: $(cat "$T/err")"
pass "a certificate that fails verification before the first success ends hyco-listen with 1"
