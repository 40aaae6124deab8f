# Sourced by the demo and the benchmarks: a private temp dir in $tmp, and the
# background processes a script lists in pids=(), stopped (TERM, then KILL
# after 5 s) with the dir removed however the script ends.
# Usage: . "$src/scripts/lib/procs.sh" NAME
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hyco-$1.XXXXXX")
pids=()
_procs_alive() { local p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
_procs_cleanup() {
    local p i
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for ((i = 0; i < 50; i++)); do _procs_alive || break; sleep 0.1; done
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap _procs_cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE  # output closed: still clean up
