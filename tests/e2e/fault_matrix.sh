#!/usr/bin/env bash
# The fault matrix of issue 8: "exit 0 means every byte arrived, on every
# side". Kills (-9) and interrupts (SIGINT) the sender, the listener, the
# command (-e / exec:) and the relay while a stream is in the middle, going
# up (sender -> listener) and down (listener -> sender), for
#   stdio   hyco-send -b <-> hyco-listen -b --once
#   tcp     TCP client -> hyco-pipe tcp-listen relay-connect -> relay ->
#           hyco-pipe relay-listen tcp: -> TCP server (tests/lib/tcp_peer.py)
#   listen-e  hyco-send -b <-> hyco-listen -b --once -e CMD
#   pipe-exec hyco-pipe - relay-connect <-> hyco-pipe -1 relay-listen exec:CMD
# and asserts for every trial, for every process that was not killed -9:
#   exit 0 only with a byte-identical result (SHA-256); otherwise a non-zero
#   status and exactly one "error:" line with a reason; 130 when it was the
#   one interrupted; a TCP peer of a failed hyco-pipe sees a reset, never a
#   FIN, and a FIN only with every byte. (The TCP peer of a hyco-pipe killed
#   -9 gets whatever the kernel sends, often a FIN: noted, not asserted.)
# A fault-free run per topology and direction checks the harness itself sees
# completion. Prints the table (cell -> trials, outcomes) and fails on any
# silent truncation or other violation. HYCO_FAULT_TRIALS trials per cell
# (default 3, 1 for sanitizer builds); HYCO_FAULT_ONLY=REGEX runs only the
# matching cells.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"

LIB=$HYCO_SOURCE_DIR/tests/lib
# The interpreter itself, not a wrapper on PATH (pyenv's shim costs 0.3 s a start).
PY=$(python3 -c 'import sys; print(sys.executable)')
# Three trials per cell; one with sanitizer builds, several times slower.
TRIALS=${HYCO_FAULT_TRIALS:-3}
if [ -z "${HYCO_FAULT_TRIALS:-}" ] && ldd "$(command -v hyco-send)" 2>/dev/null | grep -q libasan; then TRIALS=1; fi
ONLY=${HYCO_FAULT_ONLY:-.}
RATE=$((16 << 20))  # throttled streams: 16 MiB/s
MID=$((1 << 20))    # a fault lands once 1 MiB arrived: mid-stream, since BIG takes 3 s
BIG=$T/big
SMALL=$T/small
head -c $((48 << 20)) /dev/urandom >"$BIG"
head -c $((4 << 20)) /dev/urandom >"$SMALL"
BIG_SHA=$(sha "$BIG")
SMALL_SHA=$(sha "$SMALL")

relay_start --verbose
SHARED_CS=$HYCO_CONNECTION_STRING
SHARED_LOG=$HYCO_RELAY_LOG

# Every process of the current trial; reaped at its end (and on exit), so a
# pid is never signalled after the trial that started it.
TP=()
track() { TP+=("$1"); }
fm_reap() {
    local p
    for p in "${TP[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for p in "${TP[@]}"; do wait "$p" 2>/dev/null || true; done
    TP=()
}
hyco_cleanup_add fm_reap

size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_size FILE BYTES SECONDS
wait_size() {
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        [ "$(size "$1")" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

# A relay of the trial's own, for the cells that kill it.
private_relay() {
    local d=$1 i
    hyco-relay --host 127.0.0.1 --port 0 --verbose >"$d/relay.out" 2>"$d/relay.err" &
    R=$!
    track "$R"
    for ((i = 0; i < 200; i++)); do
        [ "$(wc -l <"$d/relay.out")" -ge 1 ] && break
        sleep 0.05
    done
    CS=$(head -n 1 "$d/relay.out")
    [ -n "$CS" ] || fail "private relay did not start: $(cat "$d/relay.err")"
    RLOG=$d/relay.err
}

listener_online() {
    local i
    for ((i = 0; i < 200; i++)); do
        grep -q "listener $E #[0-9]* ([^)]*): online" "$RLOG" && return 0
        kill -0 "$L" 2>/dev/null || break
        sleep 0.05
    done
    fail "$CELL: the listener did not come online: $(cat "$D/L.err")"
}

# Starts the cell's processes. Sets S and L (the hyco processes on the
# sending and listening side), FINAL (the file that must end up equal to
# the input) and, for tcp, the peers' report files.
launch() {
    local topo=$1 dir=$2 src=$3 rate=$4
    PEER_S="" PEER_L=""
    case "$topo/$dir" in
    stdio/up)
        FINAL=$D/L.out
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-listen -b --once </dev/null >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        mkfifo "$D/in"
        "$PY" "$LIB/throttle.py" "$src" "$rate" >"$D/in" & track $!
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-send -b --no-progress <"$D/in" >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    stdio/down)
        FINAL=$D/S.out
        mkfifo "$D/in"
        "$PY" "$LIB/throttle.py" "$src" "$rate" >"$D/in" & track $!
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-listen -b --once <"$D/in" >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-send -b --no-progress </dev/null >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    listen-e/up)
        FINAL=$D/C.out
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-listen -b --once -e "exec cat >'$D/C.out'" </dev/null \
            >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        mkfifo "$D/in"
        "$PY" "$LIB/throttle.py" "$src" "$rate" >"$D/in" & track $!
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-send -b --no-progress <"$D/in" >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    listen-e/down)
        FINAL=$D/S.out
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-listen -b --once \
            -e "exec '$PY' '$LIB/throttle.py' '$src' $rate" </dev/null >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        HYCO_CONNECTION_STRING="$CS;EntityPath=$E" hyco-send -b --no-progress </dev/null >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    pipe-exec/up)
        FINAL=$D/C.out
        HYCO_CONNECTION_STRING="$CS" hyco-pipe -1 "relay-listen:$E" "exec:exec cat >'$D/C.out'" \
            </dev/null >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        mkfifo "$D/in"
        "$PY" "$LIB/throttle.py" "$src" "$rate" >"$D/in" & track $!
        HYCO_CONNECTION_STRING="$CS" hyco-pipe - "relay-connect:$E" <"$D/in" >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    pipe-exec/down)
        FINAL=$D/S.out
        HYCO_CONNECTION_STRING="$CS" hyco-pipe -1 "relay-listen:$E" "exec:exec '$PY' '$LIB/throttle.py' '$src' $rate" \
            </dev/null >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        HYCO_CONNECTION_STRING="$CS" hyco-pipe - "relay-connect:$E" </dev/null >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S" ;;
    tcp/*)
        PEER_L=$D/server.rep PEER_S=$D/client.rep
        local server_args=(--recv "$D/server.out") client_args=(--recv "$D/client.out")
        if [ "$dir" = up ]; then
            FINAL=$D/server.out client_args+=(--send "$src" --rate "$rate")
        else
            FINAL=$D/client.out server_args+=(--send "$src" --rate "$rate")
        fi
        "$PY" "$LIB/tcp_peer.py" server "$D/server.port" --report "$PEER_L" --timeout 60 "${server_args[@]}" & track $!
        wait_size "$D/server.port" 1 10 || fail "$CELL: the TCP server did not start"
        HYCO_CONNECTION_STRING="$CS" hyco-pipe -1 "relay-listen:$E" "tcp:127.0.0.1:$(cat "$D/server.port")" \
            </dev/null >"$D/L.out" 2>"$D/L.err" &
        L=$!; track "$L"; listener_online
        # -v only for the port of tcp-listen:0 (its lines are not errors).
        HYCO_CONNECTION_STRING="$CS" hyco-pipe -v -1 tcp-listen:127.0.0.1:0 "relay-connect:$E" \
            </dev/null >"$D/S.out" 2>"$D/S.err" &
        S=$!; track "$S"
        wait_for "$D/S.err" "listening on" 10 || fail "$CELL: tcp-listen did not start: $(cat "$D/S.err")"
        local port
        port=$(sed -nE 's/.*listening on [^ ]*:([0-9]+) .*/\1/p' "$D/S.err" | head -n 1)
        "$PY" "$LIB/tcp_peer.py" client 127.0.0.1 "$port" --report "$PEER_S" --timeout 60 "${client_args[@]}" &
        track $! ;;
    esac
}

# The exec child of the listener (a direct child: the commands exec).
child_pid() {
    local i c
    for ((i = 0; i < 100; i++)); do
        c=$(pgrep -P "$L" | head -n 1 || true)
        [ -n "$c" ] && { echo "$c"; return 0; }
        sleep 0.05
    done
    return 1
}

# Outcome bookkeeping: per cell, counts of each outcome; problems listed.
declare -A N_OK N_FAILED N_SILENT N_BAD EXITS
CELLS=()
PROBLEMS=()
declare -A NOTES  # "cell: text" -> how many trials
note() { NOTES["$CELL: $1"]=$((${NOTES["$CELL: $1"]:-0} + 1)); }

# check_tool NAME PID ERRFILE INTERRUPTED: sets the tool's verdict words.
check_tool() {
    local name=$1 pid=$2 err=$3 interrupted=$4 n
    wait_exit "$pid" 30 || true
    local rc=$EXIT_RC
    EXITSTR+="$name=$rc "
    if [ "$rc" = timeout ]; then
        BAD+=("$name did not exit within 30 s")
        FAILRC[$name]=timeout
        return
    fi
    if [ "$rc" = 0 ]; then
        # Whether its result is complete is judged once every process ended.
        if grep -q 'error:' "$err"; then BAD+=("$name exited 0 but printed: $(grep 'error:' "$err" | head -n 1)"); fi
        return
    fi
    ANY_FAILED=1
    n=$(grep -c 'error:' "$err" || true)
    if [ "$interrupted" = 1 ] && [ "$rc" = 130 ] && [ "$n" = 0 ]; then
        : # the user's own Ctrl-C: exit 130 says it all, quietly (as a shell's)
    elif [ "$n" != 1 ]; then
        BAD+=("$name exited $rc with $n 'error:' lines: $(tr '\n' '|' <"$err" | head -c 400)")
    elif ! grep -Eq 'error: .*[a-z]{3}' "$err"; then
        BAD+=("$name exited $rc without a reason: $(cat "$err")")
    fi
    if [ "$interrupted" = 1 ] && [ "$rc" != 130 ]; then
        BAD+=("$name was interrupted but exited $rc")
    fi
    FAILRC[$name]=$rc
}

# check_peer NAME REPORT PIPE_KILLED RECEIVES: a TCP peer's view.
check_peer() {
    local name=$1 rep=$2 killed=$3 receives=$4 pipe=$5
    wait_size "$rep" 1 30 || { BAD+=("TCP $name did not end within 30 s"); return; }
    local line end recv sha
    line=$(cat "$rep")
    end=$(sed -nE 's/.*end=([a-z]+).*/\1/p' <<<"$line")
    recv=$(sed -nE 's/.*recv=([a-z]+).*/\1/p' <<<"$line")
    sha=$(sed -nE 's/.*sha=([0-9a-f]+).*/\1/p' <<<"$line")
    EXITSTR+="$name=$end "
    if [ "$killed" = 1 ]; then
        # The kernel closes a killed process's sockets: a FIN if nothing was
        # unread. Nothing hyco can change; noted, not counted.
        if [ "$receives" = 1 ] && [ "$recv" = eof ] && [ "$sha" != "$WANT_SHA" ]; then
            note "the TCP $name of the killed hyco-pipe got the kernel's FIN after a cut stream"
        fi
        return
    fi
    if [ "$receives" = 1 ] && [ "$recv" = eof ] && [ "$sha" != "$WANT_SHA" ]; then
        SILENT+=("TCP $name saw a clean end (FIN) after a cut stream")
    fi
    if [ -n "${FAILRC[$pipe]:-}" ] && [ "$end" != reset ]; then
        BAD+=("TCP $name of a failed hyco-pipe ($pipe exit ${FAILRC[$pipe]}) saw '$end', not a reset")
    fi
    if [ -z "${FAILRC[$pipe]:-}" ] && [ "$end" != eof ]; then
        BAD+=("TCP $name of a successful hyco-pipe ($pipe) saw '$end'")
    fi
}

TRIAL_NO=0
# trial TOPO DIR TARGET SIGNAL (TARGET none: a fault-free run)
trial() {
    local topo=$1 dir=$2 target=$3 sig=$4
    TRIAL_NO=$((TRIAL_NO + 1))
    D=$T/t$TRIAL_NO
    mkdir -p "$D"
    E=fault$TRIAL_NO
    local src=$BIG rate=$RATE
    WANT_SHA=$BIG_SHA
    if [ "$target" = none ]; then src=$SMALL rate=0 WANT_SHA=$SMALL_SHA; fi
    WANT_BYTES=$(size "$src")
    if [ "$target" = relay ]; then
        private_relay "$D"
    else
        CS=$SHARED_CS RLOG=$SHARED_LOG R=""
    fi
    launch "$topo" "$dir" "$src" "$rate"

    local victim="" s_killed=0 l_killed=0 s_int=0 l_int=0
    if [ "$target" != none ]; then
        wait_size "$FINAL" "$MID" 20 ||
            fail "$CELL: no data flowed (final $(size "$FINAL") bytes): $(cat "$D/S.err" "$D/L.err")"
        case $target in
        sender) victim=$S; [ "$sig" = KILL ] && s_killed=1 || s_int=1 ;;
        listener) victim=$L; [ "$sig" = KILL ] && l_killed=1 || l_int=1 ;;
        child) victim=$(child_pid) || fail "$CELL: no child of the listener" ;;
        relay) victim=$R ;;
        esac
        # Still in the middle? Only a starved test gets here late; the
        # assertions hold all the same, the trial is just less interesting.
        [ "$(size "$FINAL")" -lt "$WANT_BYTES" ] || note "the stream was complete before the fault"
        kill -"$sig" "$victim"
        # Reaped at once (a child of ours): bash then prints no "Killed" notice.
        if [ "$sig" = KILL ]; then wait "$victim" 2>/dev/null || true; fi
    fi

    SILENT=() BAD=() EXITSTR="" ANY_FAILED=0
    declare -gA FAILRC=()
    [ "$s_killed" = 1 ] || check_tool S "$S" "$D/S.err" "$s_int"
    [ "$l_killed" = 1 ] || check_tool L "$L" "$D/L.err" "$l_int"
    # The result, once every surviving process has ended and a TCP peer
    # wrote all it received (a pipe may exit before its peer read the rest):
    # exit 0 only with all of it.
    if [ "$topo" = tcp ]; then
        wait_size "$PEER_S" 1 30 || true
        wait_size "$PEER_L" 1 30 || true
    fi
    COMPLETE=0
    [ "$(sha "$FINAL")" = "$WANT_SHA" ] && COMPLETE=1
    [ "$s_killed" = 1 ] || [ -n "${FAILRC[S]:-}" ] || [ "$COMPLETE" = 1 ] ||
        SILENT+=("S exited 0 with $(size "$FINAL") of $WANT_BYTES bytes")
    [ "$l_killed" = 1 ] || [ -n "${FAILRC[L]:-}" ] || [ "$COMPLETE" = 1 ] ||
        SILENT+=("L exited 0 with $(size "$FINAL") of $WANT_BYTES bytes")
    if [ "$topo" = tcp ]; then
        local up=0
        [ "$dir" = up ] && up=1
        check_peer client "$PEER_S" "$s_killed" $((1 - up)) S
        check_peer server "$PEER_L" "$l_killed" "$up" L
    fi
    [ "$target" = none ] && [ "$COMPLETE" != 1 ] && BAD+=("a fault-free run did not complete")

    local outcome
    if [ ${#SILENT[@]} -gt 0 ]; then
        outcome=silent
        N_SILENT[$CELL]=$((${N_SILENT[$CELL]:-0} + 1))
    elif [ ${#BAD[@]} -gt 0 ]; then
        outcome=bad
        N_BAD[$CELL]=$((${N_BAD[$CELL]:-0} + 1))
    elif [ "$ANY_FAILED" = 0 ] && [ "$COMPLETE" = 1 ]; then
        outcome=ok
        N_OK[$CELL]=$((${N_OK[$CELL]:-0} + 1))
    else
        outcome=failed
        N_FAILED[$CELL]=$((${N_FAILED[$CELL]:-0} + 1))
    fi
    EXITS[$CELL]="${EXITSTR% }"
    if [ "$outcome" = silent ] || [ "$outcome" = bad ]; then
        local p
        for p in "${SILENT[@]}" "${BAD[@]}"; do PROBLEMS+=("$CELL #$TRIAL_NO: $p"); done
        {
            echo "--- $CELL (trial $TRIAL_NO): ${SILENT[*]} ${BAD[*]}"
            for p in S L; do echo "$p stderr:"; head -c 600 "$D/$p.err"; done
        } >&2
    fi
    fm_reap
    # Orphans of a killed listener (its command) end on their own: EOF or EPIPE.
    rm -rf "$D"
}

run_cell() {
    local topo=$1 dir=$2 target=$3 sig=$4 n=$5 i
    CELL="$topo $dir $target${sig:+ -$sig}"
    [[ $CELL =~ $ONLY ]] || return 0
    CELLS+=("$CELL")
    for ((i = 0; i < n; i++)); do trial "$topo" "$dir" "$target" "$sig"; done
}

for topo in stdio tcp listen-e pipe-exec; do
    for dir in up down; do
        run_cell "$topo" "$dir" none "" 1
        targets="sender listener relay"
        [[ $topo == *-e* ]] && targets="sender listener child relay"
        for target in $targets; do
            for sig in KILL INT; do run_cell "$topo" "$dir" "$target" "$sig" "$TRIALS"; done
        done
    done
done

printf '\n%-32s %6s %11s %18s %17s %5s  %s\n' cell trials ok-complete failed-with-reason SILENT-TRUNCATION other "last exits"
for c in "${CELLS[@]}"; do
    ok=${N_OK[$c]:-0} fl=${N_FAILED[$c]:-0} si=${N_SILENT[$c]:-0} bd=${N_BAD[$c]:-0}
    printf '%-32s %6s %11s %18s %17s %5s  %s\n' "$c" $((ok + fl + si + bd)) "$ok" "$fl" "$si" "$bd" "${EXITS[$c]:-}"
done
for n in "${!NOTES[@]}"; do echo "note: $n (${NOTES[$n]}x)"; done | sort
total_silent=0 total_bad=0
for c in "${CELLS[@]}"; do
    total_silent=$((total_silent + ${N_SILENT[$c]:-0}))
    total_bad=$((total_bad + ${N_BAD[$c]:-0}))
done
echo "trials: $TRIAL_NO, silent truncations: $total_silent, other violations: $total_bad"
[ ${#PROBLEMS[@]} = 0 ] || { printf '%s\n' "${PROBLEMS[@]}" >&2; fail "$total_silent silent truncation(s), $total_bad other violation(s)"; }
pass "fault matrix: every trial either complete with exit 0 or failed with one reason"
