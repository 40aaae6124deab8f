#!/usr/bin/env bash
# Many concurrent forwarded connections (issue #10, target 4): one Python
# client (asyncio, one process) opens BENCH_CONCURRENT (default 10000)
# connections to hyco-pipe tcp-listen -> relay-connect -> hyco-relay ->
# hyco-pipe relay-listen -> a Python asyncio echo server, at most BENCH_WINDOW
# (default 100) opening at a time, sends a line on each, waits for its echo and
# keeps every connection open. Prints:
#  - the open rate: connections echoed per second, first connect to last echo,
#    and the CPU seconds each process spent meanwhile;
#  - with all of them open and idle for BENCH_IDLE seconds (default 10), the
#    CPU time of each process (utime + stime from /proc/PID/stat) as % of one
#    core;
#  - each process's VmRSS before any connection, with all open, and after all
#    closed, and (open - before) / N in KiB per connection; descriptors open;
#  - the close: every client half-closes and waits for the end to come back
#    through the chain; then how long until every process holds no more
#    descriptors than before the first connection; whether every process is
#    still alive.
# The soft descriptor limit is raised to the hard limit first: a forwarded
# connection holds 2 descriptors in hyco-relay, 2 in each hyco-pipe, 1 in the
# echo server and 1 in the client.
# The two hyco-pipes stand for two hosts: relay-listen connects to the relay
# from 127.0.0.2 (--source-address), tcp-listen from 127.0.0.1. On one
# address (BENCH_SOURCES=1) their 2 N connections share one source address's
# ephemeral ports toward the relay's one port; past about 14,000 (the even
# half of net.ipv4.ip_local_port_range, which connect() searches first) the
# kernel scans the whole half on every connect(), and that, not hyco, sets
# the open rate.
# Figures only, no limits; exits non-zero when not every connection echoed.
# Usage: HYCO_BIN=build/tools BENCH_CONCURRENT=10000 BENCH_IDLE=10 bench/concurrent.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${HYCO_BIN:-$src/build/tools}:$PATH"
. "$src/bench/lib.sh"
BENCH_CONCURRENT=${BENCH_CONCURRENT:-10000}
BENCH_IDLE=${BENCH_IDLE:-10}
BENCH_WINDOW=${BENCH_WINDOW:-100}
BENCH_SOURCES=${BENCH_SOURCES:-2}
for v in BENCH_CONCURRENT BENCH_IDLE BENCH_WINDOW; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "$v must be a positive integer" >&2; exit 2; }
done
[[ $BENCH_SOURCES =~ ^[12]$ ]] || { echo "BENCH_SOURCES must be 1 or 2" >&2; exit 2; }
need python3 hyco-relay hyco-pipe getconf
N=$BENCH_CONCURRENT

# --- descriptors: every process started below inherits the raised limit
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then ulimit -Sn 1048576 2>/dev/null || true; else ulimit -Sn "$hard"; fi
soft=$(ulimit -Sn)
# hyco-relay counts both WebSockets of a forwarded connection (sender and
# rendezvous) and the listener's control channel: --max-connections 2N+1,
# at most the limit minus 64 (its default is at most 4096).
relay_max=$((2 * N + 1))
[ "$relay_max" -le $((soft - 64)) ] || relay_max=$((soft - 64))
relay_fwd=$(((relay_max - 1) / 2))
if [ "$relay_fwd" -lt "$N" ]; then
    echo "warning: ulimit -n $soft: hyco-relay admits $relay_max connections, that is its listener and $relay_fwd forwarded ones (2 each): fewer than $N" >&2
fi
if [ $((2 * N + 64)) -gt "$soft" ]; then
    echo "warning: ulimit -n $soft leaves too few descriptors for $N connections in each hyco-pipe" >&2
fi

tick=$(getconf CLK_TCK)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
bg() { "$@" & pids+=($!); last_pid=$!; }
tails() { # the last lines of each hyco process's stderr
    local f
    for f in relay local remote; do
        echo "--- $f stderr (last 15 lines):" >&2
        tail -n 15 "$tmp/$f.err" >&2 2>/dev/null || true
    done
}

# --- echo server: one asyncio process, echoes until EOF, then closes
cat >"$tmp/echo.py" <<'PY'
import asyncio, sys
class Echo(asyncio.Protocol):
    def connection_made(self, t):
        self.t = t
    def data_received(self, data):
        self.t.write(data)
    def eof_received(self):
        return False  # close once the echo is written
async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, "127.0.0.1", int(sys.argv[1]), backlog=4096)
    async with srv:
        await srv.serve_forever()
asyncio.run(main())
PY
# --- client: opens N connections, WINDOW at a time, each sends a line and
# waits for its echo; prints one result line and keeps them open until
# SIGUSR1, then half-closes them all and waits for each to end.
cat >"$tmp/client.py" <<'PY'
import asyncio, collections, os, signal, sys, time
port, n, window, idle_max = (int(a) for a in sys.argv[1:5])
def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
rss0 = rss_kib()
errors = collections.Counter()
open_conns = []
class Conn(asyncio.Protocol):
    def __init__(self, loop, want):
        self.want, self.buf, self.t = want, b"", None
        self.echoed, self.ended = loop.create_future(), loop.create_future()
    def connection_made(self, t):
        self.t = t
    def data_received(self, data):
        self.buf += data
        if not self.echoed.done() and len(self.buf) >= len(self.want):
            self.echoed.set_result(self.buf[:len(self.want)] == self.want)
    def eof_received(self):
        if not self.echoed.done():
            self.echoed.set_result(None)
        if not self.ended.done():
            self.ended.set_result(True)
        return True  # keep our side; closed at the end
    def connection_lost(self, exc):
        if not self.echoed.done():
            self.echoed.set_result(None)
        if not self.ended.done():
            self.ended.set_result(exc is None)
async def main():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, stop.set)
    sem = asyncio.Semaphore(window)
    last = [0.0]
    async def one(i):
        try:
            want = b"ping %d\n" % i
            try:
                t, p = await asyncio.wait_for(
                    loop.create_connection(lambda: Conn(loop, want), "127.0.0.1", port), 30)
            except Exception as e:
                errors["connect: " + (type(e).__name__)] += 1
                return
            t.write(want)
            try:
                ok = await asyncio.wait_for(asyncio.shield(p.echoed), 30)
            except asyncio.TimeoutError:
                ok = "no echo in 30 s"
            if ok is True:
                open_conns.append(p)
                last[0] = time.monotonic()
            else:
                errors["closed before the echo" if ok is None else "wrong echo" if ok is False else ok] += 1
                t.abort()
        finally:
            sem.release()
    async def open_all():
        tasks = []
        for i in range(n):
            await sem.acquire()
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(open_all(), 60 + n / 100)
    except asyncio.TimeoutError:
        errors["open phase over %d s" % (60 + n / 100)] += 1
    t1 = last[0] or time.monotonic()
    ok = len(open_conns)
    errs = ", ".join("%s %d" % kv for kv in errors.most_common()) or "none"
    print("ok=%d secs=%.3f rate=%.1f rss0=%d pid=%d errors=%s"
          % (ok, t1 - t0, ok / (t1 - t0) if t1 > t0 else 0, rss0, os.getpid(), errs), flush=True)
    try:
        await asyncio.wait_for(stop.wait(), idle_max)
    except asyncio.TimeoutError:
        pass
    c0 = time.monotonic()
    for p in open_conns:
        p.t.write_eof()
    done, _ = await asyncio.wait([p.ended for p in open_conns], timeout=60) if open_conns else (set(), set())
    c1 = time.monotonic()
    clean = sum(1 for f in done if f.result())
    print("closed=%d of=%d secs=%.3f" % (clean, ok, c1 - c0), flush=True)
    for p in open_conns:
        p.t.abort()
asyncio.run(main())
PY

# --- hyco-relay (status public, to see when the listener is online)
hyco-relay --host 127.0.0.1 --port 0 --status-public --max-connections "$relay_max" >"$tmp/relay.out" 2>"$tmp/relay.err" &
pids+=($!)
relay=$!
for _ in $(seq 100); do [ -s "$tmp/relay.out" ] && break; sleep 0.1; done
CS=$(head -n 1 "$tmp/relay.out")
[ -n "$CS" ] || { echo "hyco-relay did not start: $(cat "$tmp/relay.err")" >&2; exit 1; }
status_url="http://127.0.0.1:$(sed -n 's/.*Endpoint=sb:\/\/[^:/]*:\([0-9]*\).*/\1/p' <<<"$CS")/\$relay/status"

echo_port=$(free_port)
bg python3 "$tmp/echo.py" "$echo_port" 2>"$tmp/echo.err"
echo_srv=$last_pid
wait_port "$echo_port" || { echo "the echo server did not start: $(cat "$tmp/echo.err")" >&2; exit 1; }
remote_source=()
[ "$BENCH_SOURCES" = 1 ] || remote_source=(--source-address 127.0.0.2)
HYCO_CONNECTION_STRING=$CS bg hyco-pipe "${remote_source[@]}" --max-connections "$N" relay-listen:conc "tcp:127.0.0.1:$echo_port" 2>"$tmp/remote.err"
pipe_remote=$last_pid
port=$(free_port)
HYCO_CONNECTION_STRING=$CS bg hyco-pipe --max-connections "$N" "tcp-listen:127.0.0.1:$port" relay-connect:conc 2>"$tmp/local.err"
pipe_local=$last_pid
wait_port "$port" || { echo "hyco-pipe tcp-listen did not start" >&2; tails; exit 1; }
# relay-listen online: the relay lists a listener on 'conc' (at most 10 s)
timeout 15 python3 - "$status_url" <<'PY' || { echo "hyco-pipe relay-listen did not come online" >&2; tails; exit 1; }
import json, sys, time, urllib.request
for _ in range(100):
    try:
        s = json.load(urllib.request.urlopen(sys.argv[1], timeout=2))
        if any(e["path"] == "conc" and e["listenerCount"] > 0 for e in s["entities"]):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
sleep 0.5  # let the status connection go
names=(relay local remote echo)
declare -A pid=([relay]=$relay [local]=$pipe_local [remote]=$pipe_remote [echo]=$echo_srv)
declare -A before open closed fd_open fd_closed cpu
declare -A opening
declare -A fd_before
for k in "${names[@]}"; do
    before[$k]=$(rss_kib "${pid[$k]}")
    opening[$k]=$(ticks "${pid[$k]}")
    fd_before[$k]=$(fds "${pid[$k]}")
done

# --- open N connections
echo "opening $N connections, $BENCH_WINDOW at a time (ulimit -n $soft)..." >&2
idle_max=$((BENCH_IDLE + 120))
bg python3 "$tmp/client.py" "$port" "$N" "$BENCH_WINDOW" "$idle_max" >"$tmp/client.out" 2>"$tmp/client.err"
client_py=$last_pid
bound=$((90 + N / 100))  # the client's own open deadline is 60 + N/100 s
for ((i = 0; i < bound * 10; i++)); do
    grep -q '^ok=' "$tmp/client.out" 2>/dev/null && break
    kill -0 "$client_py" 2>/dev/null || break
    sleep 0.1
done
result=$(grep '^ok=' "$tmp/client.out" 2>/dev/null || true)
field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" <<<"$result"; }
ok=$(field ok)
if [ "${ok:-0}" != "$N" ]; then
    echo "FAILED: ${ok:-0} of $N connections echoed" >&2
    if [ -n "$result" ]; then
        echo "client: errors: ${result#*errors=}" >&2
    else
        echo "client gave no result in $bound s:" >&2
        tail -n 15 "$tmp/client.err" >&2
    fi
    for k in relay local remote; do kill -0 "${pid[$k]}" 2>/dev/null || echo "$k: not running any more" >&2; done
    tails
    exit 1
fi
open_secs=$(field secs) rate=$(field rate)
pid[client]=$(field pid)
before[client]=$(field rss0)
opening[client]=0
names+=(client)
for k in "${names[@]}"; do  # CPU seconds spent while opening
    opening[$k]=$(awk -v a="${opening[$k]}" -v b="$(ticks "${pid[$k]}")" -v t="$tick" 'BEGIN { printf "%.2f", (b - a) / t }')
done

# --- idle, all open
sleep 1
declare -A t0
for k in "${names[@]}"; do t0[$k]=$(ticks "${pid[$k]}"); done
s0=$(now)
sleep "$BENCH_IDLE"
s1=$(now)
for k in "${names[@]}"; do
    cpu[$k]=$(awk -v a="${t0[$k]}" -v b="$(ticks "${pid[$k]}")" -v t="$tick" -v s="$s0" -v e="$s1" \
        'BEGIN { printf "%.2f", (b - a) / t / (e - s) * 100 }')
    open[$k]=$(rss_kib "${pid[$k]}")
    fd_open[$k]=$(fds "${pid[$k]}")
done

# --- close: every client half-closes and waits for the end to come back
kill -USR1 "${pid[client]}"
for ((i = 0; i < 700; i++)); do
    grep -q '^closed=' "$tmp/client.out" 2>/dev/null && break
    kill -0 "${pid[client]}" 2>/dev/null || break
    sleep 0.1
done
closing=$(grep '^closed=' "$tmp/client.out" 2>/dev/null || echo "closed=? of=$N secs=?")
# The client saw every end come back; the chain behind it may still be
# closing. How long until each process holds no more descriptors than
# before the first connection (at most 30 s)?
c_start=$(now) teardown=""
for ((i = 0; i < 300; i++)); do
    left=0
    for k in relay local remote echo; do
        [ "$(fds "${pid[$k]}")" -le "${fd_before[$k]}" ] || left=1
    done
    if [ "$left" = 0 ]; then teardown=$(awk -v a="$c_start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'); break; fi
    sleep 0.1
done
for k in relay local remote echo; do
    closed[$k]=$(rss_kib "${pid[$k]}")
    fd_closed[$k]=$(fds "${pid[$k]}")
done
closed[client]=- fd_closed[client]=-
alive=() dead=()
for k in relay local remote echo; do
    if kill -0 "${pid[$k]}" 2>/dev/null; then alive+=("$k"); else dead+=("$k"); fi
done

mib() { [[ $1 =~ ^[0-9]+$ ]] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo "$1"; }
label() {
    case $1 in
    relay) echo "hyco-relay" ;;
    local) echo "hyco-pipe tcp-listen -> relay-connect" ;;
    remote) echo "hyco-pipe relay-listen -> tcp" ;;
    echo) echo "python echo server (context)" ;;
    client) echo "python client (context)" ;;
    esac
}
# shellcheck disable=SC2001
read -r c_n c_of c_secs <<<"$(sed 's/closed=\([^ ]*\) of=\([^ ]*\) secs=\([^ ]*\)/\1 \2 \3/' <<<"$closing")"
echo "$N concurrent connections through hyco-pipe -> hyco-relay -> hyco-pipe, $BENCH_WINDOW opening at a time"
if [ "$BENCH_SOURCES" = 1 ]; then echo "both hyco-pipes connect to the relay from 127.0.0.1 (BENCH_SOURCES=1)"
else echo "relay-listen connects to the relay from 127.0.0.2, tcp-listen from 127.0.0.1 (as two hosts would)"; fi
machine
echo "opened: $N echoed in $open_secs s, $rate conn/s (first connect to last echo)"
printf '%-38s %8s %8s %8s %8s %8s %8s %7s %7s\n' "process" "opening" "idle CPU" "RSS MiB" "open" "closed" "KiB/conn" "fds" "fds"
printf '%-38s %8s %8s %8s %8s %8s %8s %7s %7s\n' "" "CPU s" "% core" "before" "" "" "" "open" "closed"
for k in "${names[@]}"; do
    printf '%-38s %8s %8s %8s %8s %8s %8s %7s %7s\n' "$(label "$k")" "${opening[$k]}" "${cpu[$k]}" "$(mib "${before[$k]}")" \
        "$(mib "${open[$k]}")" "$(mib "${closed[$k]}")" \
        "$(awk -v a="${before[$k]}" -v b="${open[$k]}" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n }')" \
        "${fd_open[$k]}" "${fd_closed[$k]}"
done
echo "idle over ${BENCH_IDLE} s; closed: $c_n of $c_of ended cleanly both ways in $c_secs s (half-close from the client)"
if [ -n "$teardown" ]; then
    echo "every process was back to its descriptors before the first connection $teardown s after that"
else
    echo "30 s after that, some process still held more descriptors than before the first connection (column fds closed)"
fi
if [ ${#dead[@]} -eq 0 ]; then echo "after the close every process is alive"; else echo "after the close NOT running: ${dead[*]}"; fi
