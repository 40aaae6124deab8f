// Node's http client as an HTTP sender. Sends one request and prints a JSON
// line {status, reason, headers, bodyLength, bodyOk} where bodyOk says the
// response body equals the request body (the listener echoes it).
// Usage: node http_sender.js METHOD ENTITY[/suffix?query] BODY_BYTES [header:value...]
// A header "token:none" sends no token, "token:query" puts it in sb-hc-token.
'use strict';
const { connection, token, pattern } = require('./common');

const c = connection();
// Over wss:// the relay uses a self-signed certificate (tests trust it explicitly).
const http = c.tls ? require('node:https') : require('node:http');
const [method, target, size, ...hdrs] = process.argv.slice(2);
const entity = target.split(/[/?]/)[0];
const body = pattern(Number(size), 7);
const headers = {};
let where = 'header';
for (const h of hdrs) {
  const i = h.indexOf(':');
  const name = h.slice(0, i);
  if (name === 'token') where = h.slice(i + 1);
  else headers[name] = h.slice(i + 1);
}
let path = '/' + target;
if (where === 'header') headers['ServiceBusAuthorization'] = token(c, entity);
if (where === 'query') path += (path.includes('?') ? '&' : '?') + 'sb-hc-token=' + encodeURIComponent(token(c, entity));
if (body.length) headers['content-length'] = body.length;
const req = http.request({ host: c.host, port: c.port, method, path, headers, agent: false, rejectUnauthorized: false }, (res) => {
  const chunks = [];
  res.on('data', (d) => chunks.push(d));
  res.on('end', () => {
    const got = Buffer.concat(chunks);
    console.log(JSON.stringify({
      status: res.statusCode, reason: res.statusMessage, headers: res.headers,
      bodyLength: got.length, bodyOk: got.equals(body), body: got.length < 2000 ? got.toString() : undefined,
    }));
    process.exit(0);
  });
});
req.setTimeout(120000, () => { console.error('FAIL: timeout'); process.exit(1); });
req.on('error', (e) => { console.error('FAIL: ' + e.message); process.exit(1); });
req.end(body);
