import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipJoin, gzipView, isGzip, viewText } from './view-gzip.js';

// A heatmap-like document: rows of small counts and dB values, very compressible as real views are.
const grid = (seed: number, rows = 120) =>
  JSON.stringify({
    name: `u|dl|eaxc=${seed}`,
    power_dbfs: Array.from({ length: rows * 273 }, (_, i) => -20 - ((i * seed) % 17) / 3),
    zero: Array.from({ length: rows * 273 }, (_, i) => (i + seed) % 5),
    note: 'µs — ünïcode',
  });

/** Checks a body is ONE gzip member holding `text`: Node's gunzip verifies the CRC-32 and length of every member
 * it reads, and the last trailer covering all of the text means no other member holds any of it. */
function expectOneMember(gz: Buffer, text: string) {
  expect(gunzipSync(gz).toString('utf8')).toBe(text);
  const bytes = Buffer.from(text, 'utf8');
  expect(gz.readUInt32LE(gz.length - 4)).toBe(bytes.length);
  expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32(bytes) >>> 0);
}

describe('file views as gzip (migration 0005)', () => {
  it('stores a document as one gzip member that reads back as its text', () => {
    for (const text of ['{}', '{"a":"ü"}', grid(3)]) {
      const gz = gzipView(text);
      expect(isGzip(gz)).toBe(true);
      expectOneMember(gz, text);
      expect(viewText(gz)).toBe(text);
    }
    expect(gzipView(grid(3)).length).toBeLessThan(grid(3).length / 5);
  });

  it('reads a body stored as UTF-8 JSON text (rows from before the migration) as that text', () => {
    const text = '{"flows":[{"name":"u|dl|eaxc=1","note":"ü"}]}';
    const body = Buffer.from(text, 'utf8');
    expect(isGzip(body)).toBe(false);
    expect(viewText(body)).toBe(text);
    expect(viewText(new Uint8Array(body))).toBe(text);
  });

  it('joins text and stored views into one member whose content is the parts in order', () => {
    const a = grid(5);
    const b = grid(7, 40);
    const head = '{"file_id":"f","items":[{"name":"ü"}],"heatmap":';
    for (const parts of [
      [head, gzipView(a), '}'],
      [gzipView(a), ',', gzipView(b)],
      ['[', gzipView(a), ',', gzipView(b), ',', gzipView('{}'), ']'],
      ['', gzipView(b), ''],
      [gzipView(a)],
    ]) {
      const text = parts.map((p) => (typeof p === 'string' ? p : viewText(p))).join('');
      expectOneMember(gzipJoin(parts), text);
    }
  });

  it('splices a stored view in as it is: its compressed bytes appear unchanged in the joined member', () => {
    const stored = gzipView(grid(9));
    const joined = gzipJoin(['{"file_id":"f","heatmap":', stored, '}']);
    const segments = stored.subarray(10, stored.length - 10);
    expect(joined.indexOf(segments)).toBeGreaterThan(10);
    expect(joined.length).toBeLessThan(stored.length + 100);
  });

  it('reads as text what it cannot splice: a row from before the migration, a gzip member made elsewhere', () => {
    const a = grid(11, 30);
    const legacy = Buffer.from(a, 'utf8');
    const foreign = gzipSync(a, { level: 6 });
    for (const part of [legacy, foreign, new Uint8Array(foreign)]) {
      const joined = gzipJoin(['[', part, ']']);
      expectOneMember(joined, `[${a}]`);
    }
  });
});
