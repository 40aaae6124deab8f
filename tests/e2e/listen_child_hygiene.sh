#!/usr/bin/env bash
# Children of --exec and --accept-cmd get no credentials (their output goes
# to a remote sender), and whole pipelines are stopped when hyco-listen
# gives up on them or exits: no grandchild survives.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
CS=$(entity_cs hyg)

# The key once in the connection string, once on its own in HYCO_KEY.
KEY=$(printf '%s' "$CS" | sed -E 's/.*SharedAccessKey=([^;]*).*/\1/')
for how in string key; do
    if [ $how = string ]; then
        HYCO_CONNECTION_STRING=$CS listen_start env -e env </dev/null
    else
        HYCO_CONNECTION_STRING= HYCO_KEY=$KEY listen_start env -n "127.0.0.1:$HYCO_RELAY_PORT" --emulator \
            -p hyg -k RootManageSharedAccessKey -e env </dev/null
    fi
    HYCO_CONNECTION_STRING=$CS timeout 20 hyco-send </dev/null >"$T/env.out" || fail "sender exit $?"
    grep -q '^HYCO_ENTITY=hyg' "$T/env.out" || fail "no connection metadata in the child's environment"
    grep -qF -e "$KEY" -e HYCO_CONNECTION_STRING -e HYCO_KEY= "$T/env.out" &&
        fail "credentials ($how) reached the child: $(grep 'HYCO_\|SharedAccess' "$T/env.out")"
    hyco_stop_pid "$LISTEN_PID"
done
pass "children get connection metadata but no credentials"

# An accept command that outlives --accept-timeout is killed with its children.
HYCO_CONNECTION_STRING=$CS listen_start slow --accept-cmd 'sleep 77.5; exit 0' --accept-timeout 1s -e cat </dev/null
rc=0
echo hi | HYCO_CONNECTION_STRING=$CS timeout 20 hyco-send 2>/dev/null || rc=$?
[ "$rc" = 6 ] || fail "timed-out accept command: sender exit $rc"
for _ in $(seq 50); do pgrep -f '^sleep 77[.]5$' >/dev/null || break; sleep 0.1; done
pgrep -f '^sleep 77[.]5$' >/dev/null && fail "the accept command's child survived"
# An --exec pipeline is stopped when hyco-listen exits.
hyco_stop_pid "$LISTEN_PID"
HYCO_CONNECTION_STRING=$CS listen_start pipe -e 'sleep 88.5; echo done' </dev/null
mkfifo "$T/in"
exec 5<>"$T/in"
HYCO_CONNECTION_STRING=$CS timeout 30 hyco-send <&5 >/dev/null 2>&1 &
spid=$!
hyco_cleanup_add "hyco_stop_pid $spid"
for _ in $(seq 100); do pgrep -f '^sleep 88[.]5$' >/dev/null && break; sleep 0.1; done
pgrep -f '^sleep 88[.]5$' >/dev/null || fail "the --exec command did not start"
kill -TERM "$LISTEN_PID"
wait_exit "$LISTEN_PID" 15 || fail "hyco-listen did not exit on SIGTERM"
for _ in $(seq 50); do pgrep -f '^sleep 88[.]5$' >/dev/null || break; sleep 0.1; done
pgrep -f '^sleep 88[.]5$' >/dev/null && fail "the --exec pipeline survived hyco-listen"
pass "pipelines are stopped with their process group"
