// Preloaded (node --require) into Microsoft's unmodified examples and tests:
// they address the service as NAMESPACE:443 by name. Connections to
// HYCO_LOCALTEST_HOST (a name no resolver knows, e.g. relay.localtest) go to
// 127.0.0.1, and port 443 to the relay's HYCO_LOCALTEST_PORT. Host name, SNI
// and certificate verification are untouched: the relay's certificate must
// name the host and chain to a CA in NODE_EXTRA_CA_CERTS.
'use strict';
const net = require('node:net');
const tls = require('node:tls');

const host = process.env.HYCO_LOCALTEST_HOST;
const port = Number(process.env.HYCO_LOCALTEST_PORT);
if (!host || !port) throw new Error('localtest_preload: set HYCO_LOCALTEST_HOST and HYCO_LOCALTEST_PORT');

function lookup(name, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  if (name !== host) return require('node:dns').lookup(name, options, callback);
  if (options && options.all) return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
  return process.nextTick(callback, null, '127.0.0.1', 4);
}

function redirect(options) {
  if (options && typeof options === 'object' && (options.host === host || options.servername === host)) {
    options.lookup = lookup;
    if (Number(options.port) === 443) options.port = port;
  }
  return options;
}

for (const mod of [net, tls]) {
  const original = mod.connect;
  mod.connect = function connect(...args) {
    if (args[0] && typeof args[0] === 'object') redirect(args[0]);
    return original.apply(this, args);
  };
  if (mod === net) net.createConnection = net.connect;
}
