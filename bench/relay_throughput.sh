#!/usr/bin/env bash
# Throughput and connection-setup benchmark of hyco-relay (not a test: it
# prints numbers and asserts nothing). Usage, from the source directory with
# a build in ./build (or HYCO_BIN=dir) and tests/interop/node_modules installed:
#   bench/relay_throughput.sh [MiB=256] [connections=200]
set -euo pipefail
HYCO_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
export HYCO_SOURCE_DIR PATH="${HYCO_BIN:-$HYCO_SOURCE_DIR/build/tools}:$PATH"  # HYCO_BIN=build-rel/tools for a Release build
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
mib=${1:-256}
conns=${2:-200}
relay_start
R="$HYCO_INTEROP_DIR/relay"
node "$R/ws_echo_listener.js" bench >"$HYCO_TEST_TMP/l" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/l'; do sleep 0.1; done"

node -e '
const WebSocket = require("ws");
const { connection, sendUri, token } = require(process.argv[1] + "/common");
const c = connection(), n = Number(process.argv[2]);
const ws = new WebSocket(sendUri(c, "bench"), { headers: { ServiceBusAuthorization: token(c, "bench") }, perMessageDeflate: false });
const chunk = Buffer.alloc(1 << 20, 7);
let back = 0, t0;
ws.on("open", () => { t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) ws.send(chunk); });
ws.on("message", (d) => {
  back += d.length;
  if (back === n * chunk.length) {
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`echo ${n} MiB each way in ${s.toFixed(2)} s: ${(n / s).toFixed(1)} MiB/s per direction`);
    ws.close(); process.exit(0);
  }
});' "$R" "$mib"

start=$(date +%s.%N)
timeout 300 node "$R/ws_many_senders.js" bench "$conns" >/dev/null
end=$(date +%s.%N)
echo "$conns sequential sender connections (connect, accept, echo, close): $(echo "($end - $start) * 1000 / $conns" | bc -l | cut -c1-5) ms each"
