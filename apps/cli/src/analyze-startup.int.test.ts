import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../../../packages/capture/src/test-support/pcap-builder.js';
import { REQUIRE_ALL_SUITES } from '../../../test-support/shared.js';
import { freshBundle } from './bundle-fresh.js';

const BIN = fileURLToPath(new URL('../bin/l1t.js', import.meta.url));
const DIST_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BUNDLE_DIR = new URL('../dist/bundle/', import.meta.url);
const BUILT = existsSync(DIST_MAIN);
const BUNDLED = BUILT && freshBundle(BUNDLE_DIR) !== undefined;
if (!BUNDLED && REQUIRE_ALL_SUITES) {
  throw new Error('the CLI bundle is missing or stale (npm run build) and L1T_REQUIRE_ALL_SUITES=1');
}
const TRACE = fileURLToPath(new URL('./test-support/module-trace.mjs', import.meta.url));

/**
 * What `l1t analyze FILE --no-store` loads (issue 14: start-up before the first byte is read). Nothing of the
 * stores, the server or the advisor, nor their engines: chDB (a native library of ~hundreds of MB), PGlite
 * (PostgreSQL in WebAssembly), Drizzle, node-postgres, the AWS SDK, Fastify — nor the worker pool (piscina)
 * for one file on one worker. The built command runs as a user runs it, with a preload that lists every
 * module the process loaded; in the bundle, the modules main.cjs was made of (its metafile) count as
 * loaded.
 */
const FORBIDDEN: [string, RegExp][] = [
  ['@l1t/store', /\/packages\/store\//],
  ['@l1t/server', /\/apps\/server\//],
  ['@l1t/advisor', /\/packages\/advisor\//],
  ['CLI store opener', /\/apps\/cli\/dist\/open-stores\.js$/],
  ['chDB', /\/node_modules\/chdb\//],
  ['PGlite', /\/node_modules\/@electric-sql\//],
  ['Drizzle', /\/node_modules\/drizzle-orm\//],
  ['node-postgres', /\/node_modules\/pg(-[a-z]+)?\//],
  ['AWS SDK', /\/node_modules\/@aws-sdk\//],
  ['Fastify', /\/node_modules\/fastify\//],
  ['piscina', /\/node_modules\/piscina\//],
];

const forbiddenIn = (loaded: string[]): string[] =>
  FORBIDDEN.flatMap(([what, re]) => {
    const hit = loaded.find((u) => re.test(u));
    return hit ? [`${what}: ${hit}`] : [];
  });

describe.runIf(BUILT)('l1t analyze --no-store start-up', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'l1t-startup-'));
    const packets = Array.from({ length: 3 }, (_, i) => ({
      tsSec: 1_790_000_000 + i,
      tsFrac: 0,
      data: new Uint8Array(64).fill(i),
    }));
    writeFileSync(join(work, 'a.pcap'), buildPcap({ packets }));
  });

  /** Runs `analyze a.pcap --no-store` from `entry` and returns every module (URL or path) it loaded. */
  const traced = (entry: string, name: string): string[] => {
    const trace = join(work, `${name}.txt`);
    writeFileSync(trace, '');
    const r = spawnSync(
      process.execPath,
      ['--import', TRACE, entry, 'analyze', join(work, 'a.pcap'), '--no-store', '--workers', '1', '--format', 'jsonl'],
      {
        encoding: 'utf8',
        // a data folder that does not exist: were the stores opened, they would create it
        env: { ...process.env, L1T_TRACE_MODULES: trace, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'silent' },
      },
    );
    expect(r.stderr).toContain('a.pcap');
    expect(r.status).toBe(0);
    expect(existsSync(join(work, 'data'))).toBe(false);
    return [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
  };

  it('tsc output: loads no store, server, advisor or worker-pool module', () => {
    const loaded = traced(DIST_MAIN, 'dist');
    // the trace sees both kinds of module: the analysis (ES modules) and commander (CommonJS)
    expect(loaded.some((u) => /\/packages\/pipeline\/dist\/analyze-file\.js$/.test(u))).toBe(true);
    expect(loaded.some((u) => /\/node_modules\/commander\//.test(u))).toBe(true);
    expect(forbiddenIn(loaded)).toEqual([]);
  });

  it.runIf(BUNDLED)(
    'bundle: one file compiled from its code cache, no store, server, advisor or worker-pool code',
    (ctx) => {
      const loaded = traced(BIN, 'bundle').filter((u) => !u.startsWith('node:'));
      // a `tsc -b` of a bundled workspace during the run (another build in this tree) made bin/l1t.js run the
      // tsc output, as it should: nothing to tell about the bundle then
      if (!freshBundle(BUNDLE_DIR)) ctx.skip('the bundle went stale during the run');
      const files = loaded.map((u) => (u.startsWith('file:') ? fileURLToPath(u) : u));
      // bin/l1t.js, its freshness check and the code-cache runner, which compiles main.cjs itself (node:vm, so
      // the module trace does not list it): no module resolved one by one from node_modules or a workspace's
      // dist (~420 of them before the bundle)
      expect(files.filter((f) => !/\/apps\/cli\/(bin\/l1t|dist\/bundle-fresh|dist\/bundle-run)\.js$/.test(f))).toEqual(
        [],
      );
      expect(forbiddenIn(files)).toEqual([]);
      // what main.cjs was made of: the analysis and commander, and no store, server, advisor or engine code —
      // the CLI's store opener is in it, as a lazy initialiser that only a command with stores runs (its
      // import() of @l1t/store would have put @l1t/store in the trace above)
      const meta = JSON.parse(readFileSync(new URL('meta.json', BUNDLE_DIR), 'utf8')) as {
        outputs: Record<string, { inputs: Record<string, unknown> }>;
      };
      const main = Object.entries(meta.outputs).find(([out]) => out.endsWith('/main.cjs'));
      const inputs = Object.keys(main?.[1].inputs ?? {}).map((i) => `/${i}`);
      expect(inputs.some((i) => /\/packages\/pipeline\/dist\/analyze-file\.js$/.test(i))).toBe(true);
      expect(inputs.some((i) => /\/node_modules\/commander\//.test(i))).toBe(true);
      expect(forbiddenIn(inputs.filter((i) => !/\/apps\/cli\/dist\/open-stores\.js$/.test(i)))).toEqual([]);
    },
  );
});
