# hyco-token verify tells scripts apart: 3 bad signature / altered token,
# 7 expired, 8 wrong audience. Expired tokens are signed here with openssl,
# an implementation independent of ours.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

KEY='s3cret-key'
export HYCO_KEY=$KEY
now=$(date +%s)

expect_status 0 hyco-token create -n contoso -p hyco -k send --ttl 1h
TOKEN=$(cat "$T/out")

# Signature made with another key.
HYCO_KEY=wrong-key expect_status 3 hyco-token verify -n contoso -p hyco "$TOKEN"
expect_err "hyco-token: error: token refused: the signature does not match the key"
expect_no_stdout

# Altered expiry: the signature no longer matches.
ALTERED=$(printf '%s' "$TOKEN" | sed -E 's/se=[0-9]+/se=4102444800/')
expect_status 3 hyco-token verify -n contoso -p hyco "$ALTERED"
expect_err "signature does not match"

# Wrong rule name when one is asked for.
expect_status 3 hyco-token verify -n contoso -p hyco -k listen "$TOKEN"
expect_err "signed with rule 'send', not 'listen'"

# Wrong entity and wrong namespace.
expect_status 8 hyco-token verify -n contoso -p other "$TOKEN"
expect_err "does not cover this entity"
expect_status 8 hyco-token verify -n fabrikam -p hyco "$TOKEN"
expect_status 8 hyco-token verify -n contoso --uri "https://contoso.servicebus.windows.net/hycox" "$TOKEN"
expect_status 0 hyco-token verify -n contoso --uri "wss://contoso.servicebus.windows.net:443/\$hc/hyco?sb-hc-action=listen" "$TOKEN"

# Expired: sign one by hand with openssl.
sr='http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco%2F'
se=$((now - 60))
sig=$(printf '%s\n%s' "$sr" "$se" | openssl dgst -sha256 -hmac "$KEY" -binary | base64 | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g')
EXPIRED="SharedAccessSignature sr=$sr&sig=$sig&se=$se&skn=send"
expect_status 7 hyco-token verify -n contoso -p hyco "$EXPIRED"
expect_err "expired"
# The same construction with a future expiry is valid: the openssl token is genuine.
se=$((now + 600))
sig=$(printf '%s\n%s' "$sr" "$se" | openssl dgst -sha256 -hmac "$KEY" -binary | base64 | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g')
expect_status 0 hyco-token verify -n contoso -p hyco "SharedAccessSignature sr=$sr&sig=$sig&se=$se&skn=send"
pass "bad signature 3, expired 7, wrong audience 8"
