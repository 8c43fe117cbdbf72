// Preload (`node --require`) that makes `chdb` and its native packages unresolvable, as in the default image
// (the Dockerfile removes them unless EMBEDDED=1): a smoke test under it proves the server never needs them.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload */
/* global require */
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'chdb' || request.startsWith('chdb/') || request.startsWith('@chdb/')) {
    const err = new Error(`Cannot find module '${request}' (not in this image)`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
