// A hyco-https relayed server that answers every request with what it saw:
// status from x-status (reason from x-reason), the request body echoed
// back, and x-method / x-url / x-via / x-custom / x-body-length headers.
// Usage: node http_listener.js ENTITY; prints "listening" when online.
'use strict';
const https = require('hyco-https');
const { connection, listenUri, token } = require('./common');

const c = connection();
const path = process.argv[2];
const uri = listenUri(c, path);
const server = https.createRelayedServer({ server: uri, token: () => token(c, path) }, (req, res) => {
  if (process.env.HYCO_DEBUG) console.error('request ' + req.method + ' ' + req.url);
  const chunks = [];
  req.on('data', (d) => chunks.push(Buffer.from(d)));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (process.env.HYCO_DEBUG) console.error('end ' + body.length);
    res.setHeader('x-method', req.method);
    res.setHeader('x-url', req.url);
    res.setHeader('x-via', req.headers['via'] || '');
    res.setHeader('x-custom', req.headers['x-custom'] || '');
    res.setHeader('x-auth-seen', req.headers['serviceBusAuthorization'.toLowerCase()] ? 'yes' : 'no');
    res.setHeader('x-body-length', String(body.length));
    res.setHeader('content-type', 'application/octet-stream');
    const delay = Number(req.headers['x-delay-ms'] || 0);
    const finish = () => {
      res.statusCode = Number(req.headers['x-status'] || 200);
      if (req.headers['x-reason']) res.statusMessage = req.headers['x-reason'];
      // hyco-https never answers res.end(<empty Buffer>): pass nothing instead.
      if (req.method === 'HEAD' || body.length === 0) res.end(); else res.end(body);
    };
    if (delay) setTimeout(finish, delay); else finish();
  });
});
server.on('listening', () => console.log('listening'));
server.on('error', (e) => console.error('listener error: ' + (e && e.message ? e.message : e)));
server.listen();
process.on('SIGTERM', () => { try { server.close(); } catch (e) { /* closing anyway */ } process.exit(0); });
