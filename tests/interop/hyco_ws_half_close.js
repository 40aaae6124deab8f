// Microsoft's hyco-ws as a sender (relayedConnect) that half-closes: sends
// each LINE as a text message, then a Close with CODE, and keeps reading
// what the listener still sends until its Close arrives.
// Usage: node hyco_ws_half_close.js ENTITY CODE LINE...
// Prints "protocol P" (- for none), "sent close CODE", "text MESSAGE" for
// each message (before or after our Close) and "closed CODE"; exits 1 on an
// error or a timeout.
'use strict';
const hycoWs = require('hyco-ws');
const { connection, sendUri, token, die } = require('./relay/common');

const c = connection();
const [path, code, ...lines] = process.argv.slice(2);
const ws = hycoWs.relayedConnect(sendUri(c, path), token(c, path), (client) => {
  console.log('protocol ' + (client.protocol || '-'));
  for (const l of lines) client.send(l);
  client.close(Number(code), 'sender done');
  console.log('sent close ' + code);
});
ws.on('message', (m) => console.log('text ' + m));
ws.on('close', (closeCode) => {
  console.log('closed ' + closeCode);
  process.exit(0);
});
ws.on('error', (e) => die(e.message));
setTimeout(() => die('timeout'), 20000).unref();
