# Every class of bad input gets a one-line error naming the problem, exit 2
# (usage) or 3 (invalid token), nothing on stdout, and never a crash.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

export HYCO_KEY=k
check() { # status expected-text cmd...
    local want=$1 text=$2
    shift 2
    expect_status "$want" "$@"
    expect_err "hyco-token: error: "
    expect_err "$text"
    expect_no_stdout
    [ "$(wc -l < "$T/err")" -le 2 ] || fail "error for '$*' is more than two lines"
}

# Malformed tokens.
check 3 "does not start with 'SharedAccessSignature '" hyco-token decode "Bearer abc"
check 3 "'sig' (signature) field is missing" hyco-token decode "SharedAccessSignature sr=a&se=1&skn=k"
check 3 "'se' must be whole seconds" hyco-token decode "SharedAccessSignature sr=a&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D&se=tomorrow&skn=k"
check 3 "32-byte HMAC" hyco-token decode "SharedAccessSignature sr=a&sig=xyz&se=1&skn=k"
check 3 "longer than 4096" hyco-token decode "SharedAccessSignature sr=$(head -c 6000 /dev/zero | tr '\0' a)&sig=x&se=1&skn=k"
check 3 "invalid UTF-8" hyco-token decode "$(printf 'SharedAccessSignature sr=\xff&sig=x&se=1&skn=k')"
check 2 "stdin was empty" hyco-token decode < /dev/null
head -c 100000 /dev/zero | tr '\0' x > "$T/huge"
check 2 "more than 64 KiB" hyco-token decode - < "$T/huge"
check 3 "'sr' (resource) field is missing" hyco-token verify -n contoso -p hyco "SharedAccessSignature se=1&skn=k"

# Malformed connection strings.
check 2 "invalid connection string: unknown key 'Endpont'" hyco-token create -x "Endpont=sb://h/;EntityPath=x"
check 2 "Endpoint is missing" hyco-token create -x "EntityPath=x"
check 2 "SharedAccessKeyName is given without SharedAccessKey" hyco-token create -x "Endpoint=sb://h/;EntityPath=x;SharedAccessKeyName=r"
check 2 "invalid connection string: it is empty" hyco-token create -x " "
check 2 "reading the connection string from $T/missing" hyco-token create -x "@$T/missing"
: > "$T/empty"
check 2 "the file is empty" hyco-token create -n contoso -p x -k r --key-file "$T/empty"

# Malformed namespaces, paths, URIs and durations.
check 2 "invalid namespace" hyco-token create -n "bad host" -p x -k r
check 2 "invalid namespace 'sb://h:0/'" hyco-token create -n "sb://h:0/" -p x -k r
check 2 "'.' and '..' segments" hyco-token create -n contoso -p ../x -k r
check 2 "empty segment" hyco-token create -n contoso -p a//b -k r
check 2 "invalid URI" hyco-token create -n contoso -p x -k r --resource "not a uri"
check 2 "invalid duration '1.5h'" hyco-token create -n contoso -p x -k r --ttl 1.5h
check 2 "must be longer than zero" hyco-token create -n contoso -p x -k r --ttl 0
check 2 "longer than 100 years" hyco-token create -n contoso -p x -k r --ttl 99999999d
check 2 "it is in the past" hyco-token create -n contoso -p x -k r --expiry 5
check 2 "no relay given" hyco-token create -p x -k r
check 2 "no entity given" hyco-token create -n contoso -k r
check 2 "a key needs a rule name" hyco-token create -n contoso -p x
HYCO_KEY= check 2 "no key to sign with" hyco-token create -n contoso -p x -k r
check 2 "invalid key name" hyco-token create -n contoso -p x -k "$(head -c 300 /dev/zero | tr '\0' r)"

# Decoded fields that are not text (a JSON dump of them used to crash).
SIG32=$(printf 'x%.0s' $(seq 32) | base64 | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g')
check 3 "invalid UTF-8" hyco-token decode --json "SharedAccessSignature sr=a&sig=$SIG32&se=1&skn=%FF"
check 3 "control characters" hyco-token decode "SharedAccessSignature sr=a%1B%5B31m&sig=$SIG32&se=1&skn=k"

# Command-line mistakes.
check 2 "Try 'hyco-token --help'" hyco-token create --no-such-option
check 2 "a command is required: create, decode, verify or uri" hyco-token
check 2 "unknown command 'mint'; the commands are create, decode, verify or uri" hyco-token mint
check 2 "unknown option '--tll'; did you mean --ttl?" hyco-token create --tll 5m -n contoso -p hyco
check 2 "KIND" hyco-token uri bogus -n contoso -p x
pass "bad input is refused with exit 2/3 and a clear message"
