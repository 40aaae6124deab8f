# Keys never appear in output or errors, and tokens only where asked for.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

KEY='TopSecretKeyValue123='
CS="Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=$KEY;EntityPath=hyco"

# Errors about a connection string that holds a key do not echo it.
for bad in "$CS;Bogus=1" "$CS;SharedAccessKey=again" "$CS;SharedAccessKey$KEY" "${CS/Endpoint=sb:/Endpoint=http:}"; do
    expect_status 2 hyco-token create -x "$bad"
    expect_absent "$KEY"
    expect_absent "TopSecret"
done
# Successful commands print the token at most, never the key.
expect_status 0 hyco-token create -x "$CS"
expect_absent "$KEY"
expect_status 0 hyco-token uri connect -x "$CS" --with-token
expect_absent "$KEY"
expect_out "sb-hc-token=SharedAccessSignature%20sr%3D"
# verify and decode never print the token's signature.
TOKEN=$(hyco-token create -x "$CS")
SIG=$(printf '%s' "$TOKEN" | sed -E 's/.*sig=([^&]+).*/\1/')
expect_status 0 hyco-token verify -x "$CS" "$TOKEN"
expect_absent "$SIG"
expect_status 0 hyco-token decode --json "$TOKEN"
expect_absent "$SIG"
HYCO_KEY=wrong expect_status 3 hyco-token verify -n contoso -p hyco "$TOKEN"
expect_absent "$SIG"
pass "no secret in any output"
