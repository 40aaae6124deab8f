#!/usr/bin/env bash
# Throughput benchmark: SIZE bytes (default 1 GiB) from hyco-send through a
# local hyco-relay to hyco-listen -b, next to a socat TCP loopback transfer
# of the same size in the same run. Prints MB/s and peak RSS of each
# process and checks the SHA-256 of what arrived. Figures only, no limits.
# Usage: HYCO_BIN=build/tools bench/transfer.sh [SIZE_BYTES]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${HYCO_BIN:-$src/build/tools}
export PATH="$bin:$PATH"
size=${1:-1073741824}
. "$src/scripts/lib/procs.sh" bench
command -v socat >/dev/null || { echo "socat is needed for the baseline" >&2; exit 2; }

echo "preparing $size random bytes..." >&2
head -c "$size" /dev/urandom >"$tmp/in.bin"
want=$(sha256sum "$tmp/in.bin" | cut -d' ' -f1)

now() { date +%s.%N; }
rate() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", b / t / 1e6 }'; }
# peak RSS (MiB) of a finished process, from GNU time's output file
peak() { awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }
timed() { # timed OUT_FILE cmd... : runs cmd under /usr/bin/time -v when present
    local out=$1
    shift
    if [ -x /usr/bin/time ]; then /usr/bin/time -v -o "$out" "$@"; else : >"$out"; "$@"; fi
}

# --- socat over TCP loopback
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 45873)
timed "$tmp/socat-recv.time" socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "OPEN:$tmp/socat.out,creat,trunc" &
pids+=($!)
sleep 0.5
t0=$(now)
timed "$tmp/socat-send.time" socat -u "OPEN:$tmp/in.bin" "TCP:127.0.0.1:$port"
wait "${pids[-1]}"
t1=$(now)
socat_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
[ "$(sha256sum "$tmp/socat.out" | cut -d' ' -f1)" = "$want" ] || echo "socat: DIGEST MISMATCH" >&2
rm -f "$tmp/socat.out"

# --- hyco-send -> hyco-relay -> hyco-listen
hyco-relay --host 127.0.0.1 --port 0 >"$tmp/relay.out" 2>"$tmp/relay.err" &
relay=$!
pids+=($relay)
for _ in $(seq 100); do [ -s "$tmp/relay.out" ] && break; sleep 0.1; done
export HYCO_CONNECTION_STRING="$(head -n 1 "$tmp/relay.out");EntityPath=bench"
timed "$tmp/listen.time" hyco-listen -v -b --once --no-progress </dev/null >"$tmp/hyco.out" 2>"$tmp/listen.err" &
listener=$!
pids+=($listener)
for _ in $(seq 100); do grep -q online "$tmp/listen.err" && break; sleep 0.1; done
t0=$(now)
timed "$tmp/send.time" hyco-send -b --no-progress <"$tmp/in.bin"
wait "$listener"
t1=$(now)
relay_rss=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$relay/status" 2>/dev/null || echo "?")
hyco_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
ok=ok
[ "$(sha256sum "$tmp/hyco.out" | cut -d' ' -f1)" = "$want" ] || ok="DIGEST MISMATCH"

printf '%-34s %10s %10s  %s\n' "transfer of $size bytes" "MB/s" "seconds" "peak RSS (MiB)"
printf '%-34s %10s %10.2f  send %s, receive %s\n' "socat TCP loopback" "$(rate "$size" "$socat_s")" "$socat_s" \
    "$(peak "$tmp/socat-send.time")" "$(peak "$tmp/socat-recv.time")"
printf '%-34s %10s %10.2f  hyco-send %s, hyco-listen %s, hyco-relay %s  [%s]\n' "hyco-send -> hyco-relay -> hyco-listen" \
    "$(rate "$size" "$hyco_s")" "$hyco_s" "$(peak "$tmp/send.time")" "$(peak "$tmp/listen.time")" "$relay_rss" "$ok"
