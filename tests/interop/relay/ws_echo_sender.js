// A plain `ws` 8 client as sender: sends text and binary messages of the
// given sizes and checks each echo byte for byte and type for type.
// Usage: node ws_echo_sender.js ENTITY header|query SIZE...
'use strict';
const WebSocket = require('ws');
const { connection, sendUri, token, pattern, text, die } = require('./common');

const c = connection();
const [path, where, ...sizes] = process.argv.slice(2);
const tok = token(c, path);
let url = sendUri(c, path);
const opts = {};
if (where === 'query') url += '&sb-hc-token=' + encodeURIComponent(tok);
else opts.headers = { ServiceBusAuthorization: tok };

const plan = [];
sizes.map(Number).forEach((n, i) => {
  plan.push({ binary: false, data: text(n, i + 1) });
  plan.push({ binary: true, data: pattern(n, i + 101) });
});

const ws = new WebSocket(url, opts);
const timer = setTimeout(() => die('timed out with ' + plan.length + ' echo(es) outstanding'), 120000);
let next = 0;
function sendNext() {
  if (next >= plan.length) return;
  const m = plan[next];
  ws.send(m.data, { binary: m.binary });
}
ws.on('open', sendNext);
ws.on('message', (data, isBinary) => {
  const m = plan[next];
  const size = m.binary ? m.data.length : Buffer.byteLength(m.data);
  if (isBinary !== m.binary) die(`message ${next} (${size} bytes) came back as ${isBinary ? 'binary' : 'text'}`);
  const expected = m.binary ? m.data : Buffer.from(m.data);
  if (!Buffer.from(data).equals(expected)) die(`message ${next} (${size} bytes) came back altered (${data.length} bytes)`);
  console.log(`echo ok: ${m.binary ? 'binary' : 'text'} ${size}`);
  next++;
  if (next === plan.length) {
    clearTimeout(timer);
    ws.close(1000, 'done');
  } else {
    sendNext();
  }
});
ws.on('close', (code) => {
  if (next !== plan.length) die('closed early with ' + code);
  console.log('closed ' + code);
  process.exit(0);
});
ws.on('unexpected-response', (req, res) => die(`upgrade refused: ${res.statusCode} ${res.statusMessage}`));
ws.on('error', (e) => die('error: ' + e.message));
