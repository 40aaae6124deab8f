// Azure Relay Bridge's side of its wire protocol, written from azbridge's
// C# sources (Azure/azure-relay-bridge: RemoteForwardBridge.cs
// HandleRelayConnectionAsync, TcpLocalForwardBridge/SocketLocalForwardBridge
// BridgeSocketConnectionAsync, UdpLocalForwardBridge/UdpRemoteForwarder),
// not from hyco's code, so hyco-pipe's azbridge mode meets an independent
// peer. Listener role through Microsoft's hyco-ws, sender role through `ws`.
//
// Usage:
//   node azbridge_peer.js listen ENTITY NAME=tcp:HOST:PORT|NAME=udp:HOST:PORT...
//     like `azbridge -R`: prints "listening", then per connection
//     "accepted NAME" or "refused NAME: why".
//   node azbridge_peer.js forward ENTITY NAME tcp|udp
//     like `azbridge -L 127.0.0.1:0:NAME`: listens on a free local port,
//     prints "port N", and bridges each TCP connection (or UDP client
//     address) through its own relay connection that asks for NAME.
//   node azbridge_peer.js probe ENTITY HEX
//     sends the bytes HEX as a preamble and prints "reply HEX" with the
//     first three bytes that came back ("reply -": closed without a word).
'use strict';
const net = require('net');
const dgram = require('dgram');
const WebSocket = require('ws');
const hycoWs = require('hyco-ws');
const { connection, listenUri, sendUri, token, die } = require('./relay/common');

const c = connection();
const [mode, path, ...rest] = process.argv.slice(2);

// Byte reader over a WebSocket: the relay stream as .NET's HybridConnectionStream sees it.
function reader(ws) {
  let buf = Buffer.alloc(0);
  let waiting = null;
  let ended = false;
  const kick = () => {
    if (!waiting) return;
    if (buf.length >= waiting.n) {
      const w = waiting;
      waiting = null;
      const out = buf.subarray(0, w.n);
      buf = buf.subarray(w.n);
      w.resolve(out);
    } else if (ended) {
      const w = waiting;
      waiting = null;
      w.resolve(null);
    }
  };
  ws.on('message', (m) => { buf = Buffer.concat([buf, Buffer.from(m)]); kick(); });
  ws.on('close', () => { ended = true; kick(); });
  return {
    read: (n) => new Promise((resolve) => { waiting = { n, resolve }; kick(); }),
    rest: () => { const b = buf; buf = Buffer.alloc(0); return b; },
    ended: () => ended,
  };
}

// A datagram as azbridge writes it over the relay: 2-byte big-endian length first.
function frame(d) {
  const b = Buffer.alloc(d.length + 2);
  b.writeUInt16BE(d.length, 0);
  d.copy(b, 2);
  return b;
}

// Takes frames off the stream: feed(bytes) calls out(datagram) per complete one.
function deframer(out) {
  let buf = Buffer.alloc(0);
  return (bytes) => {
    buf = Buffer.concat([buf, bytes]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const n = buf.readUInt16BE(0);
      out(buf.subarray(2, 2 + n));
      buf = buf.subarray(2 + n);
    }
  };
}

// Wires an accepted relay stream to its target, after the answer.
function bridge(ws, r, target, datagram) {
  const leftover = r.rest();
  ws.removeAllListeners('message');
  if (datagram) {
    const sock = dgram.createSocket('udp4');
    sock.connect(target.port, target.host, () => {
      const feed = deframer((d) => sock.send(d));
      feed(leftover);
      ws.on('message', (m) => feed(Buffer.from(m)));
    });
    sock.on('message', (d) => { if (ws.readyState === WebSocket.OPEN) ws.send(frame(d)); });
    ws.on('close', () => sock.close());
    return;
  }
  const sock = net.connect(target.port, target.host);
  if (leftover.length) sock.write(leftover);
  ws.on('message', (m) => sock.write(Buffer.from(m)));
  ws.on('close', () => sock.end());
  sock.on('data', (d) => ws.send(d));
  // StreamPump: the socket's end shuts the relay stream down.
  sock.on('end', () => ws.close(1000, 'Shutdown'));
  sock.on('error', () => ws.terminate());
}

function listen() {
  const forwards = new Map();
  for (const f of rest) {
    const m = /^([^=]+)=(tcp|udp):([^:]+):(\d+)$/.exec(f);
    if (!m) die('bad forward ' + f);
    forwards.set(m[1], { udp: m[2] === 'udp', host: m[3], port: Number(m[4]) });
  }
  const server = hycoWs.createRelayedServer({ server: listenUri(c, path), token: () => token(c, path) }, async (ws) => {
    const r = reader(ws);
    const refuse = (name, bytes, why) => {
      console.log('refused ' + name + ': ' + why);
      if (bytes) ws.send(Buffer.from(bytes));
      ws.close(1000);
    };
    const version = await r.read(3);
    if (!version) return console.log('refused -: closed before the preamble');
    if (!(version[0] === 1 && version[1] === 0 && (version[2] === 0 || version[2] === 1)))
      return refuse('-', [0, 0, 0], 'version ' + [...version].join('.'));
    const len = await r.read(1);
    const name = len ? await r.read(len[0]) : null;
    if (!name) return console.log('refused -: closed in the port name');
    const portName = name.toString('utf8');
    // RemoteForwardBridge: one forwarder takes any integer port name.
    let f = forwards.size === 1 && /^\s*[+-]?\d+\s*$/.test(portName) ? [...forwards.values()][0] : forwards.get(portName);
    if (!f) return refuse(portName, null, 'no forwarder');
    if (f.udp && version[2] !== 1) return refuse(portName, [0, 0, 1], 'stream for a udp forwarder');
    if (!f.udp && version[2] === 1) return refuse(portName, [0, 0, 255], 'datagrams for a tcp forwarder');
    ws.send(Buffer.from([1, 0, version[2]]));
    console.log('accepted ' + portName);
    bridge(ws, r, f, f.udp);
  });
  server.on('listening', () => console.log('listening'));
  server.on('error', (e) => console.error('listener error: ' + (e && e.message ? e.message : e)));
}

// One relay connection asking for `name`; resolves with it once the listener said yes.
function open(name, modeByte) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(sendUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });
    const r = reader(ws);
    ws.on('error', (e) => reject(e));
    ws.on('open', async () => {
      const nameBytes = Buffer.from(name, 'utf8');
      // Two writes, as BridgeSocketConnectionAsync does them.
      ws.send(Buffer.from([1, 0, modeByte, nameBytes.length]));
      ws.send(nameBytes);
      const reply = await r.read(3);
      if (!reply || !(reply[0] === 1 && reply[1] === 0 && reply[2] === modeByte)) {
        ws.terminate();
        return reject(new Error('Unsupported protocol version: Server reply ' + (reply ? [...reply].join(' ') : 'none')));
      }
      resolve({ ws, r });
    });
  });
}

function forward() {
  const [name, kind] = rest;
  if (kind === 'udp') {
    const sock = dgram.createSocket('udp4');
    const routes = new Map();
    sock.on('message', async (d, from) => {
      const key = from.address + ':' + from.port;
      let route = routes.get(key);
      if (!route) {
        route = { pending: [d], ready: false };
        routes.set(key, route);
        try {
          const { ws, r } = await open(name, 1);
          route.ws = ws;
          const feed = deframer((x) => sock.send(x, from.port, from.address));
          feed(r.rest());
          ws.removeAllListeners('message');
          ws.on('message', (m) => feed(Buffer.from(m)));
          ws.on('close', () => routes.delete(key));
          for (const p of route.pending) ws.send(frame(p));
          route.ready = true;
        } catch (e) {
          console.error('route ' + key + ': ' + e.message);
          routes.delete(key);
        }
        return;
      }
      if (route.ready) route.ws.send(frame(d));
      else route.pending.push(d);
    });
    sock.bind(0, '127.0.0.1', () => console.log('port ' + sock.address().port));
    return;
  }
  const server = net.createServer(async (sock) => {
    sock.pause();
    try {
      const { ws, r } = await open(name, 0);
      const leftover = r.rest();
      ws.removeAllListeners('message');
      if (leftover.length) sock.write(leftover);
      ws.on('message', (m) => sock.write(Buffer.from(m)));
      ws.on('close', () => sock.end());
      sock.on('data', (d) => ws.send(d));
      sock.on('end', () => ws.close(1000, 'Shutdown'));
      sock.resume();
    } catch (e) {
      console.error('connection: ' + e.message);
      sock.destroy();
    }
  });
  server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
}

function probe() {
  const bytes = Buffer.from(rest[0], 'hex');
  const ws = new WebSocket(sendUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });
  const got = [];
  ws.on('open', () => ws.send(bytes));
  const report = () => {
    const all = Buffer.concat(got).subarray(0, 3);
    console.log('reply ' + (all.length ? all.toString('hex') : '-'));
    process.exit(0);
  };
  // An answer is three bytes; a refusal closes after them, an acceptance goes on.
  ws.on('message', (m) => { got.push(Buffer.from(m)); if (Buffer.concat(got).length >= 3) report(); });
  ws.on('close', report);
  ws.on('error', (e) => die(e.message));
  setTimeout(() => die('no close within 20 s; got ' + Buffer.concat(got).toString('hex')), 20000).unref();
}

if (mode === 'listen') listen();
else if (mode === 'forward') forward();
else if (mode === 'probe') probe();
else die('usage: azbridge_peer.js listen|forward|probe ENTITY ...');
process.on('SIGTERM', () => process.exit(0));
