# Sourced by the bench/ scripts: sizes and repeats from the environment,
# free ports, peak RSS of a finished process, and min/median/max of repeats.
# Figures only: nothing here judges a result.
#   BENCH_BYTES    bytes per transfer (default 1 GiB)
#   BENCH_REPEATS  interleaved rounds (default 3)
#   BENCH_CONNS    short connections per round (default 300)
#   BENCH_SECONDS  seconds of handshakes per round (default 4)
#   BENCH_RUNS     program starts per round (default 200)
BENCH_BYTES=${BENCH_BYTES:-1073741824}
BENCH_REPEATS=${BENCH_REPEATS:-3}
BENCH_CONNS=${BENCH_CONNS:-300}
BENCH_SECONDS=${BENCH_SECONDS:-4}
BENCH_RUNS=${BENCH_RUNS:-200}
for v in BENCH_BYTES BENCH_REPEATS BENCH_CONNS BENCH_SECONDS BENCH_RUNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "$v must be a positive integer" >&2; exit 2; }
done
# Received files live in memory when it can, so the disk is not what is measured.
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
. "$src/scripts/lib/procs.sh" bench

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_port PORT: something listens on it (read from /proc: no probe
# connection, which a one-shot server would take for its client).
wait_port() {
    local hex
    hex=$(printf ':%04X$' "$1")
    for _ in $(seq 200); do
        awk -v p="$hex" '$2 ~ p && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
now() { date +%s.%N; }
have() { command -v "$1" >/dev/null; }
# need TOOL...: exits 2 naming the first one missing.
need() {
    local t
    for t in "$@"; do have "$t" || { echo "$t is needed" >&2; exit 2; }; done
}

# peaked FILE cmd...: runs cmd with GNU time writing its peak RSS (KiB) to FILE.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    peaked() { local f=$1; shift; /usr/bin/time -f %M -o "$f" "$@"; }
else
    peaked() { local f=$1; shift; echo "?" >"$f"; "$@"; }
fi
# Peak RSS in MiB: of a finished process (its time file), or of a live one (VmHWM).
peak_file() { awk 'END { if ($1 ~ /^[0-9]+$/) printf "%.1f", $1 / 1024; else printf "?" }' "$1" 2>/dev/null || printf '?'; }
peak_pid() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || printf '?'; }
# Resident now, in MiB (VmRSS) and CPU seconds used so far (user + system).
rss_pid() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || printf '?'; }
# cpu_split PID...: "USER SYSTEM" CPU seconds of the processes, with their reaped children.
cpu_split() {
    local p files=()
    for p in "$@"; do [ -r "/proc/$p/stat" ] && files+=("/proc/$p/stat"); done
    [ ${#files[@]} -gt 0 ] || { echo "0 0"; return; }
    awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); u += $12 + $14; s += $13 + $15 }
        END { printf "%.2f %.2f\n", u / t, s / t }' "${files[@]}" 2>/dev/null || echo "0 0"
}
cpu_pid() { cpu_split "$1" | awk '{ printf "%.2f", $1 + $2 }'; }

# Repeats are kept as lines "NAME VALUE" in $tmp/results.
record() { echo "$1 $2" >>"$tmp/results"; }
mbps() { awk -v b="$BENCH_BYTES" -v a="$1" -v c="$2" 'BEGIN { printf "%.1f", b / (c - a) / 1e6 }'; }
per_s() { awk -v n="$1" -v a="$2" -v c="$3" 'BEGIN { printf "%.1f", n / (c - a) }'; }
# stats NAME: "min median max" of the recorded values, or "- - -".
stats() {
    local v
    v=$(awk -v k="$1" '$1 == k { print $2 }' "$tmp/results" 2>/dev/null | sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) { print "- - -"; exit }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%s %s %s", a[1], m, a[NR] }')
    echo "$v"
}
median() { stats "$1" | awk '{ print $2 }'; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else printf "-" }'; }
# row LABEL NAME [BASE1 BASE2] [EXTRA]: one line of the results table.
row() {
    local label=$1 name=$2 b1=${3:-} b2=${4:-} extra=${5:-}
    read -r lo mid hi <<<"$(stats "$name")"
    printf '%-44s %9s %9s %9s  %7s %7s  %s\n' "$label" "$lo" "$mid" "$hi" \
        "$([ -n "$b1" ] && ratio "$name" "$b1" || echo)" "$([ -n "$b2" ] && ratio "$name" "$b2" || echo)" "$extra"
}
# run_iperf: one iperf3 transfer of BENCH_BYTES over loopback, recorded as "iperf3".
run_iperf() {
    local port
    port=$(free_port)
    iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 &
    local srv=$!
    wait_port "$port" || true
    iperf3 -c 127.0.0.1 -p "$port" -n "$BENCH_BYTES" -J >"$tmp/iperf.json" 2>/dev/null || true
    kill "$srv" 2>/dev/null || true
    wait "$srv" 2>/dev/null || true
    local v
    v=$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 8e6))' \
        "$tmp/iperf.json" 2>/dev/null || true)
    [ -n "$v" ] && record iperf3 "$v"
}

machine() {
    echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
