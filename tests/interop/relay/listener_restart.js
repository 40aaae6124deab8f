// A hyco-https server restarted inside one process, with a keep-alive
// sender: server A answers a large POST over a rendezvous (which the relay
// keeps for the sender's connection), then A.close() closes its control
// channel but not that rendezvous, and server B comes online on the same
// entity. The next request on the same keep-alive connection must reach B
// through B's control channel, not A over the kept rendezvous.
// Prints one JSON line per request {status, by, reused}, by = x-listener.
// Usage: node listener_restart.js ENTITY (needs --status-public on the relay)
'use strict';
const http = require('node:http');
const https = require('hyco-https');
const { connection, listenUri, token, pattern, die } = require('./common');

const c = connection();
const path = process.argv[2];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function serve(name) {
  const server = https.createRelayedServer({ server: listenUri(c, path), token: () => token(c, path) }, (req, res) => {
    req.resume();
    req.on('end', () => { res.setHeader('x-listener', name); res.end('by ' + name); });
  });
  server.on('error', (e) => console.error('listener ' + name + ': ' + (e && e.message ? e.message : e)));
  server.listen();
  return server;
}

function request(method, size, done) {
  const body = pattern(size, 1);
  const headers = { ServiceBusAuthorization: token(c, path), 'content-length': body.length };
  const req = http.request({ host: c.host, port: c.port, method, path: '/' + path + '/x', headers, agent }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(JSON.stringify({ status: res.statusCode, by: res.headers['x-listener'] || null,
                                   reused: req.reusedSocket }));
      done();
    });
  });
  req.setTimeout(30000, () => die(method + ' timed out'));
  req.on('error', (e) => die(method + ': ' + e.message));
  req.end(body);
}

// Online listeners on the entity, from the relay's status report.
function listeners(done) {
  http.get({ host: c.host, port: c.port, path: '/$relay/status' }, (res) => {
    let s = '';
    res.on('data', (d) => { s += d; });
    res.on('end', () => {
      const e = JSON.parse(s).entities.find((x) => x.path === path);
      done(e ? e.listenerCount : 0);
    });
  }).on('error', (e) => die('status: ' + e.message));
}

function until(want, then, tries = 100) {
  listeners((n) => {
    if (n === want) return then();
    if (!tries) return die('the entity never had ' + want + ' listener(s), last ' + n);
    setTimeout(() => until(want, then, tries - 1), 100);
  });
}

const a = serve('A');
a.on('listening', () => request('POST', 100000, () => {
  a.close();  // the control channel only: A's rendezvous stays open
  until(0, () => {
    const b = serve('B');
    b.on('listening', () => until(1, () => request('GET', 0, () => {
      b.close();
      agent.destroy();
      process.exit(0);
    })));
  });
}));
setTimeout(() => die('the scenario did not finish within 60 s'), 60000).unref();
