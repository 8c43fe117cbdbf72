#!/usr/bin/env node
// Entry of `npx l1t`: runs the compiled CLI (`npm run build`, done by `npm start`/`npm install`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('l1t: the CLI is not built yet: run `npm run build` in the repository root');
  process.exit(1);
}
await import(main.href);
