// A plain Node `ws` sender for hyco-pipe's relay-listen: sends SIZE bytes in
// binary messages of assorted sizes, expects the same bytes back (mirror:)
// in any message split, then closes. Usage: node pipe_ws_sender.js ENTITY SIZE
'use strict';
const WebSocket = require('ws');
const { connection, sendUri, token, pattern, die } = require('./relay/common');

const c = connection();
const path = process.argv[2];
const size = Number(process.argv[3]);
const data = pattern(size, 7);
const ws = new WebSocket(sendUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });
const got = [];
let received = 0;
ws.on('open', () => {
  for (let off = 0, n = 1; off < size; off += n, n = (n * 7 + 1) % 100000 + 1)
    ws.send(data.subarray(off, Math.min(size, off + n)), { binary: true });
});
ws.on('message', (m) => {
  got.push(Buffer.from(m));
  received += m.length;
  if (received >= size) {
    if (!Buffer.concat(got).equals(data)) die('bytes differ');
    console.log('ok ' + received);
    ws.close(1000);
  }
});
ws.on('close', (code) => { if (received < size) die('closed ' + code + ' after ' + received + ' bytes'); });
ws.on('error', (e) => die(e.message));
setTimeout(() => die('timeout after ' + received + ' bytes'), 60000).unref();
