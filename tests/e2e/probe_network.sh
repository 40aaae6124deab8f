#!/usr/bin/env bash
# hyco-probe's network steps failing, each named on its line with the steps
# after it skipped: a name that does not resolve (dns), a closed port (tcp),
# and local fakes for the runtime step: a peer that never answers (exit 5),
# one that is not HTTP, a 200 without a runtime entry, a 500 with an XML
# error body. The token step is local and runs whatever the network does.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
KEY=c2VjcmV0a2V5MDEyMzQ1Njc4OQ==

line() {
    grep -E "^$1 +$2( |$)" "$T/out" | grep -qF -- "${3:-}" ||
        fail "no '$1 $2 ${3:-}' line; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
}
probe_at() {  # probe_at HOST:PORT [hyco-probe args...]
    local at=$1
    shift
    HYCO_KEY=$KEY timeout 30 hyco-probe -n "ws://$at" -p hc -k root "$@"
}

expect_status 1 probe_at nosuchhost.invalid:9
line dns fail 'cannot resolve nosuchhost.invalid'
line tcp skip 'dns failed'
line tls skip 'dns failed'
line token ok "rule 'root'"
line runtime skip 'dns failed'
line sender skip 'dns failed'
line listener skip 'dns failed'
expect_err 'hyco-probe: error: dns: cannot resolve nosuchhost.invalid'
pass "unknown host: dns fails, exit 1"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect_status 1 probe_at "127.0.0.1:$port"
line dns ok
line tcp fail "connect to 127.0.0.1:$port: Connection refused"
line runtime skip 'tcp failed'
line listener skip 'tcp failed'
pass "closed port: tcp fails, exit 1"

fake_http_peer silent
expect_status 5 probe_at "127.0.0.1:$FAKE_PORT" --connect-timeout 1s
line tcp ok
line runtime fail 'no answer within 1000 ms'
pass "a relay that never answers: runtime times out, exit 5"

fake_http_peer not-http
expect_status 1 probe_at "127.0.0.1:$FAKE_PORT"
line runtime fail 'malformed answer'
pass "not HTTP: runtime fails, exit 1"

fake_http_peer garbage
expect_status 1 probe_at "127.0.0.1:$FAKE_PORT"
line runtime fail 'no <ListenerCount>'
pass "no runtime entry in a 200: exit 1"

fake_http_peer error500
expect_status 1 probe_at "127.0.0.1:$FAKE_PORT"
line runtime fail 'relay answered 500 disk & soul'
pass "500: the error body's detail is shown"
