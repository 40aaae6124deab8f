#!/usr/bin/env bash
# hyco-pipe forwarding and short connections, in interleaved rounds
# (BENCH_REPEATS, default 3). Prints min/median/max and ratios of:
#  - MB/s for BENCH_BYTES (default 1 GiB) of random bytes, socat sender ->
#    hop -> socat sink writing a file (SHA-256 checked), where the hop is
#    hyco-pipe tcp-listen -> relay-connect -> hyco-relay -> relay-listen -> tcp,
#    or a socat forwarder with -b 262144 (the baseline) or its default 8 KiB;
#    iperf3 straight over loopback as the ceiling when installed; and three
#    socat -b 262144 forwarders in a chain, as many hops as hyco's path has
#    (hyco-pipe's row compares with it too: what a forwarder of that shape
#    reaches here);
#  - connections per second for BENCH_CONNS (default 300) short connections
#    (connect, "ping", echoed back, close; 8 at a time) to a local echo
#    server through the same hops: socat fork (one, and three chained),
#    hyco-pipe over ws://, and
#    hyco-pipe over wss:// (a second hyco-relay with --tls; clients --ca);
#  - connections per second for BENCH_CONNS/10 sequential `echo ping |
#    hyco-send` to `hyco-listen -e cat`, against `echo ping | socat - TCP`
#    to `socat TCP-LISTEN,fork EXEC:cat`;
#  - CPU per short connection, over ten times BENCH_CONNS connections: of
#    the whole machine (/proc/stat, while the clients ran), and user and
#    system time of the forwarding processes (socat's reaped children
#    included), with what 1.5x the socat hop's rate would leave them;
#  - peak RSS of each long-running process.
# Figures only, no limits. Usage: HYCO_BIN=build/tools bench/pipe_bench.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${HYCO_BIN:-$src/build/tools}:$PATH"
. "$src/bench/lib.sh"
need socat python3 openssl hyco-relay hyco-pipe hyco-send hyco-listen

echo "preparing $BENCH_BYTES random bytes in $tmp..." >&2
head -c "$BENCH_BYTES" /dev/urandom >"$tmp/in.bin"
want=$(sha256sum "$tmp/in.bin" | cut -d' ' -f1)

relay_up() { # relay_up NAME [relay args]: prints the connection string
    local name=$1
    shift
    hyco-relay --host 127.0.0.1 --port 0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    echo $! >"$tmp/$name.pid"
    for _ in $(seq 100); do [ -s "$tmp/$name.out" ] && break; sleep 0.1; done
    head -n 1 "$tmp/$name.out"
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
CS=$(relay_up relay)
CS_TLS=$(relay_up relay-tls --cert "$tmp/cert.pem" --key "$tmp/key.pem")
# relay_up ran in a command substitution's subshell, whose pids+= is lost.
relay=$(cat "$tmp/relay.pid") relay_tls=$(cat "$tmp/relay-tls.pid")
pids+=("$relay" "$relay_tls")
[ -n "$CS" ] && [ -n "$CS_TLS" ] || { echo "hyco-relay did not start: $(cat "$tmp"/relay*.err)" >&2; exit 1; }

bg() { "$@" & pids+=($!); last_pid=$!; }

# --- forwarding hops, all to the sink port
sink=$(free_port)
hop_hyco=$(free_port) hop_256k=$(free_port) hop_8k=$(free_port)
hop_3a=$(free_port) hop_3b=$(free_port) hop_3c=$(free_port)
HYCO_CONNECTION_STRING=$CS bg hyco-pipe relay-listen:fwd "tcp:127.0.0.1:$sink" 2>"$tmp/fwd-remote.err"
fwd_remote=$last_pid
HYCO_CONNECTION_STRING=$CS bg hyco-pipe tcp-listen:127.0.0.1:$hop_hyco relay-connect:fwd 2>"$tmp/fwd-local.err"
fwd_local=$last_pid
bg socat -b 262144 "TCP-LISTEN:$hop_256k,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sink"
bg socat "TCP-LISTEN:$hop_8k,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sink"
# hyco's path has three forwarding processes (two pipes and the relay): so has this one.
bg socat -b 262144 "TCP-LISTEN:$hop_3c,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sink"
bg socat -b 262144 "TCP-LISTEN:$hop_3b,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$hop_3c"
bg socat -b 262144 "TCP-LISTEN:$hop_3a,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$hop_3b"
for p in $hop_hyco $hop_256k $hop_8k $hop_3a $hop_3b $hop_3c; do wait_port "$p" || { echo "port $p: nothing listens" >&2; exit 1; }; done
sleep 1  # relay-listen online

forward() { # forward NAME PORT
    socat -b 262144 -u "TCP-LISTEN:$sink,bind=127.0.0.1,reuseaddr" "OPEN:$tmp/out.bin,creat,trunc" &
    local s=$!
    wait_port "$sink"
    local t0 t1
    t0=$(now)
    socat -b 262144 -u "OPEN:$tmp/in.bin" "TCP:127.0.0.1:$2"
    wait $s
    t1=$(now)
    record "$1" "$(mbps "$t0" "$t1")"
    [ "$(sha256sum "$tmp/out.bin" | cut -d' ' -f1)" = "$want" ] || { echo "$1: DIGEST MISMATCH" >&2; record "$1-bad" 1; }
    rm -f "$tmp/out.bin"
}
# --- short connections: an echo server and the hops to it
cat >"$tmp/echo.py" <<'PY'
import asyncio, sys
async def echo(r, w):
    try:
        while data := await r.read(65536):
            w.write(data)
            await w.drain()
    finally:
        w.close()
async def main():
    srv = await asyncio.start_server(echo, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with srv:
        await srv.serve_forever()
asyncio.run(main())
PY
cat >"$tmp/clients.py" <<'PY'
import os, socket, sys, time, concurrent.futures as cf
port, n = int(sys.argv[1]), int(sys.argv[2])
def one(i):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"ping\n")
    data = b""
    while len(data) < 5:
        b = s.recv(100)
        if not b: break
        data += b
    s.close()
    return data == b"ping\n"
def busy():  # CPU seconds of the whole machine: user, nice, system, irq, softirq, steal
    f = open("/proc/stat").readline().split()
    return sum(int(f[i]) for i in (1, 2, 3, 6, 7, 8)) / os.sysconf("SC_CLK_TCK")
t0, b0 = time.monotonic(), busy()
with cf.ThreadPoolExecutor(8) as ex:
    ok = sum(ex.map(one, range(n)))
t1, b1 = time.monotonic(), busy()
# the rate, and the machine's CPU microseconds per connection meanwhile
print(f"{n / (t1 - t0):.1f} {(b1 - b0) / n * 1e6:.0f}" if ok == n else f"{ok}/{n}-echoed")
PY
echo_port=$(free_port)
bg python3 "$tmp/echo.py" "$echo_port"
cps_socat=$(free_port) cps_ws=$(free_port) cps_wss=$(free_port)
bg socat "TCP-LISTEN:$cps_socat,bind=127.0.0.1,reuseaddr,fork,backlog=1024" "TCP:127.0.0.1:$echo_port"
cps_socat_pid=$last_pid
cps_3a=$(free_port) cps_3b=$(free_port) cps_3c=$(free_port)
bg socat "TCP-LISTEN:$cps_3c,bind=127.0.0.1,reuseaddr,fork,backlog=1024" "TCP:127.0.0.1:$echo_port"
bg socat "TCP-LISTEN:$cps_3b,bind=127.0.0.1,reuseaddr,fork,backlog=1024" "TCP:127.0.0.1:$cps_3c"
bg socat "TCP-LISTEN:$cps_3a,bind=127.0.0.1,reuseaddr,fork,backlog=1024" "TCP:127.0.0.1:$cps_3b"
HYCO_CONNECTION_STRING=$CS bg hyco-pipe relay-listen:cps "tcp:127.0.0.1:$echo_port" 2>"$tmp/cps-remote.err"
cps_remote=$last_pid
HYCO_CONNECTION_STRING=$CS bg hyco-pipe --max-connections 256 tcp-listen:127.0.0.1:$cps_ws relay-connect:cps 2>"$tmp/cps-local.err"
cps_local=$last_pid
HYCO_CONNECTION_STRING=$CS_TLS bg hyco-pipe --ca "$tmp/cert.pem" relay-listen:cps "tcp:127.0.0.1:$echo_port" 2>"$tmp/cpss-remote.err"
cpss_remote=$last_pid
HYCO_CONNECTION_STRING=$CS_TLS bg hyco-pipe --ca "$tmp/cert.pem" --max-connections 256 tcp-listen:127.0.0.1:$cps_wss relay-connect:cps 2>"$tmp/cpss-local.err"
cpss_local=$last_pid
for p in $echo_port $cps_socat $cps_3a $cps_3b $cps_3c $cps_ws $cps_wss; do wait_port "$p" || { echo "port $p: nothing listens" >&2; exit 1; }; done

# --- hyco-send to hyco-listen -e cat, socat to socat fork EXEC:cat
HYCO_CONNECTION_STRING="$CS;EntityPath=sl" bg hyco-listen -e cat 2>"$tmp/sl.err" </dev/null
sl_listen=$last_pid
sl_socat=$(free_port)
bg socat "TCP-LISTEN:$sl_socat,bind=127.0.0.1,reuseaddr,fork" EXEC:cat
wait_port "$sl_socat"
sleep 1  # the listeners online
SEQ=$(((BENCH_CONNS + 9) / 10))
sequential() { # sequential NAME CMD...: SEQ runs of `echo ping | CMD`
    local name=$1 t0 t1 ok=0
    shift
    t0=$(now)
    for ((i = 0; i < SEQ; i++)); do [ "$(echo ping | "$@" 2>/dev/null)" = ping ] && ok=$((ok + 1)); done
    t1=$(now)
    if [ "$ok" = "$SEQ" ]; then record "$name" "$(per_s "$SEQ" "$t0" "$t1")"; else echo "$name: $ok/$SEQ echoed" >&2; fi
}
us_per_conn() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f", (b - a) / n * 1e6 }'; }
conns() { # conns NAME PORT: the rate of BENCH_CONNS connections
    local v
    v=$(timeout 300 python3 "$tmp/clients.py" "$2" "$BENCH_CONNS" || echo failed)
    if [[ $v =~ ^[0-9.]+\ [0-9]+$ ]]; then record "$1" "${v% *}"; else echo "$1: $v" >&2; fi
}
# cpu NAME PORT PID...: CPU per connection over CPU_CONNS connections (ten
# times BENCH_CONNS: the kernel counts process time in ticks of 1/CLK_TCK s):
# of the machine while they ran, and user and system time of the PIDs.
CPU_CONNS=$((BENCH_CONNS * 10))
cpu() {
    local name=$1 port=$2 v p0 p1
    shift 2
    p0=$(cpu_split "$@")
    v=$(timeout 300 python3 "$tmp/clients.py" "$port" "$CPU_CONNS" || echo failed)
    p1=$(cpu_split "$@")
    if [[ $v =~ ^[0-9.]+\ [0-9]+$ ]]; then
        record "$name-machine" "${v#* }"
        record "$name-user" "$(us_per_conn "${p0% *}" "${p1% *}" "$CPU_CONNS")"
        record "$name-system" "$(us_per_conn "${p0#* }" "${p1#* }" "$CPU_CONNS")"
    else
        echo "$name (CPU): $v" >&2
    fi
}

for ((round = 1; round <= BENCH_REPEATS; round++)); do
    echo "round $round of $BENCH_REPEATS" >&2
    have iperf3 && run_iperf
    forward socat-256k "$hop_256k"
    forward hyco-pipe "$hop_hyco"
    forward socat-8k "$hop_8k"
    forward socat-3hop "$hop_3a"
    conns c-socat "$cps_socat"
    conns c-socat3 "$cps_3a"
    conns c-ws "$cps_ws"
    conns c-wss "$cps_wss"
    cpu c-socat "$cps_socat" "$cps_socat_pid"
    cpu c-ws "$cps_ws" "$relay" "$cps_local" "$cps_remote"
    cpu c-wss "$cps_wss" "$relay_tls" "$cpss_local" "$cpss_remote"
    sequential s-socat socat - "TCP:127.0.0.1:$sl_socat"
    HYCO_CONNECTION_STRING="$CS;EntityPath=sl" sequential s-hyco hyco-send
done

echo "hyco-pipe: $BENCH_BYTES bytes forwarded and $BENCH_CONNS short connections, $BENCH_REPEATS interleaved rounds"
machine
printf '%-44s %9s %9s %9s  %7s %7s\n' "forwarding (MB/s)" min median max "/256k" "/8k"
have iperf3 && row "iperf3 loopback (ceiling)" iperf3 socat-256k socat-8k
row "socat -b 262144 forwarding hop" socat-256k socat-256k socat-8k
row "socat default (8 KiB) forwarding hop" socat-8k socat-256k socat-8k
row "socat -b 262144, three hops in a chain" socat-3hop socat-256k socat-8k
row "hyco-pipe -> hyco-relay -> hyco-pipe" hyco-pipe socat-256k socat-8k "$(ratio hyco-pipe socat-3hop) of the three socat hops"
printf '%-44s %9s %9s %9s  %7s %7s\n' "short connections (conn/s)" min median max "/socat" "/ws"
row "socat fork hop, 8 at a time" c-socat c-socat c-ws
row "socat fork, three hops in a chain" c-socat3 c-socat c-ws
row "hyco-pipe over ws://, 8 at a time" c-ws c-socat c-ws "$(ratio c-ws c-socat3) of the three socat hops"
row "hyco-pipe over wss://, 8 at a time" c-wss c-socat c-ws
row "echo ping | socat -> socat fork EXEC:cat" s-socat s-socat
row "echo ping | hyco-send -> hyco-listen -e cat" s-hyco s-socat
printf '%-44s %9s %9s %9s  %s\n' "CPU per short connection (us, $CPU_CONNS)" machine user system "(user and system: the forwarding processes)"
for c in c-socat:"socat fork hop" c-ws:"hyco-pipe over ws://" c-wss:"hyco-pipe over wss://"; do
    printf '%-44s %9s %9s %9s\n' "${c#*:}" "$(median "${c%%:*}-machine")" "$(median "${c%%:*}-user")" "$(median "${c%%:*}-system")"
done
# Target 2 asks hyco-pipe for 1.5x the socat hop's rate. With every core busy
# that leaves this much CPU per connection; the clients, the echo server and
# the kernel's work outside the forwarders take their share of the ws:// rounds.
awk -v n="$(nproc)" -v r="$(median c-socat)" -v m="$(median c-ws-machine)" -v u="$(median c-ws-user)" -v s="$(median c-ws-system)" '
    BEGIN { if (r == "-" || m == "-" || u == "-" || s == "-") exit
            b = n * 1e6 / (1.5 * r); o = m - u - s
            printf "1.5x the socat hop with all %d cores busy: %.0f us of CPU per connection; the rest of the ws:// path took %.0f of it, leaving %.0f for the three hyco processes, whose system time alone was %.0f\n", n, b, o, b - o, s }'
echo "peak RSS (MiB): hyco-relay $(peak_pid "$relay"), forwarding pipes $(peak_pid "$fwd_local")/$(peak_pid "$fwd_remote"), ws:// pipes $(peak_pid "$cps_local")/$(peak_pid "$cps_remote"), wss:// pipes $(peak_pid "$cpss_local")/$(peak_pid "$cpss_remote"), hyco-listen -e $(peak_pid "$sl_listen")"
if grep -q -- '-bad ' "$tmp/results" 2>/dev/null; then echo "DIGEST MISMATCH in: $(awk '/-bad /{print $1}' "$tmp/results" | sort -u | xargs)"; else echo "all forwarded files had the input's SHA-256"; fi
