// Sends MESSAGES binary messages of MESSAGE_BYTES (numbered) as fast as the
// socket takes them, then waits for the listener's close.
// Usage: node flow_sender.js ENTITY MESSAGES MESSAGE_BYTES
'use strict';
const WebSocket = require('ws');
const { connection, sendUri, token, die } = require('./common');

const c = connection();
const [path, count, size] = [process.argv[2], ...process.argv.slice(3).map(Number)];
const ws = new WebSocket(sendUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) }, perMessageDeflate: false });
ws.on('open', () => {
  for (let i = 0; i < count; i++) {
    const b = Buffer.alloc(size, i & 0xff);
    b.writeUInt32BE(i, 0);
    ws.send(b);
  }
  console.log('sent ' + count);
});
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
ws.on('error', (e) => die(e.message));
