// A raw listener (node `ws`) that behaves like .NET on HTTP rendezvous: it
// answers the request that arrives there, then closes the rendezvous with
// 1000. Small requests on the control channel are answered there with
// status 200 and no body. Prints "listening", then "rendezvous closed" per
// rendezvous it closed.
// Usage: node rv_close_listener.js ENTITY
'use strict';
const WebSocket = require('ws');
const { connection, listenUri, token } = require('./common');

const c = connection();
const path = process.argv[2];
const control = new WebSocket(listenUri(c, path), { headers: { ServiceBusAuthorization: token(c, path) } });

function answerOnRendezvous(address) {
  const rv = new WebSocket(address, { perMessageDeflate: false });
  let request = null;
  const respond = () => {
    rv.send(JSON.stringify({ response: { requestId: request.id, statusCode: 200, body: true } }));
    rv.send(Buffer.from('closing'), { binary: true, fin: true });
    rv.close(1000);
  };
  rv.on('message', (data, isBinary) => {
    if (!isBinary) {
      request = JSON.parse(data.toString()).request;
      if (!request.body) respond();
    } else if (request) {
      respond();  // `ws` delivers the whole fragmented message at once
    }
  });
  rv.on('close', () => console.log('rendezvous closed'));
}

control.on('open', () => console.log('listening'));
control.on('message', (data, isBinary) => {
  if (isBinary) return;  // a small request's body: not needed for the answer
  const r = JSON.parse(data.toString()).request;
  if (!r) return;
  if (!r.method) { answerOnRendezvous(r.address); return; }
  control.send(JSON.stringify({ response: { requestId: r.id, statusCode: 200, body: false } }));
});
control.on('error', (e) => console.error('listener error: ' + e.message));
process.on('SIGTERM', () => process.exit(0));
