#!/usr/bin/env bash
# HTTP relaying benchmark, one run on this machine (loopback only). Prints:
#  - MB/s for one MIB MiB download (default 1024) through curl -> hyco-relay
#    (HTTP) -> hyco-pipe relay-listen -> tcp -> a local python origin, next to
#    the same download from the origin directly, the ratio, and whether the
#    relayed body has the file's SHA-256;
#  - MB/s for one MIB/4 MiB upload (POST, at least 1 MiB) to an origin that
#    discards the body, relayed and direct;
#  - requests per second for REQUESTS (default 2000) 1 KiB GETs, 8 curl
#    processes at a time, each reusing its connection, relayed and direct;
#  - requests per second for the same GETs to the origin with a new
#    connection for each, as hyco-pipe makes them;
#  - CPU seconds hyco-relay, hyco-pipe and the origin spent in each relayed
#    run, and how many connections curl opened;
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
. "$src/scripts/lib/procs.sh" bench
for tool in curl python3 hyco-relay hyco-pipe hyco-token; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

now() { date +%s.%N; }
rate() { awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", m * 1.048576 / (b - a) }'; }  # MiB over seconds -> MB/s
per_s() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
ratio() { awk -v r="$1" -v d="$2" 'BEGIN { if (d > 0) printf "%.2f", r / d; else print "?" }'; }
hwm() { awk '/^VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
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
tick=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu() { awk -v t="$tick" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
mark() { c0=("$(cpu "$relay")" "$(cpu "$pipe")" "$(cpu "$origin")"); }
spent() {
    awk -v a="${c0[0]}" -v b="${c0[1]}" -v c="${c0[2]}" -v x="$(cpu "$relay")" -v y="$(cpu "$pipe")" -v z="$(cpu "$origin")" \
        'BEGIN { printf "%.2f/%.2f/%.2f", x - a, y - b, z - c }'
}

# --- 1. one large download, written to a file (both ways), checked after
t0=$(now)
code=$(fetch "$DIRECT/files/big" "$tmp/got.bin")
t1=$(now)
[ "$code" = 200 ] || die "direct download: $code"
down_direct=$(rate "$MIB" "$t0" "$t1")
rm -f "$tmp/got.bin"
mark
t0=$(now)
code=$(fetch "$RELAYED/files/big" "$tmp/got.bin" -H "$auth")
t1=$(now)
down_cpu=$(spent)
down_relayed=$(rate "$MIB" "$t0" "$t1")
down_ok=ok
[ "$code" = 200 ] || down_ok="MISMATCH (HTTP $code)"
[ "$down_ok" != ok ] || [ "$(sha256sum "$tmp/got.bin" | cut -d' ' -f1)" = "$want" ] || down_ok=MISMATCH
rm -f "$tmp/got.bin"

# --- 2. one large upload to the discarding origin (no Expect: 100-continue)
up_bytes=$((UP_MIB * 1048576))
post() { fetch "$1" "$tmp/post.out" -X POST -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$tmp/up.bin" "${@:2}"; }
t0=$(now)
code=$(post "$DIRECT/sink")
t1=$(now)
if [ "$code" != 200 ] || [ "$(cat "$tmp/post.out")" != "$up_bytes" ]; then
    die "direct upload: $code $(head -c 200 "$tmp/post.out")"
fi
up_direct=$(rate "$UP_MIB" "$t0" "$t1")
mark
t0=$(now)
code=$(post "$RELAYED/sink" -H "$auth")
t1=$(now)
up_cpu=$(spent)
up_relayed=$(rate "$UP_MIB" "$t0" "$t1")
up_ok="origin got all"
[ "$code" = 200 ] && [ "$(cat "$tmp/post.out")" = "$up_bytes" ] ||
    up_ok="MISMATCH (HTTP $code, origin counted $(head -c 40 "$tmp/post.out" | tr -d '\n'))"

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
t0=$(now)
read -r ok_direct conn_direct < <(burst "$DIRECT")
t1=$(now)
rps_direct=$(per_s "$ok_direct" "$t0" "$t1")
mark
t0=$(now)
read -r ok_relayed conn_relayed < <(burst "$RELAYED" "$auth")
t1=$(now)
rps_cpu=$(spent)
rps_relayed=$(per_s "$ok_relayed" "$t0" "$t1")
# hyco-pipe opens a TCP connection to the origin for each request: the same
# against the origin directly, with a new connection for each request.
mark
t0=$(now)
read -r ok_close conn_close < <(burst "$DIRECT" "Connection: close")
t1=$(now)
close_cpu=$(spent)
rps_close=$(per_s "$ok_close" "$t0" "$t1")

# --- figures (peak RSS read while the processes still run)
relay_rss=$(hwm "$relay")
pipe_rss=$(hwm "$pipe")
origin_rss=$(hwm "$origin")
kill -0 "$relay" 2>/dev/null || echo "note: hyco-relay is no longer running" >&2
kill -0 "$pipe" 2>/dev/null || echo "note: hyco-pipe is no longer running" >&2
row() { printf '%-40s %9s %9s %6s  %-17s %s\n' "$@"; }
row "HTTP, one run (load avg $(cut -d" " -f1 /proc/loadavg))" relayed direct ratio "CPU s, relayed" check
row "" "" "" "" "relay/pipe/origin" ""  # (CPU s of the direct run in parentheses)
row "download ${MIB} MiB (GET), MB/s" "$down_relayed" "$down_direct" "$(ratio "$down_relayed" "$down_direct")" \
    "$down_cpu" "sha256 $down_ok"
row "upload ${UP_MIB} MiB (POST, discarded), MB/s" "$up_relayed" "$up_direct" "$(ratio "$up_relayed" "$up_direct")" \
    "$up_cpu" "$up_ok"
row "${REQUESTS} GETs of 1 KiB, ${CLIENTS} clients, req/s" "$rps_relayed" "$rps_direct" "$(ratio "$rps_relayed" "$rps_direct")" \
    "$rps_cpu" "200 OK: $ok_relayed, $ok_direct; connections: $conn_relayed, $conn_direct"
row "  same, direct with Connection: close" "" "$rps_close" "$(ratio "$rps_relayed" "$rps_close")" \
    "($close_cpu)" "200 OK: $ok_close; connections: $conn_close"
echo "peak RSS: hyco-relay $relay_rss, hyco-pipe relay-listen $pipe_rss, python origin $origin_rss"
errs=$(cat "$tmp/pipe.err" "$tmp/relay.err" | grep -ciE 'error|fail' || true)
[ "$errs" = 0 ] || { echo "note: $errs error lines in the hyco-pipe/hyco-relay logs; the last:" >&2; grep -hiE 'error|fail' "$tmp/pipe.err" "$tmp/relay.err" | tail -n 5 >&2; }
