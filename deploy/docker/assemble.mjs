// Build-stage helper of the Dockerfile: copies what the runtime image needs out of a built checkout.
//   node deploy/docker/assemble.mjs OUT_DIR
// OUT_DIR/manifests: package.json + package-lock.json + every workspace's package.json (for `npm ci --omit=dev`);
// OUT_DIR/app: every workspace's package.json and the files it publishes (its "files", default dist: dist, knowledge…,
// plus its "bin" entries) — never sources, tests or dev tooling.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const [outArg] = process.argv.slice(2);
if (!outArg) {
  process.stderr.write('usage: node deploy/docker/assemble.mjs OUT_DIR\n');
  process.exit(2);
}
const root = process.cwd();
const out = resolve(outArg);
const readJson = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const copy = (rel, base) => {
  const to = join(out, base, rel);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, rel), to, { recursive: true });
};

const rootPkg = readJson('package.json');
for (const f of ['package.json', 'package-lock.json']) copy(f, 'manifests');
for (const ws of rootPkg.workspaces) {
  const pkg = readJson(`${ws}/package.json`);
  copy(`${ws}/package.json`, 'manifests');
  copy(`${ws}/package.json`, 'app');
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  // A workspace without "files" (the web app) ships its build output.
  const published = [...(pkg.files ?? ['dist']), ...bins];
  for (const f of published) {
    const rel = join(ws, f);
    if (!existsSync(join(root, rel))) throw new Error(`${rel} is missing: run npm run build first`);
    copy(rel, 'app');
  }
}
process.stdout.write(`assembled ${rootPkg.workspaces.length} workspaces into ${out}\n`);
