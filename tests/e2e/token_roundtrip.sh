# hyco-token create -> decode -> verify, from a connection string, from flags
# with the key in a file or the environment; stdout carries only the result.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

KEY='Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0='
CS="Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=$KEY;EntityPath=hyco"

expect_status 0 hyco-token create -x "$CS" --ttl 30m
[ "$(wc -l < "$T/out")" = 1 ] || fail "create printed more than one line"
TOKEN=$(cat "$T/out")
case "$TOKEN" in "SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco%2F&sig="*"&skn=Root") ;;
  *) fail "unexpected token shape: $TOKEN" ;; esac
[ ! -s "$T/err" ] || fail "create wrote to stderr: $(cat "$T/err")"
pass "create from a connection string"

expect_status 0 hyco-token verify -x "$CS" "$TOKEN"
expect_out "valid: rule 'Root'"
pass "verify with the same connection string"

# Key from a file, and from the environment; from stdin too.
printf '%s\n' "$KEY" > "$T/key"
expect_status 0 hyco-token create -n contoso -p hyco -k Root --key-file "$T/key" --ttl 1h
T2=$(cat "$T/out")
expect_status 0 hyco-token verify -n contoso -p hyco --key-file "$T/key" "$T2"
HYCO_KEY=$KEY expect_status 0 hyco-token verify -n contoso.servicebus.windows.net -p hyco - < <(echo "$T2")
pass "key from file and from HYCO_KEY, token from stdin"

# Connection string from the environment and from @file.
HYCO_CONNECTION_STRING=$CS expect_status 0 hyco-token verify -q "$TOKEN"
expect_no_stdout
printf '%s\n' "$CS" > "$T/cs"
expect_status 0 hyco-token create -x "@$T/cs" --ttl 90s
pass "connection string from HYCO_CONNECTION_STRING and @file"

# decode shows the fields as text and JSON, without a key. The expiry sits 30 s past
# two hours so that "remaining" reads 2h however many seconds the steps take (< 30).
now=$(date +%s)
exp=$((now + 7230))
expect_status 0 hyco-token create -x "$CS" --expiry $exp
T3=$(cat "$T/out")
expect_status 0 hyco-token decode "$T3"
expect_out "resource:  http://contoso.servicebus.windows.net/hyco/"
expect_out "key name:  Root"
expect_out "expires:   $(date -u -d @$exp +%Y-%m-%dT%H:%M:%SZ)"
grep -qx 'remaining: 2h' "$T/out" || fail "remaining should read 2h; stdout was: $(cat "$T/out")"
expect_status 0 hyco-token decode --json "$T3"
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const exp = Number(process.argv[2]), now = Math.floor(Date.now() / 1000);
if (j.key_name !== "Root" || j.expiry !== exp || j.expired !== false ||
    j.remaining_seconds > exp - Number(process.argv[3]) || j.remaining_seconds < exp - now - 1 ||
    j.resource !== "http://contoso.servicebus.windows.net/hyco/") { console.error(j); process.exit(1); }
' "$T/out" $exp $now || fail "decode --json fields"
pass "decode text and JSON"

# A namespace-wide token covers every entity; an entity token does not cover another.
expect_status 0 hyco-token create -x "$CS" --namespace-wide
NSTOK=$(cat "$T/out")
expect_status 0 hyco-token verify -x "$CS" -p some/other "$NSTOK"
expect_status 8 hyco-token verify -x "$CS" -p other "$TOKEN"
expect_status 0 hyco-token verify -x "$CS" -p hyco/below "$TOKEN"
pass "namespace-wide and entity audiences"
