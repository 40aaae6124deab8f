#!/usr/bin/env bash
# Server CPU per TLS handshake: hyco-relay --cert against OpenSSL's own
# `openssl s_server` with the same P-256 certificate, both driven by
# `openssl s_time -new` for BENCH_SECONDS (default 4) per round, in
# interleaved rounds (BENCH_REPEATS, default 3). Prints min/median/max of
# microseconds of server CPU (user + system, from /proc) per full TLS 1.3
# handshake and hyco-relay's ratio to s_server. (s_time's -reuse resumes
# nothing under TLS 1.3: it never reads the tickets.) What a wss://
# connection costs the relay beyond ws:// is mostly this figure, twice
# (sender and rendezvous; hyco's clients resume, which skips the
# certificate but not the key exchange). Figures only, no limits.
# Usage: HYCO_BIN=build/tools bench/tls_handshake.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${HYCO_BIN:-$src/build/tools}:$PATH"
. "$src/bench/lib.sh"
need openssl hyco-relay python3

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

hyco-relay --host 127.0.0.1 --port 0 --cert "$tmp/cert.pem" --key "$tmp/key.pem" >"$tmp/relay.out" 2>"$tmp/relay.err" &
relay=$!
pids+=("$relay")
for _ in $(seq 100); do [ -s "$tmp/relay.out" ] && break; sleep 0.1; done
relay_port=$(sed -nE '1s|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|p' "$tmp/relay.out")
[ -n "$relay_port" ] || { echo "hyco-relay did not start: $(cat "$tmp/relay.err")" >&2; exit 1; }
ssl_port=$(free_port)
openssl s_server -accept "127.0.0.1:$ssl_port" -cert "$tmp/cert.pem" -key "$tmp/key.pem" -quiet \
    </dev/null >/dev/null 2>"$tmp/s_server.err" &
server=$!
pids+=("$server")
for p in "$relay_port" "$ssl_port"; do wait_port "$p" || { echo "port $p: nothing listens" >&2; exit 1; }; done

# handshakes NAME PID PORT MODE: one s_time run; records server CPU us per handshake.
ticks=$(getconf CLK_TCK)
handshakes() {
    local c0 c1 n
    c0=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$2/stat")
    n=$(timeout $((BENCH_SECONDS * 3 + 10)) openssl s_time -connect "127.0.0.1:$3" "$4" -time "$BENCH_SECONDS" 2>/dev/null |
        awk '/connections in [0-9.]+ real seconds/ { print $1; exit }' || true)
    c1=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$2/stat")
    if [[ ${n:-} =~ ^[1-9][0-9]*$ ]]; then
        record "$1$4" "$(awk -v a="$c0" -v b="$c1" -v t="$ticks" -v n="$n" 'BEGIN { printf "%.0f", (b - a) / t / n * 1e6 }')"
    else
        echo "$1 $4: s_time made no connection" >&2
    fi
}
for ((round = 1; round <= BENCH_REPEATS; round++)); do
    echo "round $round of $BENCH_REPEATS" >&2
    handshakes s_server "$server" "$ssl_port" -new
    handshakes hyco-relay "$relay" "$relay_port" -new
done

echo "server CPU per TLS handshake (us), $BENCH_REPEATS interleaved rounds of ${BENCH_SECONDS} s, P-256 certificate"
machine
openssl version
printf '%-44s %9s %9s %9s  %7s\n' "" min median max "/s_server"
row "openssl s_server" s_server-new s_server-new
row "hyco-relay --cert" hyco-relay-new s_server-new
