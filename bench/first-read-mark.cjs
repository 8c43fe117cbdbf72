// Preloaded (`node --require`) by bench/cli-startup.ts: at the first open() of the file named by
// L1T_FIRST_READ_PATH (the capture being analysed: nothing of it can be read before), writes one line
// `L1T_FIRST_READ {"t":<CLOCK_MONOTONIC ns>,"cpuUs":<user+system µs of the process so far>}` to stderr,
// and at exit `L1T_EXIT {"cpuUs":…}`. process.hrtime is CLOCK_MONOTONIC, the parent's clock too, so
// the parent measures the wall time from its spawn() call. CommonJS on purpose: it patches node:fs before
// any ES module binds its exports (syncBuiltinESMExports carries the patch to `import { open }`).
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload */
/* global require */
'use strict';
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const target = process.env.L1T_FIRST_READ_PATH;
let marked = false;
const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
function mark(path) {
  if (marked || String(path) !== target) return;
  marked = true;
  const line = { t: process.hrtime.bigint().toString(), cpuUs: cpuUs() };
  fs.writeSync(2, `L1T_FIRST_READ ${JSON.stringify(line)}\n`);
}
// every way the pipeline opens a file: createReadStream (fs.open), FileHandle (fs.promises.open), sync
for (const [obj, name] of [
  [fs, 'open'],
  [fs, 'openSync'],
  [fs.promises, 'open'],
]) {
  const original = obj[name];
  obj[name] = function (path, ...rest) {
    mark(path);
    return original.call(this, path, ...rest);
  };
}
syncBuiltinESMExports();
process.on('exit', () => fs.writeSync(2, `L1T_EXIT ${JSON.stringify({ cpuUs: cpuUs() })}\n`));
