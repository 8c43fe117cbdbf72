#!/usr/bin/env node
// Entry of `npx l1t`: runs the compiled CLI (`npm run build`, done by `npm start`/`npm install`) — its esbuild
// bundle (dist/bundle, made by apps/cli/bundle.mjs: one CommonJS file instead of ~420 modules, compiled with V8's code cache, issue 14 item 3)
// while that is the build output of every workspace in it, else the tsc output dist/main.js (the same code).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('l1t: the CLI is not built yet: run `npm run build` in the repository root');
  process.exit(1);
}
const { freshBundle } = await import(new URL('../dist/bundle-fresh.js', import.meta.url).href);
// stack traces of L1T_DEBUG=1 name the TypeScript sources (the bundle's maps lead through tsc's to them)
if (process.env.L1T_DEBUG) process.setSourceMapsEnabled(true);
const bundle = freshBundle(new URL('../dist/bundle/', import.meta.url));
if (bundle) {
  // the bundle is CommonJS, compiled with V8's code cache (src/bundle-run.ts)
  const { runBundle } = await import(new URL('../dist/bundle-run.js', import.meta.url).href);
  runBundle(bundle);
} else {
  await import(main.href);
}
