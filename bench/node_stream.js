// Microsoft's Node hyco-ws as the baseline client pair for bench/transfer.sh:
//   node node_stream.js listen ENTITY OUT   one connection's binary messages to OUT
//   node node_stream.js send ENTITY IN      IN as binary messages, then Close 1000
// HYCO_CONNECTION_STRING names the relay; NODE_PATH has tests/interop/node_modules.
'use strict';
const fs = require('fs');
const path = require('path');
const hycoWs = require('hyco-ws');
const { connection, listenUri, sendUri, token } = require(path.join(__dirname, '../tests/interop/relay/common'));

const [mode, entity, file] = process.argv.slice(2);
const c = connection();
const die = (m) => { console.error('node_stream: ' + m); process.exit(1); };

if (mode === 'listen') {
  const out = fs.openSync(file, 'w');
  const server = hycoWs.createRelayedServer({ server: listenUri(c, entity), token: () => token(c, entity) }, (ws) => {
    ws.on('message', (data) => fs.writeSync(out, data));
    ws.on('close', () => { fs.closeSync(out); process.exit(0); });
  });
  server.on('listening', () => console.log('listening'));
  server.on('error', (e) => die(e && e.message ? e.message : String(e)));
} else if (mode === 'send') {
  const fd = fs.openSync(file, 'r');
  const ws = hycoWs.relayedConnect(sendUri(c, entity), token(c, entity), (client) => {
    const pump = () => {
      // Bounded: the next chunk is read once the socket took the last one.
      const buf = Buffer.allocUnsafe(256 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return client.close(1000, 'done');
      client.send(buf.subarray(0, n), { binary: true }, (err) => (err ? die(err.message) : pump()));
    };
    pump();
  });
  ws.on('close', () => process.exit(0));
  ws.on('error', (e) => die(e.message));
} else {
  die('usage: node_stream.js listen|send ENTITY FILE');
}
