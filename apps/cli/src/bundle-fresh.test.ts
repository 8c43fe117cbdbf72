import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshBundle } from './bundle-fresh.js';

/** A bundle folder as bundle.mjs leaves it, stamping `info` (a .tsbuildinfo) by its content's sha1. */
function bundleOf(info: string): { dir: URL; info: string } {
  const root = mkdtempSync(join(tmpdir(), 'l1t-bundle-fresh-'));
  mkdirSync(join(root, 'bundle'));
  writeFileSync(join(root, 'bundle', 'main.cjs'), '');
  writeFileSync(join(root, '.tsbuildinfo'), info);
  writeFileSync(
    join(root, 'bundle', 'stamps.json'),
    // sha1 of "v1", as bundle.mjs computes it (createHash('sha1'))
    JSON.stringify([{ file: '../.tsbuildinfo', sha1: '5a6df720540c20d95d530d3fd6885511223d5d20' }]),
  );
  return { dir: pathToFileURL(join(root, 'bundle') + '/'), info: join(root, '.tsbuildinfo') };
}

describe('freshBundle', () => {
  it('runs the bundle while every stamped file has the content it was made from', () => {
    const b = bundleOf('v1');
    expect(freshBundle(b.dir)?.pathname).toMatch(/\/bundle\/main\.cjs$/);
  });

  it('runs the tsc output after a rebuild, or when a stamped file or the stamps are gone', () => {
    const rebuilt = bundleOf('v2');
    expect(freshBundle(rebuilt.dir)).toBeUndefined();
    const gone = bundleOf('v1');
    rmSync(gone.info);
    expect(freshBundle(gone.dir)).toBeUndefined();
    const noStamps = bundleOf('v1');
    rmSync(new URL('stamps.json', noStamps.dir));
    expect(freshBundle(noStamps.dir)).toBeUndefined();
  });
});
