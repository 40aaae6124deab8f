#!/usr/bin/env bash
# README.md runs verbatim: every ```sh block is executed, in order, against a
# local hyco-relay. The README's conventions:
# - a block whose first line is "# doc-test: skip (why)" is not run (builds, installs);
# - a line whose comment says "(server)" keeps running: it is started in the
#   background and the next line runs once it serves (a listener is online on
#   the relay, or its TCP port accepts); a server line with --once must end
#   by itself before the block ends, with status 0.
# Each block runs in a fresh `bash -e -o pipefail` in one work directory that
# holds cs.txt (the relay's connection string with EntityPath=hyco, as a
# reader would have from the portal), with stdin a pipe that never ends (like
# an idle terminal, so a command that reads its terminal hangs and fails the
# test), in a process group of its own that is stopped when the block ends.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start
W=$T/work
mkdir -p "$W"
(umask 077 && printf '%s;EntityPath=hyco\n' "$HYCO_CONNECTION_STRING" >"$W/cs.txt")
mkfifo "$T/tty"
exec 7<>"$T/tty"

python3 - "$HYCO_SOURCE_DIR/README.md" "$T" <<'PY'
import re, shlex, sys
readme, out = sys.argv[1], sys.argv[2]
blocks, cur = [], None
for line in open(readme):
    if cur is None and line.rstrip() == "```sh":
        cur = []
    elif cur is not None and line.rstrip() == "```":
        blocks.append(cur)
        cur = None
    elif cur is not None:
        cur.append(line.rstrip("\n"))
n = 0
for b in blocks:
    if b and b[0].startswith("# doc-test: skip"):
        continue
    n += 1
    logical, acc = [], ""
    for line in b:
        acc += line + "\n"
        if not line.endswith("\\"):
            logical.append(acc.rstrip("\n"))
            acc = ""
    script = ["set -eo pipefail", ". \"$DOC_HELPERS\"", "cd \"$DOC_WORK\""]
    for l in logical:
        m = re.search(r"\s+#[^'\"]*\(server\)[^'\"]*$", l)
        if m:
            cmd = l[: m.start()]
            # <&0: as in an interactive shell, a background job keeps the terminal
            # (bash would give it /dev/null); the command's own redirections win.
            script.append(cmd + " <&0 &")
            script.append("doc_server $! " + shlex.quote(cmd))
        else:
            script.append(l)
    script.append("doc_end")
    open(f"{out}/block{n}.sh", "w").write("\n".join(script) + "\n")
    open(f"{out}/block{n}.txt", "w").write("\n".join(b) + "\n")
print(n, file=open(f"{out}/blocks", "w"))
PY

cat >"$T/helpers.sh" <<'EOF2'
# Sourced by every block script (see tests/e2e/readme_examples.sh).
doc_once_pids=()
doc_entities=()
# listeners ENTITY: the relay's ListenerCount for ENTITY (runtime information).
doc_listeners() {
    curl -s -H "Authorization: $(hyco-token create -x @cs.txt -p "$1")" \
        "http://127.0.0.1:$DOC_RELAY_PORT/$1?api-version=2016-07" |
        sed -n 's/.*<ListenerCount>\([0-9]*\)<.*/\1/p'
}
# doc_server PID COMMAND: waits (at most 10 s) until the server serves.
doc_server() {
    local pid=$1 cmd=$2 i entity=""
    case "$cmd" in *--once*|*" -1 "*) doc_once_pids+=("$pid") ;; esac
    if [[ ! $cmd =~ tcp-listen:([0-9.]+):([0-9]+) ]]; then
        entity=hyco
        [[ $cmd =~ relay-listen:([A-Za-z0-9_-]+) ]] && entity=${BASH_REMATCH[1]}
        doc_entities+=("$entity")
    fi
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || { echo "readme: server exited: $cmd" >&2; return 1; }
        if [ -z "$entity" ]; then
            [[ $cmd =~ tcp-listen:([0-9.]+):([0-9]+) ]]
            (exec 3<>"/dev/tcp/${BASH_REMATCH[1]}/${BASH_REMATCH[2]}") 2>/dev/null && return 0
        elif [ "$(doc_listeners "$entity")" = 1 ]; then
            return 0
        fi
        sleep 0.1
    done
    echo "readme: server did not start serving within 10 s: $cmd" >&2
    return 1
}
# doc_end: --once servers end by themselves, with status 0.
doc_end() {
    local pid i rc
    for pid in "${doc_once_pids[@]}"; do
        for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" = 0 ] || { echo "readme: a --once server exited $rc" >&2; return 1; }
    done
}
EOF2

n=$(cat "$T/blocks")
[ "$n" -ge 6 ] || fail "only $n runnable blocks found in README.md"
stop_group() {  # PGID: TERM the group, then wait (bounded) until it is gone
    local i
    kill -TERM -- "-$1" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL -- "-$1" 2>/dev/null || true
}
for ((b = 1; b <= n; b++)); do
    DOC_HELPERS=$T/helpers.sh DOC_WORK=$W DOC_RELAY_PORT=$HYCO_RELAY_PORT \
        env -u HYCO_CONNECTION_STRING setsid bash "$T/block$b.sh" <&7 >"$T/block$b.out" 2>"$T/block$b.err" &
    pid=$!
    on_exit "stop_group $pid"
    rc=0
    wait_rc=0
    for ((i = 0; i < 600; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { stop_group "$pid"; fail "README block $b did not finish within 60 s: $(cat "$T/block$b.txt")"; }
    wait "$pid" || rc=$?
    stop_group "$pid"
    [ "$rc" = 0 ] || fail "README block $b exited $rc:
$(cat "$T/block$b.txt")
--- stderr:
$(tail -n 20 "$T/block$b.err")"
    if grep -q 'error:' "$T/block$b.err"; then
        # Errors a block expects say so in its own text (e.g. 'echo "exit $?"').
        grep -q 'exit \$?' "$T/block$b.txt" || fail "README block $b printed an error: $(grep 'error:' "$T/block$b.err" | head -3)"
    fi
    # The block's listeners are gone before the next one starts.
    for e in hyco db web; do
        for ((i = 0; i < 100; i++)); do
            count=$(DOC_RELAY_PORT=$HYCO_RELAY_PORT bash -c ". '$T/helpers.sh'; cd '$W'; doc_listeners $e")
            [ "${count:-0}" = 0 ] && break  # an entity never used has no count
            sleep 0.1
        done
    done
    echo "ok: README block $b"
done
# What the blocks produced is what the README says.
grep -qx HELLO "$T/block1.out" || fail "the first example did not print HELLO: $(cat "$T/block1.out")"
tar tf "$W/backup.tar" | grep -q 'os-release' || fail "backup.tar does not hold what was sent"
pass "every README example runs ($n blocks)"
