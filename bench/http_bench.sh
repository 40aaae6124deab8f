#!/usr/bin/env bash
# HTTP relaying benchmark on this machine (loopback only), in interleaved
# rounds (BENCH_REPEATS, default 3: each round runs every path once, so a
# load change hits all of them alike). Prints min/median/max and ratios of:
#  - MB/s for a MIB MiB download (default 1024) through curl -> hyco-relay
#    (HTTP) -> hyco-pipe relay-listen -> tcp -> a local python origin; the
#    same download from the origin directly; and through two socat -b 262144
#    forwarders in a chain (curl -> socat -> socat -> origin), as many hops
#    as relaying adds (hyco-relay, hyco-pipe): what any relay of that shape
#    reaches here. Every relayed body is checked against the file's SHA-256;
#  - MB/s for a MIB/4 MiB upload (POST, at least 1 MiB) to an origin that
#    discards the body and answers how many bytes it got, the same three ways;
#  - requests per second for REQUESTS (default 2000) 1 KiB GETs, 8 curl
#    processes at a time, each reusing its connection, relayed and direct,
#    and direct with a new connection for each (as hyco-pipe makes them);
#  - CPU seconds hyco-relay, hyco-pipe and the origin spent in the last
#    round's relayed runs, and how many connections curl opened;
#  - peak RSS (VmHWM) of hyco-relay, hyco-pipe and the origin.
# Figures only, no limits.
# Usage: HYCO_BIN=build-rel/tools bench/http_bench.sh [MIB=1024] [REQUESTS=2000]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${HYCO_BIN:-$src/build/tools}
export PATH="$bin:$PATH"
MIB=${1:-1024}
REQUESTS=${2:-2000}
[[ $MIB =~ ^[1-9][0-9]*$ && $REQUESTS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [MIB] [REQUESTS]" >&2; exit 2; }
UP_MIB=$(((MIB + 3) / 4))
CLIENTS=8
. "$src/bench/lib.sh"
need curl python3 socat hyco-relay hyco-pipe hyco-token

rate() { awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", m * 1.048576 / (b - a) }'; }  # MiB over seconds -> MB/s
die() { echo "$*" >&2; exit 1; }

echo "preparing ${MIB} MiB download and ${UP_MIB} MiB upload of random bytes..." >&2
mkdir "$tmp/www"
head -c $((MIB * 1048576)) /dev/urandom >"$tmp/www/big"
head -c $((UP_MIB * 1048576)) /dev/urandom >"$tmp/up.bin"
head -c 1024 /dev/urandom >"$tmp/www/small"
want=$(sha256sum "$tmp/www/big" | cut -d' ' -f1)
timeout 60 sync || true  # so that writing back these files does not slow the first figure

# --- origin: HTTP/1.1 with keep-alive. GET /files/NAME serves NAME with
# sendfile; POST|PUT /sink reads and discards the body (Content-Length or
# chunked) and answers how many bytes it got.
cat >"$tmp/origin.py" <<'PY'
import http.server, os, sys
ROOT = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms stalls between head and body on kept-alive connections
    def log_message(self, *args):
        pass
    def reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        name = os.path.join(ROOT, os.path.basename(self.path))
        if not self.path.startswith("/files/") or not os.path.isfile(name):
            return self.reply(404, b"no such file\n")
        with open(name, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if size:
                self.connection.sendfile(f)
    def discard(self, n, buf):
        while n > 0:
            got = self.rfile.readinto(buf[:min(n, len(buf))])
            if not got:
                raise ConnectionError("body cut short")
            n -= got
    def do_POST(self):
        buf, total = memoryview(bytearray(1 << 20)), 0
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                self.discard(size, buf)
                self.rfile.readline()
                total += size
        else:
            total = int(self.headers.get("Content-Length", "0"))
            self.discard(total, buf)
        self.reply(200, b"%d\n" % total)
    do_PUT = do_POST
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256
server = Server(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$tmp/origin.py" "$tmp/www" >"$tmp/origin.out" 2>"$tmp/origin.err" &
origin=$!
pids+=("$origin")
for _ in $(seq 100); do grep -q '^port ' "$tmp/origin.out" && break; sleep 0.1; done
origin_port=$(sed -nE 's/^port ([0-9]+)/\1/p' "$tmp/origin.out")
[ -n "$origin_port" ] || die "the origin did not start: $(cat "$tmp/origin.err")"
DIRECT=http://127.0.0.1:$origin_port

# --- two socat forwarders in a chain to the origin: the hops relaying adds
hop1=$(free_port) hop2=$(free_port)
socat -b 262144 "TCP-LISTEN:$hop2,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$origin_port" 2>/dev/null &
pids+=($!)
socat -b 262144 "TCP-LISTEN:$hop1,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$hop2" 2>/dev/null &
pids+=($!)
HOPS=http://127.0.0.1:$hop1
for _ in $(seq 100); do curl -s -o /dev/null --max-time 2 "$HOPS/files/small" && break; sleep 0.1; done

# --- hyco-relay, and hyco-pipe publishing the origin as entity 'web'
: >"$tmp/relay.out"
hyco-relay --host 127.0.0.1 --port 0 >"$tmp/relay.out" 2>"$tmp/relay.err" &
relay=$!
pids+=("$relay")
for _ in $(seq 100); do [ "$(wc -l <"$tmp/relay.out")" -ge 1 ] && break; sleep 0.1; done
CS=$(head -n 1 "$tmp/relay.out")
[ -n "$CS" ] || die "hyco-relay printed no connection string: $(cat "$tmp/relay.err")"
relay_port=$(printf '%s\n' "$CS" | sed -E 's|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|')
export HYCO_CONNECTION_STRING=$CS
RELAYED=http://127.0.0.1:$relay_port/web
TOKEN=$(hyco-token create -x "$CS" -p web)
auth="ServiceBusAuthorization: $TOKEN"

hyco-pipe relay-listen:web "tcp:127.0.0.1:$origin_port" 2>"$tmp/pipe.err" &
pipe=$!
pids+=("$pipe")
# Online once a request reaches the origin (bounded: 10 s). Each probe uses
# a new path: hyco-relay creates an entity named by the whole path of a
# request nobody listens for yet, and later requests to that very path would
# go to it rather than to 'web'.
for i in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "$auth" "$RELAYED/probe/$i" || true)" = 404 ] && break
    kill -0 "$pipe" 2>/dev/null || die "hyco-pipe died: $(cat "$tmp/pipe.err")"
    sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "$auth" "$RELAYED/files/small" || true)" = 200 ] ||
    die "no answer through the relay: $(tail -n 5 "$tmp/pipe.err")"

# fetch URL OUT [curl args]: one transfer (bounded: 120 s), prints the status
fetch() {
    local url=$1 out=$2
    shift 2
    curl -sS --max-time 120 -o "$out" -w '%{http_code}' "$@" "$url" || echo "curl-exit-$?"
}

# CPU seconds (user + system) the relay, the pipe and the origin spend in a
# phase: mark before it, spent after it prints "relay/pipe/origin".
mark() { c0=("$(cpu_pid "$relay")" "$(cpu_pid "$pipe")" "$(cpu_pid "$origin")"); }
spent() {
    awk -v a="${c0[0]}" -v b="${c0[1]}" -v c="${c0[2]}" -v x="$(cpu_pid "$relay")" -v y="$(cpu_pid "$pipe")" -v z="$(cpu_pid "$origin")" \
        'BEGIN { printf "%.2f/%.2f/%.2f", x - a, y - b, z - c }'
}

# --- large transfers. download NAME URL [curl args]: one GET written to a
# file, recorded as MB/s once the body has the file's SHA-256.
download() {
    local name=$1 url=$2 code t0 t1
    shift 2
    rm -f "$tmp/got.bin"
    t0=$(now)
    code=$(fetch "$url/files/big" "$tmp/got.bin" "$@")
    t1=$(now)
    if [ "$code" != 200 ] || [ "$(sha256sum "$tmp/got.bin" | cut -d' ' -f1)" != "$want" ]; then
        echo "download $name: HTTP $code or a body without the file's SHA-256" >&2
        record "bad-down-$name" 1
    else
        record "down-$name" "$(rate "$MIB" "$t0" "$t1")"
    fi
    rm -f "$tmp/got.bin"
}
# upload NAME URL [curl args]: one POST to the discarding origin (no Expect:
# 100-continue), recorded as MB/s once the origin counted every byte.
up_bytes=$((UP_MIB * 1048576))
upload() {
    local name=$1 url=$2 code t0 t1
    shift 2
    t0=$(now)
    code=$(fetch "$url/sink" "$tmp/post.out" -X POST -H 'Expect:' -H 'Content-Type: application/octet-stream' \
        -T "$tmp/up.bin" "$@")
    t1=$(now)
    if [ "$code" != 200 ] || [ "$(cat "$tmp/post.out")" != "$up_bytes" ]; then
        echo "upload $name: HTTP $code, the origin counted $(head -c 40 "$tmp/post.out" | tr -d '\n')" >&2
        record "bad-up-$name" 1
    else
        record "up-$name" "$(rate "$UP_MIB" "$t0" "$t1")"
    fi
}

# --- 3. small GETs: CLIENTS curl processes at once, each fetching its share
# of the REQUESTS URLs in turn, over one connection while the server keeps it.
# burst BASE [HEADER...]: prints how many answered 200 and how many
# connections curl opened (bounded: 120 s)
burst() {
    local base=$1 i j n h
    shift
    rm -f "$tmp"/urls.* "$tmp"/codes.*
    for ((i = 0; i < CLIENTS; i++)); do
        n=$(((REQUESTS + CLIENTS - 1 - i) / CLIENTS))
        {
            for h in "$@"; do printf 'header = "%s"\n' "$h"; done
            for ((j = 0; j < n; j++)); do printf 'url = "%s/files/small"\noutput = "/dev/null"\n' "$base"; done
        } >"$tmp/urls.$i"
    done
    # shellcheck disable=SC2016 # $1 and $2 are for the inner sh
    seq 0 $((CLIENTS - 1)) |
        timeout 120 xargs -P "$CLIENTS" -I{} sh -c 'curl -s --max-time 60 -w "%{http_code} %{num_connects}\n" -K "$1/urls.$2" >"$1/codes.$2" || true' \
            sh "$tmp" {} || true
    cat "$tmp"/codes.* 2>/dev/null | awk '$1 == 200 { ok++ } { c += $2 } END { print ok + 0, c + 0 }'
}
# gets NAME BASE [HEADER...]: one burst, recorded as requests per second when
# every request got 200; the connection count of the last burst is kept.
gets() {
    local name=$1 t0 t1 ok conns
    shift
    t0=$(now)
    read -r ok conns < <(burst "$@")
    t1=$(now)
    echo "$conns" >"$tmp/conns-$name"
    if [ "$ok" = "$REQUESTS" ]; then record "get-$name" "$(per_s "$ok" "$t0" "$t1")"
    else echo "GETs $name: $ok of $REQUESTS answered 200" >&2; record "bad-get-$name" 1; fi
}

for ((round = 1; round <= BENCH_REPEATS; round++)); do
    echo "round $round of $BENCH_REPEATS" >&2
    download direct "$DIRECT"
    download hops "$HOPS"
    mark
    download relayed "$RELAYED" -H "$auth"
    down_cpu=$(spent)
    upload direct "$DIRECT"
    upload hops "$HOPS"
    mark
    upload relayed "$RELAYED" -H "$auth"
    up_cpu=$(spent)
    gets direct "$DIRECT"
    # hyco-pipe opens a TCP connection to the origin for each request: the
    # same against the origin directly, with a new connection for each.
    gets close "$DIRECT" "Connection: close"
    mark
    gets relayed "$RELAYED" "$auth"
    get_cpu=$(spent)
done

# --- figures (peak RSS read while the processes still run)
relay_rss="$(peak_pid "$relay") MiB"
pipe_rss="$(peak_pid "$pipe") MiB"
origin_rss="$(peak_pid "$origin") MiB"
kill -0 "$relay" 2>/dev/null || echo "note: hyco-relay is no longer running" >&2
kill -0 "$pipe" 2>/dev/null || echo "note: hyco-pipe is no longer running" >&2
echo "HTTP: ${MIB} MiB downloads, ${UP_MIB} MiB uploads, ${REQUESTS} GETs of 1 KiB by ${CLIENTS} clients; $BENCH_REPEATS interleaved rounds"
machine
printf '%-44s %9s %9s %9s  %7s %7s  %s\n' "" min median max "/direct" "/2 hops" "CPU s relay/pipe/origin (last round)"
row "download (GET), MB/s: direct" down-direct down-direct down-hops
row "  through two socat hops" down-hops down-direct down-hops
row "  relayed" down-relayed down-direct down-hops "$down_cpu"
row "upload (POST, discarded), MB/s: direct" up-direct up-direct up-hops
row "  through two socat hops" up-hops up-direct up-hops
row "  relayed" up-relayed up-direct up-hops "$up_cpu"
row "small GETs, req/s: direct, kept alive" get-direct get-direct
row "  direct, Connection: close" get-close get-direct
row "  relayed" get-relayed get-direct "" "$get_cpu; /close $(ratio get-relayed get-close)"
echo "connections curl opened (last round): direct $(cat "$tmp/conns-direct"), Connection: close $(cat "$tmp/conns-close"), relayed $(cat "$tmp/conns-relayed")"
echo "peak RSS: hyco-relay $relay_rss, hyco-pipe relay-listen $pipe_rss, python origin $origin_rss"
if grep -q '^bad-' "$tmp/results" 2>/dev/null; then echo "FAILED: $(awk '/^bad-/{print substr($1, 5)}' "$tmp/results" | sort -u | xargs)"
else echo "every download had the file's SHA-256, the origin counted every uploaded byte, every GET got 200"; fi
errs=$(cat "$tmp/pipe.err" "$tmp/relay.err" | grep -ciE 'error|fail' || true)
[ "$errs" = 0 ] || { echo "note: $errs error lines in the hyco-pipe/hyco-relay logs; the last:" >&2; grep -hiE 'error|fail' "$tmp/pipe.err" "$tmp/relay.err" | tail -n 5 >&2; }
