// A hyco-ws RelayedServer (Microsoft's Node listener) for hyco-send interop:
// echoes text as "echo: <text>" and binary payloads unchanged, and reports
// each connection's query and the subprotocol it chose.
// Usage: node client_hyco_ws_listener.js ENTITY.
'use strict';
const WebSocket = require('hyco-ws');

const cs = process.env.HYCO_CONNECTION_STRING;
const kv = {};
for (const seg of cs.split(';')) {
  const i = seg.indexOf('=');
  if (i > 0) kv[seg.slice(0, i).toLowerCase()] = seg.slice(i + 1);
}
const m = /^sb:\/\/([^/]+?)\/?$/.exec(kv.endpoint);
const entity = process.argv[2];
const uri = 'ws://' + m[1] + '/$hc/' + entity + '?sb-hc-action=listen';
const token = () => WebSocket.createRelayToken('http://' + m[1] + '/' + entity, kv.sharedaccesskeyname, kv.sharedaccesskey);

const server = WebSocket.createRelayedServer({ server: uri, token }, (ws) => {
  console.log('connection ' + (ws.upgradeReq ? ws.upgradeReq.url : ''));
  // hyco-ws answers the rendezvous as a client: the subprotocol is known once it opened.
  ws.on('open', () => console.log('protocol ' + (ws.protocol || '-')));
  ws.on('message', (data, flags) => {
    if (flags && flags.binary) ws.send(data, { binary: true });
    else ws.send('echo: ' + data);
  });
  ws.on('close', (code) => console.log('closed ' + code));
});
server.on('listening', () => console.log('listening'));
server.on('error', (e) => console.error('error: ' + (e && e.message ? e.message : e)));
process.on('SIGTERM', () => { try { server.close(); } catch (e) { /* exiting */ } process.exit(0); });
