// Flow-control probe: a raw `ws` 8 listener that accepts one sender, stops
// reading for a while (so the relay must push back on the sender), records
// the relay's largest per-connection output queue from /$relay/status, then
// reads everything and checks order, sizes and every byte.
// Usage: node flow_listener.js ENTITY MESSAGES MESSAGE_BYTES PAUSE_MS
'use strict';
const http = require('http');
const WebSocket = require('ws');
const { connection, listenUri, token, die } = require('./common');

const c = connection();
const [path, count, size, pauseMs] = [process.argv[2], ...process.argv.slice(3).map(Number)];
const control = new WebSocket(listenUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });

function queued(cb) {
  http.get({ host: c.host, port: c.port, path: '/$relay/status' }, (res) => {
    let s = '';
    res.on('data', (d) => (s += d));
    res.on('end', () => {
      const j = JSON.parse(s);
      cb(Math.max(0, ...j.connections.map((x) => x.queuedBytes)), j.connections.length);
    });
  });
}

control.on('open', () => console.log('listening'));
control.on('message', (data) => {
  const m = JSON.parse(data.toString());
  if (!m.accept) return;
  const r = new WebSocket(m.accept.address, { perMessageDeflate: false, maxPayload: 0 });
  let got = 0;
  r.on('open', () => {
    r.pause();
    let max = 0;
    const samples = setInterval(() => queued((q) => { max = Math.max(max, q); }), 100);
    setTimeout(() => {
      clearInterval(samples);
      console.log('max queued ' + max);
      r.resume();
    }, pauseMs);
  });
  r.on('message', (d, bin) => {
    if (!bin || d.length !== size) die(`message ${got}: ${bin ? 'binary' : 'text'} ${d.length} bytes`);
    if (d.readUInt32BE(0) !== got) die(`message ${got} arrived as number ${d.readUInt32BE(0)}`);
    const want = Buffer.alloc(size, got & 0xff);
    want.writeUInt32BE(got, 0);
    if (!d.equals(want)) die(`message ${got}: its bytes changed on the way`);
    got++;
    if (got === count) {
      console.log('received ' + got);
      r.close(1000);
      setTimeout(() => process.exit(0), 200);
    }
  });
});
control.on('error', (e) => die(e.message));
