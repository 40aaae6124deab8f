// Opens N sender connections one after another; each sends "n" and expects
// the echo. Prints "done N" when all were echoed.
// Usage: node ws_many_senders.js ENTITY N
'use strict';
const WebSocket = require('ws');
const { connection, sendUri, token, die } = require('./common');

const c = connection();
const [path, n] = [process.argv[2], Number(process.argv[3])];
let i = 0;
function next() {
  if (i === n) { console.log('done ' + n); process.exit(0); }
  const msg = 'm' + i;
  const ws = new WebSocket(sendUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });
  ws.on('open', () => ws.send(msg));
  ws.on('message', (d) => {
    if (String(d) !== msg) die(`connection ${i}: got ${d}`);
    ws.close(1000);
  });
  ws.on('close', () => { i++; next(); });
  ws.on('unexpected-response', (req, res) => die(`connection ${i}: ${res.statusCode} ${res.statusMessage}`));
  ws.on('error', (e) => die(`connection ${i}: ${e.message}`));
}
next();
