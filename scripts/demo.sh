#!/usr/bin/env bash
# The quick-start demo: sets up and builds hyco, starts a local hyco-relay,
# and shows data crossing it both ways between hyco-listen and hyco-send,
# then a byte-exact binary transfer and a TCP port forwarded with hyco-pipe.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bash "$src/scripts/setup.sh"
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$src/build" -j"$(nproc)" >/dev/null
export PATH=$src/build/tools:$PATH
. "$src/scripts/lib/procs.sh" demo
say() { if [ -t 2 ]; then printf '\n\033[1m# %s\033[0m\n' "$*" >&2; else printf '\n# %s\n' "$*" >&2; fi; }
# wait_for FILE TEXT: until TEXT appears in FILE (at most 10 s)
wait_for() { for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for $2" >&2; exit 1; }

say "hyco-relay --port 0   (a local relay; its one stdout line is a connection string)"
hyco-relay --port 0 >"$tmp/relay.out" 2>"$tmp/relay.err" &
pids+=($!)
wait_for "$tmp/relay.out" Endpoint=
CS=$(head -n1 "$tmp/relay.out")
echo "${CS/SharedAccessKey=*;/SharedAccessKey=…;}"

say "hyco-listen -p upper -e 'tr a-z A-Z'   (a service: each sender gets its own process)"
hyco-listen -x "$CS" -p upper --json -e 'tr a-z A-Z' 2>"$tmp/listen.err" &
pids+=($!)
wait_for "$tmp/listen.err" '"online"'
say "printf 'hello\\nthrough the relay\\n' | hyco-send -p upper   (lines go out, answers come back)"
printf 'hello\nthrough the relay\n' | hyco-send -x "$CS" -p upper

say "hyco-listen -b --once -p files > received   and   hyco-send -b -p files < 20 MiB of random bytes"
head -c 20971520 /dev/urandom >"$tmp/sent"
hyco-listen -x "$CS" -p files -b --once --json >"$tmp/received" 2>"$tmp/files.err" &
lp=$!
pids+=($lp)
wait_for "$tmp/files.err" '"online"'
hyco-send -x "$CS" -p files -b --no-progress <"$tmp/sent" >/dev/null
wait "$lp"
sha256sum "$tmp/sent" "$tmp/received" | sed "s|$tmp/||"

say "hyco-pipe relay-listen:web tcp:127.0.0.1:PORT  +  hyco-pipe tcp-listen:127.0.0.1:PORT2 relay-connect:web   (a forwarded port)"
mkdir -p "$tmp/www" && echo "served through a Hybrid Connection" >"$tmp/www/index.html"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
pids+=($!)
hyco-pipe -x "$CS" "relay-listen:web" "tcp:127.0.0.1:$port" 2>"$tmp/pipe1.err" &
pids+=($!)
hyco-pipe -x "$CS" "tcp-listen:127.0.0.1:$port2" "relay-connect:web" 2>"$tmp/pipe2.err" &
pids+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port2/" 2>/dev/null && break; sleep 0.1; done
