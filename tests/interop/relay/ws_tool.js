// A scriptable raw WebSocket peer (node `ws` 8) for hyco-relay's negative
// and protocol tests. Prints one line per event; see the usage below.
//   probe ACTION ENTITY [opts]  connect once (listen/connect), print
//                               "status CODE REASON" or "open"
//   listen ENTITY [opts]        control channel; on accept act per
//                               behavior=accept|reject|reuse|late
//   send ENTITY [opts]          sender: "open", "echo MSG", or "status ..."
//   listeners ENTITY N [opts]   open N control channels, print each result
// opts: token=header|query|none keyName=K key=K seconds=S audience=ENTITY
//       renew=MS hold=MS code=N desc=TEXT unprefixed=1 delay=MS msg=TEXT
//       id=SB-HC-ID allow=IDS deny=IDS (Microsoft-Relay-*Listeners headers)
//       ping=1 (send an unsolicited Pong, then a Ping; prints "pong x")
'use strict';
const WebSocket = require('ws');
const { connection, token, die } = require('./common');

const c = connection();
const [cmd, ...rest] = process.argv.slice(2);
const opts = {};
const pos = [];
for (const a of rest) {
  const i = a.indexOf('=');
  if (i > 0) opts[a.slice(0, i)] = a.slice(i + 1); else pos.push(a);
}
const base = 'ws://' + c.host + ':' + c.port;

function mint(entity) {
  return token(c, opts.audience || entity, {
    keyName: opts.keyName, key: opts.key, seconds: opts.seconds ? Number(opts.seconds) : undefined,
  });
}

function open(action, entity, onOpen) {
  let url = base + '/$hc/' + entity + '?sb-hc-action=' + action;
  const o = { perMessageDeflate: false };
  const where = opts.token || 'header';
  if (where === 'query') url += '&sb-hc-token=' + encodeURIComponent(mint(entity));
  o.headers = {};
  if (where === 'header') o.headers.ServiceBusAuthorization = mint(entity);
  if (opts.id) url += '&sb-hc-id=' + encodeURIComponent(opts.id);
  if (opts.allow) o.headers['Microsoft-Relay-AllowedListeners'] = opts.allow;
  if (opts.deny) o.headers['Microsoft-Relay-DisallowedListeners'] = opts.deny;
  const ws = new WebSocket(url, o);
  ws.on('unexpected-response', (req, res) => {
    console.log(`status ${res.statusCode} ${res.statusMessage}`);
    if (onOpen.refused) onOpen.refused(res.statusCode); else process.exit(0);
  });
  ws.on('open', () => onOpen(ws));
  ws.on('error', (e) => { if (!/Unexpected server response/.test(e.message)) die(e.message); });
  return ws;
}

// Connects to a rendezvous address; reports the handshake status.
function rendezvous(address, cb) {
  const ws = new WebSocket(address, { perMessageDeflate: false });
  ws.on('unexpected-response', (req, res) => cb(res.statusCode, res.statusMessage, null));
  ws.on('open', () => cb(101, '', ws));
  ws.on('error', () => {});
}

const hold = Number(opts.hold || 0);
if (hold) setTimeout(() => { console.log('held'); process.exit(0); }, hold);

if (cmd === 'probe') {
  open(pos[0], pos[1], (ws) => { console.log('open'); ws.close(1000); setTimeout(() => process.exit(0), 100); });
} else if (cmd === 'send') {
  open('connect', pos[0], (ws) => {
    console.log('open');
    ws.send(opts.msg || 'hello');
    ws.on('message', (d) => { console.log('echo ' + d); ws.close(1000, 'bye'); });
    ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
  });
} else if (cmd === 'listen') {
  const entity = pos[0];
  const ws = open('listen', entity, () => {
    console.log('listening');
    if (opts.ping) {
      ws.pong();  // unsolicited, as .NET and hyco-https keep-alives do
      ws.on('pong', (d) => console.log('pong ' + d));
      ws.ping('x');
    }
    if (opts.renew) {
      setInterval(() => ws.send(JSON.stringify({ renewToken: { token: mint(entity) } })), Number(opts.renew));
    }
  });
  ws.on('close', (code, reason) => { console.log(`closed ${code} ${reason}`); process.exit(0); });
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (!m.accept) return;
    const a = m.accept;
    console.log('accept ' + (a.connectHeaders['Sec-WebSocket-Key'] ? 'with-key' : 'no-key') + ' ' + a.remoteEndpoint.address);
    const behavior = opts.behavior || 'accept';
    if (behavior === 'reject') {
      const p = opts.unprefixed ? '' : 'sb-hc-';
      const desc = opts.unprefixed ? encodeURIComponent(opts.desc || '') : (opts.desc || '').replace(/ /g, '+');
      rendezvous(`${a.address}&${p}statusCode=${opts.code || 400}&${p}statusDescription=${desc}`,
        (status) => console.log('reject answered ' + status));
    } else if (behavior === 'late') {
      setTimeout(() => rendezvous(a.address, (status) => console.log('late accept answered ' + status)),
        Number(opts.delay || 2000));
    } else {
      rendezvous(a.address, (status, msg, r) => {
        console.log('accept answered ' + status);
        if (!r) return;
        r.on('message', (d, bin) => r.send(d, { binary: bin }));
        r.on('close', (code) => console.log('rendezvous closed ' + code));
        if (behavior === 'reuse') rendezvous(a.address, (s2, m2) => console.log(`reuse answered ${s2} ${m2}`));
      });
    }
  });
} else if (cmd === 'listeners') {
  const n = Number(pos[1]);
  let i = 0;
  const next = () => {
    if (i++ >= n) { console.log('done'); return; }
    const f = (ws) => { console.log('open ' + i); next(); };
    f.refused = () => next();
    open('listen', pos[0], f);
  };
  next();
} else {
  die('unknown command ' + cmd);
}
