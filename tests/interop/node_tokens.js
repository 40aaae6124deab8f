// Mints tokens with Microsoft's hyco-ws and hyco-https createRelayToken for a
// set of URI forms, prints "uri<TAB>token" lines; and, given tokens from
// hyco-token on stdin with --check KEY, verifies them with node's own crypto.
'use strict';
const crypto = require('node:crypto');
const ws = require('hyco-ws');
const https = require('hyco-https');

const [mode, keyName, key] = process.argv.slice(2);
if (mode === 'mint') {
  const uris = [
    ws.createRelayListenUri('contoso.servicebus.windows.net', 'hyco'),
    ws.createRelaySendUri('contoso.servicebus.windows.net', 'hyco'),
    https.createRelayHttpsUri('contoso.servicebus.windows.net', 'hyco'),
    'wss://contoso.servicebus.windows.net/$hc/hyco?sb-hc-action=listen',
    'sb://contoso.servicebus.windows.net/hyco',
  ];
  for (const u of uris) {
    process.stdout.write(`${u}\t${ws.createRelayToken(u, keyName, key, 600)}\n`);
    process.stdout.write(`${u}\t${https.createRelayToken(u, keyName, key, 600)}\n`);
  }
} else if (mode === 'check') {
  // Recompute the signature the way the service does: over the raw sr and se.
  const token = require('node:fs').readFileSync(0, 'utf8').trim();
  const fields = Object.fromEntries(token.replace(/^SharedAccessSignature /, '').split('&').map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i), p.slice(i + 1)];
  }));
  const expected = crypto.createHmac('sha256', key).update(`${fields.sr}\n${fields.se}`).digest('base64');
  if (decodeURIComponent(fields.sig) !== expected) { console.error('signature mismatch'); process.exit(1); }
  if (decodeURIComponent(fields.skn) !== keyName) { console.error('key name mismatch'); process.exit(1); }
  console.log(decodeURIComponent(fields.sr));
} else {
  console.error('usage: node_tokens.js mint|check KEYNAME KEY');
  process.exit(2);
}
