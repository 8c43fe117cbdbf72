import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../../../packages/capture/src/test-support/pcap-builder.js';

const BIN = new URL('../bin/l1t.js', import.meta.url).pathname;
const BUILT = existsSync(new URL('../dist/main.js', import.meta.url).pathname);
const TRACE = new URL('./test-support/module-trace.mjs', import.meta.url).pathname;

/**
 * What `l1t analyze FILE --no-store` loads (issue 14: start-up before the first byte is read). Nothing of the
 * stores, the server or the advisor, nor their engines: chDB (a native library of ~hundreds of MB), PGlite
 * (PostgreSQL in WebAssembly), Drizzle, node-postgres, the AWS SDK, Fastify — nor the worker pool (piscina)
 * for one file on one worker. The built command runs as a user runs it, with a preload that lists every
 * module the process loaded.
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

  it('loads no store, server, advisor or worker-pool module', () => {
    const trace = join(work, 'modules.txt');
    writeFileSync(trace, '');
    const r = spawnSync(
      process.execPath,
      ['--import', TRACE, BIN, 'analyze', join(work, 'a.pcap'), '--no-store', '--workers', '1', '--format', 'jsonl'],
      {
        encoding: 'utf8',
        // a data folder that does not exist: were the stores opened, they would create it
        env: { ...process.env, L1T_TRACE_MODULES: trace, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'silent' },
      },
    );
    expect(r.stderr).toContain('a.pcap');
    expect(r.status).toBe(0);
    const loaded = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
    // the trace sees both kinds of module: the analysis (ES modules) and commander (CommonJS)
    expect(loaded.some((u) => /\/packages\/pipeline\/dist\/analyze-file\.js$/.test(u))).toBe(true);
    expect(loaded.some((u) => /\/node_modules\/commander\//.test(u))).toBe(true);
    const found = FORBIDDEN.flatMap(([what, re]) => {
      const hit = loaded.find((u) => re.test(u));
      return hit ? [`${what}: ${hit}`] : [];
    });
    expect(found).toEqual([]);
    expect(existsSync(join(work, 'data'))).toBe(false);
  });
});
