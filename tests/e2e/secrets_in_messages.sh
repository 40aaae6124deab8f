#!/usr/bin/env bash
# No secret reaches stdout or stderr, whatever position it was typed in: a
# connection string, a token or a key as a stray positional argument, after a
# misspelt option, as an option's (malformed) value, or in the environment,
# for every tool. Nothing here reaches the network: the endpoint is a closed
# loopback port and most cases fail before connecting.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

KEY='TopSecretKeyValue123='
SIG='SigSecretSigSecret0123456789abcdefABCDEF%2B%3D'
CS="Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=Root;SharedAccessKey=$KEY;EntityPath=hyco;UseDevelopmentEmulator=true"
TOKEN="SharedAccessSignature sr=http%3A%2F%2F127.0.0.1%2Fhyco%2F&sig=$SIG&se=4102444800&skn=Root"
BADTOKEN="SharedAccessSignature sr=x&sig=$SIG&se=soon&skn=Root"
cd "$T"
printf '%s\n' "$CS" >cs.txt
chmod 600 cs.txt

check() {  # check CMD...: exits non-zero (unless OK_TOO=1), and no secret in its output
    run timeout 10 "$@"
    [ "$RC" != 0 ] || [ "${OK_TOO:-}" = 1 ] || fail "'$*' succeeded; expected a usage or connection error"
    # A listener with good credentials retries a closed port quietly until stopped (124).
    for secret in "$KEY" "TopSecretKey" "$SIG" "SigSecretSig"; do
        if grep -qF -- "$secret" "$T/out" "$T/err"; then
            fail "a secret appeared for: $(printf '%q ' "$@" | sed "s/$KEY/KEY/g; s/$SIG/SIG/g")
stderr: $(sed "s/$KEY/<KEY>/g; s/$SIG/<SIG>/g" "$T/err")"
        fi
    done
    [ "$RC" = 0 ] || [ "$RC" = 124 ] || [ -s "$T/err" ] || fail "'$*' failed silently"
}

tools=("hyco-token create" "hyco-token verify" "hyco-token uri connect" "hyco-send" "hyco-listen"
       "hyco-pipe - relay-connect:x" "hyco-relay --port 0" "hyco-probe")
for tool in "${tools[@]}"; do
    read -r -a cmd <<<"$tool"
    check "${cmd[@]}" "$CS"                               # positional
    check "${cmd[@]}" "$TOKEN"
    check "${cmd[@]}" --conection-string "$CS"            # misspelt option
    check "${cmd[@]}" --tokn "$TOKEN"
    check "${cmd[@]}" --connection-string="$CS;Bogus=1"   # malformed value
    check "${cmd[@]}" -x "$CS;SharedAccessKey=again"
    check "${cmd[@]}" --token "$BADTOKEN"
    check "${cmd[@]}" --token="$BADTOKEN"
    check env HYCO_CONNECTION_STRING="$CS;Bogus=1" "${cmd[@]}"   # environment
    check env HYCO_TOKEN="$BADTOKEN" "${cmd[@]}" -n 127.0.0.1:1 -p hyco
    # (hyco-token create takes the key and ignores HYCO_TOKEN: it prints a token of its own)
    OK_TOO=1 check env HYCO_KEY="$KEY" HYCO_TOKEN="$TOKEN" "${cmd[@]}" -n 127.0.0.1:1 -p hyco -k Root
done
# hyco-pipe: a connection string where an address belongs.
check hyco-pipe "$CS" relay-connect:x
check hyco-pipe - "$CS"
# Connecting with a secret on the command line: the connection error quotes no key.
check hyco-send -x "$CS" --connect-timeout 5s -m hi
check hyco-send -n 127.0.0.1:1 --emulator -p hyco --token "$TOKEN" --connect-timeout 5s -m hi
check hyco-token verify -x "$CS" --uri "http://127.0.0.1/other" "$TOKEN"
pass "no secret in any message, whatever its position"
