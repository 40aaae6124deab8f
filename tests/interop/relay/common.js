// Shared helpers for hyco-relay interop scripts: the relay's connection
// string (HYCO_CONNECTION_STRING), relay URIs and tokens minted with the
// Microsoft packages' own createRelayToken.
'use strict';
const hycoWs = require('hyco-ws');

function connection() {
  const cs = process.env.HYCO_CONNECTION_STRING;
  if (!cs) throw new Error('HYCO_CONNECTION_STRING is not set');
  const parts = {};
  for (const seg of cs.split(';')) {
    const i = seg.indexOf('=');
    if (i > 0) parts[seg.slice(0, i).toLowerCase()] = seg.slice(i + 1);
  }
  const m = /^sb:\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(parts.endpoint);
  if (!m) throw new Error('unexpected Endpoint ' + parts.endpoint);
  const tls = !/usedevelopmentemulator=true/i.test(cs);
  return { host: m[1], port: Number(m[2]), keyName: parts.sharedaccesskeyname, key: parts.sharedaccesskey, tls };
}

function base(c) { return (c.tls ? 'wss://' : 'ws://') + c.host + ':' + c.port; }

function listenUri(c, path) { return base(c) + '/$hc/' + path + '?sb-hc-action=listen'; }
function sendUri(c, path) { return base(c) + '/$hc/' + path + '?sb-hc-action=connect'; }
function httpUri(c, path) { return (c.tls ? 'https://' : 'http://') + c.host + ':' + c.port + '/' + path; }

// A token for `path`, optionally with another rule/key or lifetime.
function token(c, path, opts) {
  opts = opts || {};
  const uri = opts.uri || ('http://' + c.host + ':' + c.port + '/' + path);
  return hycoWs.createRelayToken(uri, opts.keyName || c.keyName, opts.key || c.key, opts.seconds);
}

// Deterministic pseudo-random bytes, so a mismatch names its first offset.
function pattern(size, seed) {
  const b = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function text(size, seed) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';
  const p = pattern(size, seed);
  let s = '';
  for (let i = 0; i < size; i++) s += alphabet[p[i] % alphabet.length];
  return s;
}

function die(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}

module.exports = { connection, listenUri, sendUri, httpUri, token, pattern, text, die };
