// Runs a Jest test file from Microsoft's hyco-https package unmodified, with
// the few Jest globals it uses (describe, test with a done callback, expect
// toBe/toBeDefined/toBeUndefined, jest.setTimeout/clearAllTimers). Tests run
// one after another; each must call done within 60 s (generous on purpose:
// the files ask for 5 s, a loaded test machine is slower). Prints "pass NAME"
// or "FAIL NAME: why" per test and exits 1 if any failed.
// Usage: node jest_lite.js FILE.test.js
'use strict';
const path = require('node:path');
const util = require('node:util');

const tests = [];
const prefix = [];
let current = null;

global.describe = (name, fn) => { prefix.push(name); fn(); prefix.pop(); };
global.test = (name, fn) => tests.push({ name: [...prefix, name].join(' > '), fn });
global.jest = { setTimeout() {}, clearAllTimers() {} };
global.expect = (actual) => {
  const check = (ok, what) => {
    if (!ok) {
      const e = new Error('expected ' + util.inspect(actual).slice(0, 200) + ' ' + what);
      if (current) current.fail(e);
      throw e;
    }
  };
  return {
    toBe: (want) => check(Object.is(actual, want), 'to be ' + util.inspect(want).slice(0, 200)),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
  };
};

process.on('uncaughtException', (e) => { if (current) current.fail(e); else { console.error(e); process.exit(1); } });

require(path.resolve(process.argv[2]));

let failed = 0;
(async () => {
  for (const t of tests) {
    await new Promise((resolve) => {
      let finished = false;
      const end = (err) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        current = null;
        if (err) { failed++; console.log('FAIL ' + t.name + ': ' + (err.message || err)); } else console.log('pass ' + t.name);
        setTimeout(resolve, 200);  // let the closed listener's control channel go before the next test
      };
      const timer = setTimeout(() => end(new Error('done was not called within 60 s')), 60000);
      current = { fail: end };
      try { t.fn(() => end()); } catch (e) { end(e); }
    });
  }
  console.log(tests.length - failed + ' of ' + tests.length + ' passed');
  process.exit(failed ? 1 : 0);
})();
