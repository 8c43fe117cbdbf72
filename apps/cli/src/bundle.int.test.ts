import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshBundle } from './bundle-fresh.js';

const DIST_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BUNDLE_DIR = new URL('../dist/bundle/', import.meta.url);
const BUNDLE = freshBundle(BUNDLE_DIR);
const BUNDLE_MAIN = BUNDLE ? fileURLToPath(BUNDLE) : '';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The bundle (apps/cli/bundle.mjs) is the tsc output in fewer files: the same commands give the same bytes,
 * findings and exit codes from either. Run only while the bundle is fresh (analyze-startup.int.test.ts fails
 * under L1T_REQUIRE_ALL_SUITES=1 when it is not); a comparison made while a `tsc -b` of a bundled workspace
 * changed the tsc output under it (another build in this tree) is skipped, not failed.
 */
describe.runIf(existsSync(DIST_MAIN) && BUNDLE)('the CLI bundle against the tsc output', () => {
  let work: string;
  const run = (entry: string, args: string[]) =>
    spawnSync(process.execPath, [entry, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28, // decode prints ~1 MB per 1,000 packets (spawnSync stops the child past 1 MB by default)
      env: { ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'silent' },
    });
  /** The json document without what differs between any two runs (session id, clock times, durations). */
  const findings = (stdout: string): unknown =>
    JSON.parse(stdout, (k, v: unknown) =>
      ['session_id', 'started_at', 'finished_at', 'duration_ms'].includes(k) ? undefined : v,
    );

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'l1t-bundle-'));
    mkdirSync(join(work, 'in'));
    for (const [entry, name] of [
      [DIST_MAIN, 'dist'],
      [BUNDLE_MAIN, 'bundle'],
    ] as const) {
      const r = run(entry, [
        'synth',
        'fronthaul',
        '--out',
        join(work, `${name}.pcap`),
        '--labels',
        join(work, `${name}.jsonl`),
        '--faults',
        'example',
        '--duration',
        '0.2',
        '--nrb',
        '51',
      ]);
      expect(r.status, r.stderr).toBe(0);
    }
    const u = run(DIST_MAIN, ['synth', 'ue', '--out', join(work, 'in', 'ue.qmdl'), '--labels', join(work, 'ue.jsonl')]);
    expect(u.status, u.stderr).toBe(0);
  });

  it('synth writes the same capture and labels', (ctx) => {
    if (!freshBundle(BUNDLE_DIR)) ctx.skip('the bundle went stale during the run');
    expect(readFileSync(join(work, 'bundle.pcap')).equals(readFileSync(join(work, 'dist.pcap')))).toBe(true);
    expect(readFileSync(join(work, 'bundle.jsonl'), 'utf8')).toBe(readFileSync(join(work, 'dist.jsonl'), 'utf8'));
  });

  it('analyze gives the same findings, on one thread and on two workers (the bundled worker module)', (ctx) => {
    const capture = join(work, 'dist.pcap');
    for (const args of [
      ['analyze', capture, '--no-store', '--session', 's', '--format', 'json', '--workers', '1'],
      ['analyze', capture, join(work, 'in'), '--no-store', '--session', 's', '--format', 'json', '--workers', '2'],
    ]) {
      const d = run(DIST_MAIN, args);
      const b = run(BUNDLE_MAIN, args);
      expect(d.status, d.stderr).toBe(0);
      expect(b.status, b.stderr).toBe(0);
      if (!freshBundle(BUNDLE_DIR)) ctx.skip('the bundle went stale during the run');
      const doc = findings(d.stdout) as { anomalies: unknown[] };
      expect(doc.anomalies.length).toBeGreaterThan(0);
      const sorted = (x: unknown) => {
        const o = x as { files: { name: string }[] };
        o.files.sort((p, q) => (p.name < q.name ? -1 : 1)); // files arrive in completion order
        return o;
      };
      expect(sorted(findings(b.stdout))).toEqual(sorted(doc));
    }
  });

  it('decode, help and a usage error print the same', (ctx) => {
    for (const args of [['decode', join(work, 'dist.pcap')], ['--help'], ['analyze', '--format', 'xml', 'x']]) {
      const d = run(DIST_MAIN, args);
      const b = run(BUNDLE_MAIN, args);
      if (!freshBundle(BUNDLE_DIR)) ctx.skip('the bundle went stale during the run');
      expect(d.stdout.length + d.stderr.length).toBeGreaterThan(0);
      // the digest, not the text: a difference in ~3 MB of decode output would drown the report
      expect([b.status, sha256(b.stdout), b.stderr]).toEqual([d.status, sha256(d.stdout), d.stderr]);
    }
  });
});

/**
 * bin/l1t.js runs main.cjs through bundle-run.ts with V8's code cache. A copy of the bundle in a folder of
 * its own: the first run writes the cache, the next one is compiled from it, a cache V8 refuses (another
 * Node, a damaged file) is replaced — and the output is the same bytes every time.
 */
describe.runIf(existsSync(DIST_MAIN) && BUNDLE)('the CLI bundle with its code cache', () => {
  it('writes, uses and replaces the cache; the findings never change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-code-cache-'));
    for (const f of ['main.cjs', 'code-cache.json']) copyFileSync(new URL(f, BUNDLE_DIR), join(dir, f));
    // the stores' bundle, which main.cjs imports from beside itself (bundle.mjs); it resolves the engines
    // (chdb, PGlite) from where it lies, as in apps/cli/dist/bundle: the repository's node_modules is linked
    cpSync(new URL('store/', BUNDLE_DIR), join(dir, 'store'), { recursive: true });
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
    const capture = join(dir, 'in.pcap');
    const synth = spawnSync(
      process.execPath,
      // prettier-ignore
      [DIST_MAIN, 'synth', 'fronthaul', '--out', capture, '--labels', join(dir, 'l.jsonl'), '--faults', 'example', '--duration', '0.2', '--nrb', '51'],
      { encoding: 'utf8', env: { ...process.env, L1T_LOG_LEVEL: 'silent' } },
    );
    expect(synth.status, synth.stderr).toBe(0);
    const runner = pathToFileURL(fileURLToPath(new URL('../dist/bundle-run.js', import.meta.url))).href;
    const entry = pathToFileURL(join(dir, 'main.cjs')).href;
    // a script, not `node -e`: the CLI reads its arguments from process.argv[2] on
    const starter = join(dir, 'start.mjs');
    writeFileSync(
      starter,
      `import { runBundle } from ${JSON.stringify(runner)};\nrunBundle(new URL(${JSON.stringify(entry)}));\n`,
    );
    const run = () => {
      const r = spawnSync(
        process.execPath,
        [starter, 'analyze', capture, '--no-store', '--session', 's', '--format', 'json', '--workers', '1'],
        { encoding: 'utf8', env: { ...process.env, L1T_CODE_CACHE_DEBUG: '1', L1T_LOG_LEVEL: 'silent' } },
      );
      expect(r.status, r.stderr).toBe(0);
      const use = /l1t: code cache (\S+)/.exec(r.stderr)?.[1];
      const doc = JSON.parse(r.stdout, (k, v: unknown) =>
        ['session_id', 'started_at', 'finished_at', 'duration_ms'].includes(k) ? undefined : v,
      ) as { anomalies: unknown[] };
      return { use, doc };
    };
    const caches = () => readdirSync(dir).filter((f) => f.endsWith('.v8-cache'));

    const first = run();
    expect(first.use).toBe('written');
    expect(first.doc.anomalies.length).toBeGreaterThan(0);
    expect(caches()).toHaveLength(1);
    const second = run();
    expect(second.use).toBe('used');
    expect(second.doc).toEqual(first.doc);

    // a damaged cache: V8's own checks refuse it, this run compiles the source and writes a good one
    const cache = join(dir, caches()[0]!);
    const bytes = readFileSync(cache);
    bytes.fill(0x5a, 0, 64);
    writeFileSync(cache, bytes);
    const third = run();
    expect(third.use).toBe('rejected-rewritten');
    expect(third.doc).toEqual(first.doc);
    expect(run().use).toBe('used');

    // compiled from the cache, the bundle's import() of the packages left out of it still works (Node 20
    // loses a cached vm.Script's own import(): bundle.mjs routes them through bundle-run.ts)
    const migrate = spawnSync(process.execPath, [starter, 'migrate'], {
      encoding: 'utf8',
      env: { ...process.env, L1T_CODE_CACHE_DEBUG: '1', L1T_LOG_LEVEL: 'silent', L1T_DATA_DIR: join(dir, 'data') },
    });
    expect(migrate.stderr).toContain('l1t: code cache used');
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout + migrate.stderr).toMatch(/Knowledge base: \d+ entries written/);

    // into the stores: the same findings, stored (through the stores' bundle beside main.cjs; its absence
    // fails the import)
    const stored = spawnSync(
      process.execPath,
      [starter, 'analyze', capture, '--session', 's', '--format', 'json', '--workers', '1'],
      { encoding: 'utf8', env: { ...process.env, L1T_LOG_LEVEL: 'silent', L1T_DATA_DIR: join(dir, 'data') } },
    );
    expect(stored.status, stored.stderr).toBe(0);
    const doc = JSON.parse(stored.stdout, (k, v: unknown) =>
      ['session_id', 'started_at', 'finished_at', 'duration_ms'].includes(k) ? undefined : v,
    ) as { anomalies: unknown[]; summary: { stored: boolean } };
    expect(doc.summary.stored).toBe(true);
    expect(doc.anomalies).toEqual(first.doc.anomalies);
  });
});
