#!/usr/bin/env bash
# hyco-pipe benchmark, one run on this machine. Prints:
#  - MB/s for a SIZE_MB stream through tcp-listen -> relay-connect -> hyco-relay
#    -> relay-listen -> tcp, and through one raw socat TCP loopback hop, and
#    the ratio (target: >= 0.5);
#  - connections per second for CONNS short-lived forwarded connections;
#  - peak RSS (VmHWM) of each hyco process.
# Usage: HYCO_BIN=build/tools bench/pipe_bench.sh [SIZE_MB=1024] [CONNS=2000]
set -euo pipefail
SIZE_MB=${1:-1024}
CONNS=${2:-2000}
src=$(cd "$(dirname "$0")/.." && pwd)
BIN=${HYCO_BIN:-$src/build/tools}
export PATH=$BIN:$PATH
. "$src/scripts/lib/procs.sh" bench
T=$tmp
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1*1.048576/($3-$2):.1f}')"; }  # MiB over seconds -> MB/s
hwm() { awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$1/status 2>/dev/null || echo "?"; }

hyco-relay --port 0 >"$T/relay.out" 2>/dev/null &
relay=$!; pids+=($relay)
for _ in $(seq 100); do [ -s "$T/relay.out" ] && break; sleep 0.1; done
export HYCO_CONNECTION_STRING=$(head -n 1 "$T/relay.out")

# Sink: counts bytes and exits at EOF.
sink_port=$(port)
socat -u tcp-listen:$sink_port,reuseaddr,fork OPEN:/dev/null &
pids+=($!)
wait_port $sink_port

remote_port=$(port)
hyco-pipe relay-listen:bench tcp:127.0.0.1:$sink_port 2>/dev/null &
remote=$!; pids+=($remote)
local_port=$(port)
hyco-pipe --max-connections 256 tcp-listen:127.0.0.1:$local_port relay-connect:bench 2>/dev/null &
local=$!; pids+=($local)
wait_port $local_port
sleep 0.5

t0=$(now)
head -c $((SIZE_MB * 1048576)) /dev/zero | socat -u - tcp:127.0.0.1:$local_port
t1=$(now)
relayed=$(rate $SIZE_MB $t0 $t1)

hop_port=$(port)
socat -u tcp-listen:$hop_port,reuseaddr,fork tcp:127.0.0.1:$sink_port &
pids+=($!)
wait_port $hop_port
t0=$(now)
head -c $((SIZE_MB * 1048576)) /dev/zero | socat -u - tcp:127.0.0.1:$hop_port
t1=$(now)
raw=$(rate $SIZE_MB $t0 $t1)

echo "stream ${SIZE_MB} MiB via hyco-pipe+hyco-relay: $relayed MB/s"
echo "stream ${SIZE_MB} MiB via socat loopback hop:   $raw MB/s"
python3 -c "print(f'ratio relayed/socat: {$relayed/$raw:.2f} (target >= 0.50)')"

# Short-lived connections: an echo target, one request each.
echo_port=$(port)
hyco-pipe tcp-listen:127.0.0.1:$echo_port mirror: 2>/dev/null &
pids+=($!)
wait_port $echo_port
hyco-pipe relay-listen:cps tcp:127.0.0.1:$echo_port 2>/dev/null &
pids+=($!); cps_remote=$!
cps_port=$(port)
hyco-pipe --max-connections 256 tcp-listen:127.0.0.1:$cps_port relay-connect:cps 2>/dev/null &
pids+=($!); cps_local=$!
wait_port $cps_port
sleep 0.5
t0=$(now)
python3 - "$cps_port" "$CONNS" <<'PY'
import socket, sys, concurrent.futures as cf
port, n = int(sys.argv[1]), int(sys.argv[2])
def one(i):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"ping\n")
    data = b""
    while len(data) < 5:
        b = s.recv(100)
        if not b: break
        data += b
    s.close()
    return data == b"ping\n"
with cf.ThreadPoolExecutor(32) as ex:
    ok = sum(ex.map(one, range(n)))
print(f"{ok}/{n} connections echoed", file=sys.stderr)
PY
t1=$(now)
python3 -c "print(f'connections/s ({$CONNS} short-lived, 32 at a time): {$CONNS/($t1-$t0):.0f}')"

echo "peak RSS: hyco-relay $(hwm $relay), hyco-pipe local $(hwm $local), remote $(hwm $remote), cps local $(hwm $cps_local), cps remote $(hwm $cps_remote)"
