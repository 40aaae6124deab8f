#!/usr/bin/env bash
# Credentials the relay refuses on the first attempt end hyco-listen at
# once with exit status 3 and the relay's reason, instead of retrying for
# ever in silence: a wrong key (401) and a rule without Listen (403).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start --rule root:listen,send,manage --rule 'sonly:c2VuZC1vbmx5LWtleQ==:send'
endpoint=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/;SharedAccessKeyName=.*//')

check() {  # check PATTERN CONNSTR
    local rc=0
    timeout 20 hyco-listen -x "$2;UseDevelopmentEmulator=true;EntityPath=a" </dev/null 2>"$T/err" || rc=$?
    [ "$rc" = 3 ] || fail "expected exit 3, got $rc: $(cat "$T/err")"
    grep -q "^hyco-listen: error: .*$1" "$T/err" || fail "stderr: $(cat "$T/err")"
}
check 401 "$endpoint;SharedAccessKeyName=root;SharedAccessKey=d3Jvbmcta2V5"
check 403 "$endpoint;SharedAccessKeyName=sonly;SharedAccessKey=c2VuZC1vbmx5LWtleQ=="
grep -q 'd3Jvbmcta2V5\|c2VuZC1vbmx5' "$T/err" && fail "a key was printed"
pass "refused credentials end hyco-listen with exit 3"
