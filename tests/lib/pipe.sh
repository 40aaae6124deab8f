# Helpers for hyco-pipe scenarios (source after common.sh):
#   pipe_server NAME ARGS...   starts `hyco-pipe -v ARGS...` in the background,
#                              waits (bounded) for its "listening on" line and
#                              sets PIPE_PORT (tcp-listen:0) and PIPE_PID;
#                              stderr goes to $T/NAME.err; killed on exit.
#   free_port                  prints a TCP port nobody listens on (now).
#   refuse_port                sets REFUSED_PORT: a port that refuses
#                              connections for the whole test (held bound,
#                              never listening, so no later bind(0) gets it).
#   sha FILE                   the file's SHA-256.
pipe_server() {
    local name=$1 i
    shift
    : >"$T/$name.err"  # not left to the background redirection: a reused NAME would race
    hyco-pipe -v "$@" 2>"$T/$name.err" &
    PIPE_PID=$!
    on_exit "hyco_stop_pid $PIPE_PID"
    for ((i = 0; i < 100; i++)); do
        grep -q "listening on" "$T/$name.err" 2>/dev/null && break
        kill -0 "$PIPE_PID" 2>/dev/null || fail "hyco-pipe $* died: $(cat "$T/$name.err")"
        sleep 0.1
    done
    grep -q "listening on" "$T/$name.err" || fail "hyco-pipe $* is not listening: $(cat "$T/$name.err")"
    PIPE_PORT=$(sed -nE 's/.*listening on [^ ]*:([0-9]+) .*/\1/p' "$T/$name.err" | head -n 1)
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

refuse_port() {
    local f="$T/refused.$$.$RANDOM" i
    python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True); time.sleep(3600)' >"$f" &
    on_exit "hyco_stop_pid $!"
    for ((i = 0; i < 100; i++)); do [ -s "$f" ] && break; sleep 0.05; done
    REFUSED_PORT=$(cat "$f")
    [ -n "$REFUSED_PORT" ] || fail "refuse_port: no port"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
