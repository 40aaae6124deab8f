// A plain `ws` (Node) WebSocket sender for hyco-listen interop: connects to
// the relay's connect URI with a token minted by hyco-ws, sends its
// arguments as text messages and one binary message, prints what it gets.
// Usage: node client_ws_sender.js ENTITY MESSAGE...
'use strict';
const WebSocket = require('ws');
const hycoWs = require('hyco-ws');

const kv = {};
for (const seg of process.env.HYCO_CONNECTION_STRING.split(';')) {
  const i = seg.indexOf('=');
  if (i > 0) kv[seg.slice(0, i).toLowerCase()] = seg.slice(i + 1);
}
const host = /^sb:\/\/([^/]+?)\/?$/.exec(kv.endpoint)[1];
const entity = process.argv[2];
const token = hycoWs.createRelayToken('http://' + host + '/' + entity, kv.sharedaccesskeyname, kv.sharedaccesskey);
const ws = new WebSocket('ws://' + host + '/$hc/' + entity + '/sub?x=1&sb-hc-action=connect',
  ['chat.v1'], { headers: { ServiceBusAuthorization: token } });
const messages = process.argv.slice(3);
let expected = messages.length + 1;
ws.on('open', () => {
  console.log('open ' + ws.protocol);
  for (const m of messages) ws.send(m);
  ws.send(Buffer.from([0, 1, 2, 255]));
});
ws.on('message', (data, isBinary) => {
  console.log((isBinary ? 'binary ' : 'text ') + (isBinary ? data.toString('hex') : data.toString()));
  if (--expected === 0) ws.close(1000, 'done');
});
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
