// Node's http client sending several requests one after another on ONE
// keep-alive connection, to check HTTP rendezvous reuse. Prints a JSON line
// per request {status, bodyOk, bodyLength, port, reused} (port: the local
// port of the TCP connection used), then "server closed" or "still open"
// for that connection 2 s after the last response. DELAY asks the listener
// (http_listener.js) to wait that long before answering; GAP waits between
// requests.
// Usage: node http_keepalive_sender.js ENTITY METHOD:BYTES[:DELAY_MS]... [gap=MS]
'use strict';
const http = require('node:http');
const { connection, token, pattern, die } = require('./common');

const c = connection();
const [entity, ...args] = process.argv.slice(2);
const steps = args.filter((a) => !a.startsWith('gap='));
const gap = Number((args.find((a) => a.startsWith('gap=')) || 'gap=0').slice(4));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let lastSocket = null;
let closed = false;

function send(i) {
  if (i === steps.length) {
    setTimeout(() => { console.log(closed ? 'server closed' : 'still open'); agent.destroy(); process.exit(0); }, 2000);
    return;
  }
  const [method, size, delay] = steps[i].split(':');
  const body = pattern(Number(size), i + 3);
  const headers = { ServiceBusAuthorization: token(c, entity) };
  if (body.length) headers['content-length'] = body.length;
  if (delay) headers['x-delay-ms'] = delay;
  const req = http.request({ host: c.host, port: c.port, method, path: '/' + entity + '/step' + i, headers, agent }, (res) => {
    const chunks = [];
    res.on('data', (d) => chunks.push(d));
    res.on('end', () => {
      const got = Buffer.concat(chunks);
      console.log(JSON.stringify({ status: res.statusCode, bodyOk: got.equals(body), bodyLength: got.length,
                                   port: req.socket.localPort, reused: req.reusedSocket }));
      setTimeout(() => send(i + 1), gap);
    });
  });
  req.on('socket', (s) => {
    if (s === lastSocket) return;
    lastSocket = s;
    closed = false;
    s.on('close', () => { if (s === lastSocket) closed = true; });
  });
  req.setTimeout(60000, () => die('timeout in step ' + i));
  req.on('error', (e) => die('step ' + i + ': ' + e.message + (req.reusedSocket ? ' (on a reused connection)' : '')));
  req.end(body);
}
send(0);
