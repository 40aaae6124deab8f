#!/usr/bin/env bash
# The quick-start demo: sets up and builds hyco, then shows what it does.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bash "$src/scripts/setup.sh"
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$src/build" -j"$(nproc)" >/dev/null
PATH=$src/build/tools:$PATH
say() { if [ -t 2 ]; then printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; else printf '\n$ %s\n' "$*" >&2; fi; }

export HYCO_KEY=demo-key-$RANDOM
say "hyco-token create -n contoso -p hyco -k Root --ttl 30m     # key from HYCO_KEY"
TOKEN=$(hyco-token create -n contoso -p hyco -k Root --ttl 30m)
echo "$TOKEN"
say "hyco-token decode \"\$TOKEN\""
hyco-token decode "$TOKEN"
say "hyco-token verify -n contoso -p hyco \"\$TOKEN\""
hyco-token verify -n contoso -p hyco "$TOKEN"
say "hyco-token verify -n contoso -p other \"\$TOKEN\"; echo \"exit \$?\""
hyco-token verify -n contoso -p other "$TOKEN" || echo "exit $?"
