// A hyco-ws RelayedServer that echoes every message with its type kept.
// Usage: node ws_echo_listener.js ENTITY [name]; prints "listening" once
// its control channel is open and "connection N" per accepted sender.
'use strict';
const WebSocket = require('hyco-ws');
const { connection, listenUri, token } = require('./common');

const c = connection();
const path = process.argv[2];
const name = process.argv[3] || 'listener';
const uri = listenUri(c, path);
let count = 0;
const server = WebSocket.createRelayedServer({ server: uri, token: () => token(c, path) }, (ws) => {
  count++;
  console.log(name + ' connection ' + count);
  ws.on('message', (data, flags) => ws.send(data, { binary: !!(flags && flags.binary) }));
  ws.on('error', (e) => console.error(name + ' socket error: ' + e.message));
});
server.on('listening', () => console.log(name + ' listening'));
server.on('error', (e) => console.error(name + ' error: ' + (e && e.message ? e.message : e)));
process.on('SIGTERM', () => { try { server.close(); } catch (e) { /* closing anyway */ } process.exit(0); });
