import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { sniffFormat } from '../sniff/sniff-format.js';
import { dlfRecord } from './build/diag-frames.js';
import { DiagLogReader } from './diag-log-reader.js';
import { dlfShapedItemAt, IsfScanner } from './isf-scanner.js';

/** Deterministic bytes (xorshift32) for wrappers and noise. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** 2020-06-01 as a DIAG timestamp: 1.25 ms ticks since 1980-01-06 in the upper 48 bits. */
const TICKS_2020 = BigInt(Math.round((Date.UTC(2020, 5, 1) - Date.UTC(1980, 0, 6)) / 1.25));
const item = (i: number): Uint8Array =>
  dlfRecord(
    [0xb193, 0xb173, 0xb0c0, 0x4125, 0x713a][i % 5]!,
    (TICKS_2020 + BigInt(i * 32)) << 16n,
    noise(4 + (i % 40), i + 7),
  );

/** An .isf-like stream: DLF items, each behind a wrapper of 6–37 bytes that no scan should take for an item. */
function isfLike(n: number): { bytes: Uint8Array; items: Uint8Array[]; wrapperBytes: number } {
  const items = Array.from({ length: n }, (_, i) => item(i));
  const parts: Uint8Array[] = [];
  let wrapperBytes = 0;
  items.forEach((it, i) => {
    const w = noise(6 + ((i * 7) % 32), 1000 + i);
    wrapperBytes += w.length;
    parts.push(w, it);
  });
  return { bytes: concat(parts), items, wrapperBytes };
}

function scanAll(bytes: Uint8Array, chunk: number): { items: Uint8Array[]; scanner: IsfScanner } {
  const s = new IsfScanner();
  const items: Uint8Array[] = [];
  const drain = () => {
    for (let v = s.next(); v; v = s.next()) items.push(v.bytes.slice(v.start, v.start + v.length));
  };
  for (let i = 0; i < bytes.length; i += chunk) {
    s.append(bytes.subarray(i, i + chunk));
    drain();
  }
  s.end();
  drain();
  return { items, scanner: s };
}

describe('IsfScanner', () => {
  const { bytes, items, wrapperBytes } = isfLike(200);

  it.each([1, 7, 4096, bytes.length])(
    'takes every DLF item whole and counts the wrappers, in chunks of %i',
    (chunk) => {
      const r = scanAll(bytes, chunk);
      expect(r.items).toEqual(items);
      expect(r.scanner.counts).toEqual({ items: 200, bytesNotUnderstood: wrapperBytes, gaps: 200 });
    },
  );

  it('finds nothing in 1 MB of random bytes and counts them all as not understood', () => {
    const r = scanAll(noise(1 << 20, 99), 65_536);
    expect(r.scanner.counts).toEqual({ items: 0, bytesNotUnderstood: 1 << 20, gaps: 1 });
  });

  it('keeps every item before a cut, at every offset, and never throws', () => {
    const small = isfLike(6).bytes;
    const whole = scanAll(small, small.length).items;
    for (let cut = 0; cut <= small.length; cut++) {
      const r = scanAll(small.subarray(0, cut), 3);
      expect(whole.slice(0, r.items.length)).toEqual(r.items);
      const c = r.scanner.counts;
      expect(r.items.reduce((n, it) => n + it.length, 0) + c.bytesNotUnderstood).toBe(cut);
    }
  });

  it('refuses implausible headers: short or huge lengths, unknown equipment ids, timestamps outside 1990–2100', () => {
    const ok = item(0);
    expect(dlfShapedItemAt(ok, 0, ok.length)).toBe(ok.length);
    const bad = (patch: (b: Uint8Array) => void) => {
      const b = ok.slice();
      patch(b);
      return dlfShapedItemAt(b, 0, b.length);
    };
    expect(bad((b) => (b[0] = 8))).toBe(0); // length 8 < 16
    expect(bad((b) => (b[3] = 0x21))).toBe(0); // equipment id 0x2
    expect(bad((b) => b.fill(0, 4, 12))).toBe(0); // timestamp 1980
    expect(bad((b) => (b[11] = 0x10))).toBe(0); // upper bits set: beyond 2100
    expect(dlfShapedItemAt(ok, 0, ok.length - 1)).toBe(0); // does not fit
  });

  it('is what the DIAG reader uses for .isf: the same records a .dlf of the same items gives', () => {
    const reader = new DiagLogReader('isf');
    reader.append(bytes);
    reader.end();
    const codes: number[] = [];
    for (let r = reader.next(); r; r = reader.next()) codes.push(r.packet.logCode);
    expect(codes).toHaveLength(200);
    expect(codes.slice(0, 5)).toEqual([0xb193, 0xb173, 0xb0c0, 0x4125, 0x713a]);
    expect(reader.framing).toBe('isf_scan');
    expect(reader.isfCounts).toEqual({ items: 200, bytesNotUnderstood: wrapperBytes, gaps: 200 });
  });
});

describe('sniffing .isf', () => {
  it('recognises items behind wrappers as isf, and leaves random bytes unknown', () => {
    expect(sniffFormat(isfLike(50).bytes.subarray(0, 4096)).format).toBe('isf');
    expect(sniffFormat(noise(4096, 5)).format).toBe('unknown');
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)('does not take a real log for an .isf (every real DIAG log keeps its format)', () => {
    for (const [dir, name] of [
      ['mobileinsight-core', 'bler_sample.mi2log'],
      ['MECProj1', 'two-default-bearers-verizion-volte.mi2log'],
    ] as const) {
      const head = readFileSync(join(samples.path, dir, name)).subarray(0, 65_536);
      expect(sniffFormat(head).format, name).toBe('diag_hdlc');
    }
  });
});
