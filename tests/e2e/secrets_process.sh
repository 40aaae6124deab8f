#!/usr/bin/env bash
# A running tool keeps its secrets out of the process list and out of core
# dumps: secret argv values (-x, --token, hyco-relay --rule, hyco-token verify
# TOKEN) are overwritten after parsing (read back from
# /proc/PID/cmdline), the process is not dumpable and its core limit is 0
# (/proc/PID/limits; as an unprivileged user, a non-dumpable process's /proc
# files belong to root), and a key file (or hyco-relay config with keys) others
# can read gets a warning.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
CS=$(entity_cs argv)
KEY=$(printf '%s' "$CS" | sed -E 's/.*SharedAccessKey=([^;]+).*/\1/')
unset HYCO_CONNECTION_STRING

# -x CONNSTR on the command line (the form the docs no longer show).
listen_start l -x "$CS" -e cat </dev/null
cmdline=$(tr '\0' ' ' <"/proc/$LISTEN_PID/cmdline")
! grep -qF -- "$KEY" <<<"$cmdline" || fail "the key is in hyco-listen's cmdline: $cmdline"
grep -q -- '-x x*' <<<"$cmdline" || fail "cmdline lost its shape: $cmdline"
grep -q '^Max core file size *0 ' "/proc/$LISTEN_PID/limits" || fail "core dumps allowed: $(grep core "/proc/$LISTEN_PID/limits")"

# --token TOKEN and --token=TOKEN: a receive-only sender stays connected meanwhile.
TOKEN=$(hyco-token create -x "@/dev/stdin" <<<"$CS")
SIG=$(printf '%s' "$TOKEN" | sed -E 's/.*sig=([^&]+).*/\1/')
hyco-send -U -n "127.0.0.1:$HYCO_RELAY_PORT" --emulator -p argv --token "$TOKEN" >"$T/s.out" 2>"$T/s.err" </dev/null &
spid=$!
on_exit "hyco_stop_pid $spid"
wait_for "$HYCO_TEST_TMP/l.err" 'accepted' 10 || fail "the sender was not accepted: $(cat "$T/s.err")"
cmdline=$(tr '\0' ' ' <"/proc/$spid/cmdline")
! grep -qF -- "$SIG" <<<"$cmdline" || fail "the token is in hyco-send's cmdline: $cmdline"
grep -q -- '--token x* ' <<<"$cmdline" || fail "cmdline lost its shape: $cmdline"
hyco_stop_pid "$spid"

# Not dumpable: seen from an unprivileged user, its /proc files belong to root.
if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        hyco-listen -v -x "$CS" -e cat </dev/null >"$T/n.out" 2>"$T/n.err" &
else
    hyco-listen -v -x "$CS" -e cat </dev/null >"$T/n.out" 2>"$T/n.err" &
fi
npid=$!
on_exit "hyco_stop_pid $npid"
wait_for "$T/n.err" online 10 || fail "listener did not come online: $(cat "$T/n.err")"
[ "$(stat -c %u "/proc/$npid/environ")" = 0 ] || fail "hyco-listen is dumpable: /proc/$npid/environ belongs to uid $(stat -c %u "/proc/$npid/environ")"
[ "$(awk '/^Uid:/ {print $2}' "/proc/$npid/status")" != 0 ] || fail "the check ran as root"
hyco_stop_pid "$npid"

# hyco-relay --rule NAME:KEY:RIGHTS (no '=' to spot): the key leaves argv once parsed.
RULE_KEY=RuleKeyInArgv0123456789
hyco-relay --port 0 --rule "argv:$RULE_KEY:send" >"$T/r.out" 2>"$T/r.err" </dev/null &
rpid=$!
on_exit "hyco_stop_pid $rpid"
wait_for "$T/r.err" serving 10 || fail "hyco-relay did not start: $(cat "$T/r.err")"
cmdline=$(tr '\0' ' ' <"/proc/$rpid/cmdline")
! grep -qF -- "$RULE_KEY" <<<"$cmdline" || fail "the rule's key is in hyco-relay's cmdline: $cmdline"
grep -q -- '--rule x* ' <<<"$cmdline" || fail "cmdline lost its shape: $cmdline"
hyco_stop_pid "$rpid"

# hyco-token verify ... TOKEN: scrubbed while it waits for its key (a FIFO nobody writes yet).
mkfifo "$T/key.fifo"
hyco-token verify -n "127.0.0.1:$HYCO_RELAY_PORT" --emulator -p argv --key-file "$T/key.fifo" "$TOKEN" \
    >"$T/v.out" 2>"$T/v.err" &
vpid=$!
on_exit "hyco_stop_pid $vpid"
for ((i = 0; i < 100; i++)); do
    grep -q -- '--key-file' "/proc/$vpid/cmdline" 2>/dev/null && ! grep -qF -- "$SIG" "/proc/$vpid/cmdline" && break
    sleep 0.1
done
cmdline=$(tr '\0' ' ' <"/proc/$vpid/cmdline")
! grep -qF -- "$SIG" <<<"$cmdline" || fail "the token is in hyco-token verify's cmdline: $cmdline"
grep -q -- 'key.fifo x*' <<<"$cmdline" || fail "cmdline lost its shape: $cmdline"
printf '%s\n' "$KEY" >"$T/key.fifo"
wait_exit "$vpid" 10 || fail "hyco-token verify did not finish"
[ "$EXIT_RC" = 0 ] || fail "verify: exit $EXIT_RC: $(cat "$T/v.err")"

# A key file others can read: one warning line; a private one: none.
printf '%s\n' "$KEY" >"$T/key.txt"
chmod 644 "$T/key.txt"
run hyco-token create -n contoso -p hyco -k Root --key-file "$T/key.txt"
[ "$RC" = 0 ] || fail "create: exit $RC"
[ "$(grep -c 'warning: key file .*key.txt is readable by everyone (mode 644); chmod 600 it' "$T/err")" = 1 ] ||
    fail "no warning about key.txt: $(cat "$T/err")"
chmod 600 "$T/key.txt"
run hyco-token create -n contoso -p hyco -k Root --key-file "$T/key.txt"
[ ! -s "$T/err" ] || fail "a warning for a private key file: $(cat "$T/err")"
# hyco-relay --config FILE with keys in it: the same warning when others can read it.
printf '{"rules": [{"name": "r", "key": "%s", "rights": ["Listen"]}]}\n' "$KEY" >"$T/relay.json"
for mode in 640 600; do
    chmod $mode "$T/relay.json"
    # Empty first: the background redirection truncates only once the child
    # runs, and the last round's "serving" (and warning) would be read.
    : >"$T/rc.err"
    hyco-relay --port 0 --config "$T/relay.json" >"$T/rc.out" 2>"$T/rc.err" </dev/null &
    rpid=$!
    on_exit "hyco_stop_pid $rpid"
    wait_for "$T/rc.err" serving 10 || fail "hyco-relay --config did not start: $(cat "$T/rc.err")"
    hyco_stop_pid "$rpid"
    warned=$(grep -c "warning: config file .*relay.json is readable by its group (mode 640); chmod 600 it" "$T/rc.err" || true)
    [ "$warned" = "$([ $mode = 640 ] && echo 1 || echo 0)" ] || fail "mode $mode: $(cat "$T/rc.err")"
done
pass "secrets stay out of ps and core dumps; readable key files are reported"
