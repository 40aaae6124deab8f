# hyco-token uri prints listener, sender and HTTP addresses with correct
# encoding, for the cloud and for the development emulator.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

expect_status 0 hyco-token uri listen -n contoso -p "team/a b" --id 42
[ "$(cat "$T/out")" = 'wss://contoso.servicebus.windows.net/$hc/team/a%20b?sb-hc-action=listen&sb-hc-id=42' ] ||
    fail "listen uri: $(cat "$T/out")"
expect_status 0 hyco-token uri connect -n contoso -p hyco --suffix sub/dir
[ "$(cat "$T/out")" = 'wss://contoso.servicebus.windows.net/$hc/hyco/sub/dir?sb-hc-action=connect' ] ||
    fail "connect uri: $(cat "$T/out")"
expect_status 0 hyco-token uri http -x "Endpoint=sb://127.0.0.1:5000/;EntityPath=x.y;UseDevelopmentEmulator=true"
[ "$(cat "$T/out")" = 'http://127.0.0.1:5000/x.y' ] || fail "emulator http uri: $(cat "$T/out")"

# An embedded token is percent-encoded once more and still verifies after decoding.
export HYCO_KEY=k
expect_status 0 hyco-token uri listen -n contoso -p hyco -k r --with-token --ttl 5m
URI=$(cat "$T/out")
ENC=${URI#*sb-hc-token=}
TOKEN=$(node -e 'console.log(decodeURIComponent(process.argv[1]))' "$ENC")
expect_status 0 hyco-token verify -n contoso -p hyco "$TOKEN"
expect_status 2 hyco-token uri listen -n contoso -p hyco --with-token -k r --ttl nope
HYCO_KEY= expect_status 2 hyco-token uri listen -n contoso -p hyco --with-token
expect_err "--with-token needs credentials"
pass "uri forms"
