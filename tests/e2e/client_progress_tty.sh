#!/usr/bin/env bash
# Progress under a real terminal (script(1) gives hyco-send a pseudo-terminal
# as stderr): the meter's last line shows the real total, ends with a
# newline and is followed by one summary line; text mode reaches 100 %; a
# stdout on the same terminal never gets a meter drawn over it (curl's rule);
# --json reports the end with byte counts and the verdict.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
command -v script >/dev/null || { echo "script(1) is not installed"; exit 77; }
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs tty)
T=$HYCO_TEST_TMP
head -c 8388608 /dev/urandom >"$T/in.bin"
# 200,000 lines of text, some multi-byte characters, no trailing newline.
python3 -c 'import sys; sys.stdout.write("\n".join("line %d é ✓" % i for i in range(200000)))' >"$T/in.txt"
export T

# Binary: stdout to a file, stderr the terminal.
listen_start l1 -b --once </dev/null
script -qec 'hyco-send -b <"$T/in.bin" >"$T/s1.out"' /dev/null >"$T/tty1" || fail "hyco-send under script: exit $?: $(cat "$T/tty1")"
wait_exit "$LISTEN_PID" 20 || fail "listener did not exit"
cmp -s "$T/in.bin" "$T/l1.out" || fail "bytes differ"
tr '\r' '\n' <"$T/tty1" | grep -q '^8.0 MiB / 8.0 MiB (100%)' || fail "no final 100 % line: $(cat -A "$T/tty1" | tail -3)"
grep -q $'\x1b\\[K\r\\?$' "$T/tty1" || fail "the final meter line does not end with a newline: $(cat -A "$T/tty1" | tail -3)"
grep -q '^hyco-send: sent 8.0 MiB, received 0 B in [0-9:]* (.*/s): complete' "$T/tty1" ||
    fail "no summary line: $(cat -A "$T/tty1" | tail -3)"
pass "binary: final line with the real total, newline, summary"

# Text mode reaches 100 %: the meter counts input bytes as read, separators included.
size=$(stat -c %s "$T/in.txt")
listen_start l2 --once </dev/null
script -qec 'hyco-send <"$T/in.txt" >"$T/s2.out"' /dev/null >"$T/tty2" || fail "text hyco-send: exit $?: $(cat "$T/tty2")"
wait_exit "$LISTEN_PID" 20 || fail "listener did not exit"
cmp -s "$T/in.txt" "$T/l2.out" || fail "text bytes differ"
tr '\r' '\n' <"$T/tty2" | grep -q '(100%)' || fail "text mode never reached 100 %: $(cat -A "$T/tty2" | tail -3)"
pass "text mode reaches 100 % ($size bytes)"

# stdout on the same terminal: no meter, even with --progress; data intact.
listen_start l3 --once -e 'printf "answer\n"' </dev/null
script -qec 'printf "q\n" | hyco-send --progress' /dev/null >"$T/tty3" || fail "exit $?: $(cat "$T/tty3")"
grep -q 'answer' "$T/tty3" || fail "no answer on the terminal: $(cat -A "$T/tty3")"
! grep -q 'B/s\|complete' "$T/tty3" || fail "a meter was drawn on the data terminal: $(cat -A "$T/tty3")"
wait_exit "$LISTEN_PID" 20 || true
pass "no meter while stdout is the same terminal"

# --json: the end as one machine-readable line, with the verdict.
listen_start l4 -b --once </dev/null
hyco-send -b --json <"$T/in.bin" >/dev/null 2>"$T/j.err" || fail "hyco-send --json: exit $?: $(cat "$T/j.err")"
python3 - "$T/j.err" <<'PY' || fail "json: $(cat "$T/j.err")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
done = [e for e in events if e["event"] == "done"]
assert len(done) == 1, events
d = done[0]
assert d["complete"] is True and d["exit"] == 0, d
assert d["sent"] == 8388608 and d["received"] == 0, d
assert d["end_records"] is True and d["duration_ms"] >= 0, d
assert any(e["event"] == "connected" for e in events), events
PY
pass "--json reports bytes, duration and the verdict"
echo ok
