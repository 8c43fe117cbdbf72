// `npm run bundle -w @l1t/cli` (a step of `npm run build`, after `tsc -b`): bundles the compiled CLI into
// dist/bundle/ with esbuild, which bin/l1t.js runs while it is fresh (issue 14 item 3: start-up before the
// first byte). Measured on `l1t analyze FILE --no-store`: of ~0.6 CPU-s before the capture is opened, about
// half was Node's ES-module loader resolving, reading and compiling ~420 files one by one (zod alone is 95);
// one bundle with a few chunks removes that per-file cost. The code is the same: the bundle is made from
// the tsc output (dist/*.js), not from the sources.
//
// What is bundled: this CLI and the workspaces of the analysis (contracts, capture, detect, pipeline) with
// the pure-JS packages they load at start-up (zod, commander). The stores (@l1t/store with drizzle-orm) are
// an ES-module bundle of their own beside it (store/), loaded only by a command that opens them: Node's
// ES-module loader took 0.18–0.24 CPU-s to resolve, read and compile its ~80 files on every `l1t analyze` into
// the stores, 0.03–0.06 as one bundle (6 runs each, load ~10; issue 14 item 5). It resolves the engines from
// where it lies, as the package did (the install's node_modules). Everything else stays an import resolved at
// run time — the server and the advisor (loaded lazily; they read files next to their own dist: the web app,
// the knowledge base), piscina, native and WebAssembly engines (chdb, PGlite, pg and the ClickHouse client,
// which the store loads when it opens one).
//
// Freshness: dist/bundle/stamps.json records the sha1 of every bundled workspace's .tsbuildinfo (tsc -b
// rewrites it whenever it emits) and of every bundled package's package.json. bin/l1t.js compares them
// and runs dist/main.js instead when any differs, so a `tsc -b` without this step never runs stale code.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const OUT = join(HERE, 'dist/bundle');

/** Bare imports bundled; any other bare import (node:*, @l1t/store, piscina, …) stays external. */
const BUNDLED = new Set(['@l1t/contracts', '@l1t/capture', '@l1t/detect', '@l1t/pipeline', 'zod', 'commander']);
/**
 * Bare imports bundled into the stores' bundle (store/index.js); the engines' drivers and @l1t/contracts (which
 * the store imports only to word an error) stay external.
 */
const STORE_BUNDLED = new Set(['@l1t/store', 'drizzle-orm']);
const packageName = (spec) => spec.split('/', spec.startsWith('@') ? 2 : 1).join('/');

/**
 * Worker modules that bundled code starts by URL (`new URL('./analyze-worker.js', import.meta.url)` in
 * file-runner.ts): each is an entry of the same name beside the chunks, so the URL finds it.
 */
const WORKERS = { 'analyze-worker': join(ROOT, 'packages/pipeline/dist/analyze-worker.js') };

/**
 * Writes main.cjs's code cache by running what most runs do — `analyze` of a small synthetic capture — through
 * bin/l1t.js, which saves the cache of every function compiled by then when it exits (bundle-run.ts). Best
 * effort: without it, the first run of the CLI writes the cache.
 */
function trainCodeCache() {
  const work = mkdtempSync(join(tmpdir(), 'l1t-bundle-train-'));
  try {
    const capture = join(work, 'train.pcap');
    const env = { ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'silent' };
    const run = (entry, args) => spawnSync(process.execPath, [entry, ...args], { env, stdio: 'ignore' }).status;
    // synth through the tsc output, so that the first run of the bundle is the analysis
    const made = run(join(HERE, 'dist/main.js'), [
      'synth',
      'fronthaul',
      '--out',
      capture,
      '--labels',
      join(work, 'train.jsonl'),
      '--faults',
      'example',
      '--duration',
      '0.05',
    ]);
    const analysed = made === 0 && run(join(HERE, 'bin/l1t.js'), ['analyze', capture, '--no-store', '--workers', '1']);
    if (analysed !== 0) process.stderr.write('bundle: no code cache written (the training run failed)\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Node 20 loses a vm.Script's `importModuleDynamically` when the script is compiled from a code cache: its
 * import() then fails ("A dynamic import callback was not specified"). So main.cjs makes no import() of its
 * own: each import("package") — the packages left out of the bundle — becomes __l1tImport("package"),
 * which bundle-run.ts gives it (an import() of an ES module, resolved from apps/cli/dist: the same
 * node_modules). Fails the build if any other import( is left.
 */
const HOST_FALLBACK = '(s) => import(s)';
function importsThroughHost(file) {
  const code = readFileSync(file, 'utf8');
  const rewritten = code.replace(/\bimport\((?="[^"]+"\))/g, '__l1tImport(');
  const left = /\bimport\(/.exec(
    rewritten.replace(HOST_FALLBACK, '').replace(/"(?:[^"\\\n]|\\.)*"/g, '""'), // the banner's own, strings
  );
  if (left) throw new Error(`bundle: main.cjs has an import( that bundle-run.ts cannot serve: ${left.index}`);
  writeFileSync(file, rewritten);
}

/** main.cjs's import of @l1t/store (through bundle-run.ts) becomes one of store/index.js beside it, by URL. */
function storeThroughBundle(file) {
  const code = readFileSync(file, 'utf8');
  const from = '__l1tImport("@l1t/store")';
  if (!code.includes(from)) throw new Error(`bundle: main.cjs has no ${from} to point at store/index.js`);
  writeFileSync(file, code.replaceAll(from, '__l1tImport(new URL("./store/index.js",__l1tBundleUrl).href)'));
}

const sha1 = (path) => createHash('sha1').update(readFileSync(path)).digest('hex');

/** The files whose content must not change for the bundle to be the build output (see the header). */
function stampFiles(inputs) {
  const files = new Set();
  for (const input of inputs) {
    const abs = resolve(ROOT, input);
    const nm = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(abs);
    const ws = /^(.*\/(?:packages|apps)\/[^/]+)\/dist\//.exec(abs);
    if (nm) files.add(join(nm[1], 'package.json'));
    else if (ws) files.add(join(ws[1], 'dist/.tsbuildinfo'));
    else throw new Error(`bundle: input outside a workspace's dist or node_modules: ${input}`);
  }
  return [...files].sort();
}

const stampsOf = (files) => files.map((f) => ({ file: relative(OUT, f), sha1: sha1(f) }));

/** Every file a stamp may name, hashed before esbuild reads dist/ (see the check after the build). */
function candidates() {
  const ws = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces.map((w) =>
    join(ROOT, w, 'dist/.tsbuildinfo'),
  );
  const nm = [...BUNDLED, ...STORE_BUNDLED]
    .filter((p) => !p.startsWith('@l1t/'))
    .map((p) => join(ROOT, 'node_modules', p, 'package.json'));
  return new Map([...ws, ...nm].filter((f) => existsSync(f)).map((f) => [f, sha1(f)]));
}

if (!existsSync(join(HERE, 'dist/main.js')))
  throw new Error('bundle: apps/cli/dist/main.js is missing: run tsc -b first');
rmSync(OUT, { recursive: true, force: true });
const before = candidates();
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // no comments or indentation: less to read and to hash for V8's code cache, and ASCII string literals, so
  // bundle-run.ts can read the source as latin1 without decoding UTF-8 (see `ascii` below)
  minifyWhitespace: true,
  charset: 'ascii',
  sourcemap: 'linked', // through the tsc maps to the .ts sources (bin/l1t.js enables them under L1T_DEBUG)
  metafile: true,
  logLevel: 'warning',
  plugins: [externals(BUNDLED)],
};

/** Leaves every bare import outside `bundled` (node:*, the engines, …) to be resolved at run time. */
function externals(bundled) {
  return {
    name: 'l1t-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        bundled.has(packageName(args.path)) ? undefined : { path: args.path, external: true },
      );
    },
  };
}
// The CLI: ONE CommonJS file, because CommonJS can be compiled with V8's code cache (bundle-run.ts; Node
// 20's ES-module loader has no way to pass one): compiling ~2 MB of JavaScript was the largest cost of the
// start-up left after bundling. The commands' dynamic import()s of bundled modules become lazy
// initialisers (nothing of a command runs before it is chosen); import()s of the packages left out (the
// stores, the server, the advisor: ES modules, which require() cannot load in Node 20) stay import()s.
// `import.meta.url` is the bundle's own URL, for the worker modules it starts beside it.
const cli = await build({
  ...common,
  entryPoints: [join(HERE, 'dist/main.js')],
  outfile: join(OUT, 'main.cjs'),
  format: 'cjs',
  define: { 'import.meta.url': '__l1tBundleUrl' },
  banner: {
    js:
      'var __l1tBundleUrl = require("node:url").pathToFileURL(__filename).href;' +
      // see importsThroughHost below: run by bundle-run.ts, the host's import(); run as a plain CommonJS
      // file (`node main.cjs`, the tests), Node's own
      `var __l1tImport = typeof __l1tImportHost === "function" ? __l1tImportHost : ${HOST_FALLBACK};`,
  },
});
importsThroughHost(join(OUT, 'main.cjs'));
// Worker modules stay ES modules (piscina loads them by URL on their own threads).
const workers = await build({
  ...common,
  entryPoints: WORKERS,
  outdir: OUT,
  entryNames: '[name]',
  format: 'esm',
  // commander is CommonJS: its require() of Node built-ins needs a require in an ES module.
  banner: {
    js: "import { createRequire as __l1tRequire } from 'node:module'; const require = __l1tRequire(import.meta.url);",
  },
});
// The stores: an ES module (their driver imports stay import()s, and chunks keep the PGlite and node-postgres
// halves of drizzle-orm apart, each loaded with its engine). main.cjs imports it instead of @l1t/store
// (storeThroughBundle), so every store object of the CLI comes from one copy.
const store = await build({
  ...common,
  entryPoints: { index: join(ROOT, 'packages/store/dist/index.js') },
  outdir: join(OUT, 'store'),
  format: 'esm',
  splitting: true,
  plugins: [externals(STORE_BUNDLED)],
});
storeThroughBundle(join(OUT, 'main.cjs'));
const result = {
  metafile: {
    inputs: { ...cli.metafile.inputs, ...workers.metafile.inputs, ...store.metafile.inputs },
    outputs: { ...cli.metafile.outputs, ...workers.metafile.outputs, ...store.metafile.outputs },
  },
};

const outputs = Object.keys(result.metafile.outputs).filter((o) => /\.c?js$/.test(o));
for (const o of outputs) {
  const code = readFileSync(resolve(ROOT, o), 'utf8');
  // every worker URL in the bundle must name a file of the bundle (a new one needs an entry in WORKERS)
  for (const [, file] of code.matchAll(/new URL\("\.\/([^"]+)", (?:import\.meta\.url|__l1tBundleUrl)\)/g)) {
    if (!existsSync(join(OUT, file))) throw new Error(`bundle: ${o} starts ./${file}, which is not in the bundle`);
  }
}

const inputs = Object.keys(result.metafile.inputs);
const files = stampFiles(inputs);
const stamps = stampsOf(files);
// A tsc -b that ran while esbuild read dist/ would leave a bundle of mixed builds: then write no stamps
// (bin/l1t.js runs dist/main.js) and fail, rather than mark it fresh.
const changed = files.filter((f, i) => before.get(f) !== stamps[i].sha1);
if (changed.length > 0) {
  throw new Error(`bundle: rebuilt or unknown while bundling: ${changed.join(', ')}; run the step again`);
}
writeFileSync(join(OUT, 'stamps.json'), JSON.stringify(stamps, null, 1) + '\n');
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile));
// The name of main.cjs's code cache (bundle-run.ts): V8 checks a cache against the source's length only, so
// the name carries the content's digest — a cache of another bundle is never taken for this one's.
// `ascii`: esbuild escapes strings but not regular expressions; bundle-run.ts decodes UTF-8 only if needed.
const mainBytes = readFileSync(join(OUT, 'main.cjs'));
writeFileSync(
  join(OUT, 'code-cache.json'),
  JSON.stringify({ key: sha1(join(OUT, 'main.cjs')).slice(0, 16), ascii: mainBytes.every((b) => b < 0x80) }) + '\n',
);
trainCodeCache();
process.stdout.write(
  `bundle: ${inputs.length} modules into ${outputs.length} files in ${relative(ROOT, OUT)} (${stamps.length} stamps)\n`,
);
