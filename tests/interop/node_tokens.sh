# Tokens minted by Microsoft's Node packages (hyco-ws, hyco-https) verify with
# hyco-token, and tokens minted by hyco-token verify with node's crypto.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/node.sh"

KEY='Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0='
export HYCO_KEY=$KEY
node "$INTEROP/node_tokens.js" mint RootManageSharedAccessKey "$KEY" > "$T/tokens"
[ "$(wc -l < "$T/tokens")" = 10 ] || fail "node minted $(wc -l < "$T/tokens") tokens, expected 10"
while IFS=$'\t' read -r uri token; do
    expect_status 0 hyco-token verify -n contoso -p hyco "$token"
    # Node signs with the key name as given; with a wrong key they must fail.
    HYCO_KEY=not-the-key expect_status 3 hyco-token verify -n contoso -p hyco "$token"
    expect_status 8 hyco-token verify -n contoso -p other "$token"
done < "$T/tokens"
pass "10 node-minted tokens verify (and fail with the wrong key or entity)"

hyco-token create -n contoso -p hyco -k RootManageSharedAccessKey --ttl 10m > "$T/ours"
sr=$(node "$INTEROP/node_tokens.js" check RootManageSharedAccessKey "$KEY" < "$T/ours") || fail "node rejected our token"
[ "$sr" = "http://contoso.servicebus.windows.net/hyco/" ] || fail "unexpected audience $sr"
HYCO_KEY=other hyco-token create -n contoso -p hyco -k RootManageSharedAccessKey > "$T/theirs"
! node "$INTEROP/node_tokens.js" check RootManageSharedAccessKey "$KEY" < "$T/theirs" 2>/dev/null ||
    fail "node accepted a token signed with another key"
pass "hyco-token tokens verify with node crypto"
