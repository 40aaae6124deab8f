#!/usr/bin/env bash
# hyco-probe against a ws:// hyco-relay: every step ok with a hyco-listen -e
# cat online (and an echo timed), the sender step's 404 without a listener
# (exit 4), a wrong key (token ok locally, the relay refuses: exit 3), an
# expired --token (caught locally, exit 7, nothing sent), a token for another
# entity (exit 8), an anonymous entity without credentials, a Send-only rule
# (the listener step refused, or skipped with --skip), and --json.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start --entity e --entity open:anonymous --rule RootManageSharedAccessKey::listen,send,manage \
    --rule 'sonly:c2VuZC1vbmx5LWtleQ==:send'
CS=$(entity_cs e)

# line STEP STATUS [TEXT]: the last run printed STEP's line with STATUS (and TEXT).
line() {
    grep -E "^$1 +$2( |$)" "$T/out" | grep -qF -- "${3:-}" ||
        fail "no '$1 $2 ${3:-}' line; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
}

expect_status 4 timeout 30 hyco-probe -x "$CS"
line dns ok 127.0.0.1
line tcp ok "connected to 127.0.0.1:$HYCO_RELAY_PORT"
line tls skip 'no TLS'
line token ok "audience http://127.0.0.1/e/, expires in 1h"
line runtime ok '0 listeners, senders need a token'
line sender fail '404'
line listener ok 'control channel accepted, closed cleanly'
expect_err 'hyco-probe: error: sender: '
[ "$(wc -l <"$T/out")" = 7 ] || fail "expected 7 step lines: $(cat "$T/out")"
pass "no listener: sender fails with 404, exit 4, the rest ok"

expect_status 0 timeout 30 hyco-probe -x "$CS" --skip sender -v
line sender skip '--skip sender'
line listener ok
expect_err 'hyco-probe: runtime: GET /e?api-version=2016-07'
expect_err "hyco-probe: listener: connecting to ws://127.0.0.1:$HYCO_RELAY_PORT/\$hc/e?sb-hc-action=listen"
pass "--skip sender: no listener needed, exit 0"

listen_start l -x "$CS" -e cat </dev/null
expect_status 0 timeout 30 hyco-probe -x "$CS" --echo
line runtime ok '1 listener,'
line sender ok 'echo round trip'
line listener ok
[ "$(grep -c ' ok ' "$T/out")" = 6 ] || fail "six steps ok, tls skipped: $(cat "$T/out")"
[ ! -s "$T/err" ] || fail "stderr on success: $(cat "$T/err")"
pass "a listener online: every step ok, echo timed"

expect_status 0 timeout 30 hyco-probe -x "$CS" --json
python3 - "$T/out" <<'PY' || fail "--json: $(cat "$T/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["step"] for r in rows] == ["dns", "tcp", "tls", "token", "runtime", "sender", "listener"], rows
assert [r["status"] for r in rows] == ["ok", "ok", "skip", "ok", "ok", "ok", "ok"], rows
assert all(set(r) == {"step", "status", "ms", "detail", "exit"} for r in rows), rows
assert rows[2]["ms"] is None and isinstance(rows[1]["ms"], (int, float)) and rows[1]["ms"] >= 0, rows
assert all(r["exit"] == 0 for r in rows), rows
assert rows[4]["detail"] == "1 listener, senders need a token", rows[4]
PY
pass "--json: one object per step"

wrong=$(printf '%s' "$CS" | sed -E 's/SharedAccessKey=[^;]*/SharedAccessKey=d3Jvbmcta2V5MDEyMzQ1Njc4OQ==/')
expect_status 3 timeout 30 hyco-probe -x "$wrong" --json
python3 - "$T/out" <<'PY' || fail "wrong key: $(cat "$T/out")"
import json, sys
r = {x["step"]: x for x in map(json.loads, open(sys.argv[1]))}
assert r["token"]["status"] == "ok", r["token"]
assert r["runtime"]["status"] == "warn" and "401" in r["runtime"]["detail"], r["runtime"]
assert r["sender"]["status"] == "fail" and r["sender"]["exit"] == 3 and "401" in r["sender"]["detail"], r["sender"]
assert r["listener"]["status"] == "fail" and r["listener"]["exit"] == 3, r["listener"]
PY
expect_absent d3Jvbmcta2V5MDEyMzQ1Njc4OQ
pass "wrong key: passes locally, refused by the relay, exit 3"

endpoint=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/;SharedAccessKeyName=.*//')
key=$(printf '%s' "$CS" | sed -E 's/.*SharedAccessKey=([^;]*).*/\1/')
# Signed with the right key for the right entity, expired two minutes ago
# (hyco-token refuses to mint such a token).
old=$(python3 - "http://127.0.0.1/e/" "$key" <<'PY'
import base64, hashlib, hmac, sys, time, urllib.parse
res, key = sys.argv[1], sys.argv[2]
exp = int(time.time()) - 120
sr = urllib.parse.quote(res, safe="-_.!~*'()")
sig = base64.b64encode(hmac.new(key.encode(), f"{sr}\n{exp}".encode(), hashlib.sha256).digest()).decode()
print(f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se={exp}&skn=RootManageSharedAccessKey")
PY
)
expect_status 7 timeout 30 hyco-probe -x "$endpoint;UseDevelopmentEmulator=true;EntityPath=e" --token "$old"
line token fail "the pre-issued token rule 'RootManageSharedAccessKey'"
line token fail 'expired 2m'
line runtime skip 'token failed'
line sender skip 'token failed'
line listener skip 'token failed'
expect_absent "${old##*sig=}"
pass "expired --token: refused locally, exit 7"

other=$(hyco-token create -x "$(entity_cs other)")
expect_status 8 timeout 30 hyco-probe -x "$endpoint;UseDevelopmentEmulator=true;EntityPath=e" --token "$other"
line token fail "does not cover http://127.0.0.1/e/"
pass "a token for another entity: exit 8"

expect_status 4 timeout 30 hyco-probe -x "$endpoint;UseDevelopmentEmulator=true;EntityPath=open"
line token skip 'no key or token'
line runtime skip 'needs a key or token'
line sender fail 404
line listener skip 'listening needs a key or token'
pass "no credentials: the sender is tried anonymously, the rest skipped"

endpoint_only=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/;SharedAccessKeyName=.*//')
sonly="$endpoint_only;SharedAccessKeyName=sonly;SharedAccessKey=c2VuZC1vbmx5LWtleQ==;UseDevelopmentEmulator=true;EntityPath=e"
expect_status 3 timeout 30 hyco-probe -x "$sonly"
line sender ok
line listener fail 403
expect_status 0 timeout 30 hyco-probe -x "$sonly" --skip listener
line listener skip '--skip listener'
pass "a Send-only rule: the listener step is refused (3) unless skipped"
