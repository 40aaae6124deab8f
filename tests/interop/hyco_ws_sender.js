// Microsoft's hyco-ws as a sender (relayedConnect) for hyco-listen interop:
// sends SIZE pseudo-random bytes in binary messages of assorted sizes,
// expects the same bytes back (an echoing listener) in any message split,
// then closes with 1000 and reports the listener's Close.
// Usage: node hyco_ws_sender.js ENTITY SIZE
// Prints "protocol P" (- for none), "ok N" once every byte came back, and
// "closed CODE"; exits 1 on a difference, an early close or a timeout.
'use strict';
const hycoWs = require('hyco-ws');
const { connection, sendUri, token, pattern, die } = require('./relay/common');

const c = connection();
const path = process.argv[2];
const size = Number(process.argv[3]);
const data = pattern(size, 11);
const got = [];
let received = 0;
const ws = hycoWs.relayedConnect(sendUri(c, path), token(c, path), (client) => {
  console.log('protocol ' + (client.protocol || '-'));
  for (let off = 0, n = 1; off < size; off += n, n = (n * 5 + 3) % 70000 + 1)
    client.send(data.slice(off, Math.min(size, off + n)), { binary: true });
});
ws.on('message', (m) => {
  got.push(Buffer.from(m));
  received += m.length;
  if (received === size) {
    if (!Buffer.concat(got).equals(data)) die('bytes differ');
    console.log('ok ' + received);
    ws.close(1000, 'done');
  } else if (received > size) {
    die('more bytes than were sent: ' + received);
  }
});
ws.on('close', (code) => {
  console.log('closed ' + code);
  if (received < size) die('closed ' + code + ' after ' + received + ' of ' + size + ' bytes');
  process.exit(0);
});
ws.on('error', (e) => die(e.message));
setTimeout(() => die('timeout after ' + received + ' bytes'), 60000).unref();
