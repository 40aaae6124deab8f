#!/usr/bin/env bash
# Throughput: BENCH_BYTES (default 1 GiB) of random bytes from a file to a
# file, in interleaved rounds (BENCH_REPEATS, default 3) of
#   iperf3 over loopback (the ceiling, when installed; no file, no digest),
#   socat -> TCP -> socat with -b 262144 (the baseline) and socat's default 8 KiB,
#   socat -> socat forwarder -> socat, all -b 262144: two TCP hops and three
#     processes, the shape of hyco's path (the relay is a hop the protocol
#     needs), so what any path of that shape reaches on the machine,
#   hyco-send -b -> hyco-relay -> hyco-listen -b,
#   Microsoft's Node hyco-ws sender -> the same hyco-relay -> hyco-ws listener
#     (when tests/interop/node_modules is installed; BENCH_NODE=0 skips it).
# Prints min/median/max MB/s, the median's ratio to both socat columns (and
# hyco's to the two-hop chain), and
# peak RSS of each process; every received file's SHA-256 is checked.
# Figures only, no limits. Usage: HYCO_BIN=build/tools bench/transfer.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${HYCO_BIN:-$src/build/tools}:$PATH"
. "$src/bench/lib.sh"
have socat || { echo "socat is needed for the baseline" >&2; exit 2; }
node_ok=0
if [ "${BENCH_NODE:-1}" = 1 ] && have node && [ -d "$src/tests/interop/node_modules/hyco-ws" ]; then
    node_ok=1
    export NODE_PATH=$src/tests/interop/node_modules
fi

echo "preparing $BENCH_BYTES random bytes in $tmp..." >&2
head -c "$BENCH_BYTES" /dev/urandom >"$tmp/in.bin"
want=$(sha256sum "$tmp/in.bin" | cut -d' ' -f1)
check() { # check NAME: the received file has the input's digest
    if [ "$(sha256sum "$tmp/out.bin" | cut -d' ' -f1)" != "$want" ]; then echo "$1: DIGEST MISMATCH" >&2; record "$1-bad" 1; fi
    rm -f "$tmp/out.bin"
}

hyco-relay --host 127.0.0.1 --port 0 >"$tmp/relay.out" 2>"$tmp/relay.err" &
relay=$!
pids+=($relay)
for _ in $(seq 100); do [ -s "$tmp/relay.out" ] && break; sleep 0.1; done
CS=$(head -n 1 "$tmp/relay.out")
[ -n "$CS" ] || { echo "hyco-relay did not start: $(cat "$tmp/relay.err")" >&2; exit 1; }
export HYCO_CONNECTION_STRING="$CS;EntityPath=bench"

run_socat() { # run_socat NAME [BUFFER [chain]]: with "chain", through a socat forwarder too
    local name=$1 b=() port fwd=""
    [ -n "${2:-}" ] && b=(-b "$2")
    port=$(free_port)
    peaked "$tmp/$name.recv" socat "${b[@]}" -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "OPEN:$tmp/out.bin,creat,trunc" &
    local r=$!
    wait_port "$port" || { kill $r; return; }
    if [ "${3:-}" = chain ]; then
        local next
        next=$(free_port)
        socat "${b[@]}" "TCP-LISTEN:$next,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$port" &
        fwd=$!
        wait_port "$next" || { kill $r $fwd; return; }
        port=$next
    fi
    local t0 t1
    t0=$(now)
    peaked "$tmp/$name.send" socat "${b[@]}" -u "OPEN:$tmp/in.bin" "TCP:127.0.0.1:$port"
    wait $r
    t1=$(now)
    [ -n "$fwd" ] && { wait "$fwd" 2>/dev/null || true; }
    record "$name" "$(mbps "$t0" "$t1")"
    record "$name-rss" "$(peak_file "$tmp/$name.send")/$(peak_file "$tmp/$name.recv")"
    check "$name"
}

run_hyco() {
    peaked "$tmp/hyco.listen" hyco-listen -v -b --once --no-progress </dev/null >"$tmp/out.bin" 2>"$tmp/listen.err" &
    local l=$!
    for _ in $(seq 100); do grep -q online "$tmp/listen.err" && break; sleep 0.05; done
    local t0 t1
    t0=$(now)
    peaked "$tmp/hyco.send" hyco-send -b --no-progress <"$tmp/in.bin" || echo "hyco-send failed" >&2
    wait $l || echo "hyco-listen failed: $(tail -n 2 "$tmp/listen.err")" >&2
    t1=$(now)
    record hyco "$(mbps "$t0" "$t1")"
    record hyco-rss "$(peak_file "$tmp/hyco.send")/$(peak_file "$tmp/hyco.listen")"
    check hyco
}

run_node() {
    node "$src/bench/node_stream.js" listen nodebench "$tmp/out.bin" >"$tmp/node.out" 2>&1 &
    local l=$!
    for _ in $(seq 100); do grep -q listening "$tmp/node.out" && break; sleep 0.05; done
    local t0 t1
    t0=$(now)
    node "$src/bench/node_stream.js" send nodebench "$tmp/in.bin" || echo "node sender failed" >&2
    wait $l || echo "node listener failed: $(tail -n 2 "$tmp/node.out")" >&2
    t1=$(now)
    record node "$(mbps "$t0" "$t1")"
    check node
}

for ((round = 1; round <= BENCH_REPEATS; round++)); do
    echo "round $round of $BENCH_REPEATS" >&2
    have iperf3 && run_iperf
    run_socat socat-256k 262144
    run_hyco
    run_socat socat-2hop 262144 chain
    run_socat socat-8k
    [ "$node_ok" = 1 ] && run_node
done

last() { awk -v k="$1" '$1 == k { v = $2 } END { print v }' "$tmp/results"; }
echo "transfer of $BENCH_BYTES bytes, $BENCH_REPEATS interleaved rounds (MB/s)"
machine
printf '%-44s %9s %9s %9s  %7s %7s  %s\n' path min median max "/256k" "/8k" "peak RSS MiB (last round)"
have iperf3 && row "iperf3 loopback (ceiling)" iperf3 socat-256k socat-8k
row "socat -b 262144 TCP hop" socat-256k socat-256k socat-8k "send/receive $(last socat-256k-rss)"
row "socat default (8 KiB) TCP hop" socat-8k socat-256k socat-8k "send/receive $(last socat-8k-rss)"
row "socat -b 262144, two hops in a chain" socat-2hop socat-256k socat-8k
row "hyco-send -> hyco-relay -> hyco-listen" hyco socat-256k socat-8k \
    "send/listen $(last hyco-rss), hyco-relay $(peak_pid "$relay"); $(ratio hyco socat-2hop) of the two socat hops"
[ "$node_ok" = 1 ] && row "Node hyco-ws -> hyco-relay -> hyco-ws" node socat-256k socat-8k
if grep -q -- '-bad ' "$tmp/results" 2>/dev/null; then echo "DIGEST MISMATCH in: $(awk '/-bad /{print $1}' "$tmp/results" | sort -u | xargs)"; else echo "all received files had the input's SHA-256"; fi
