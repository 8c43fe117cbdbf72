import { describe, expect, it } from 'vitest';
import { crc16X25 } from '../sniff/crc16-x25.js';
import { crc16X25Sliced } from './crc16-fast.js';
import { DiagStreamReader, type DiagFrame } from './diag-stream-reader.js';
import { hdlcWasm } from './hdlc-wasm.js';
import { concat, hdlcFrame } from './test-support/diag-fixtures.js';

/** Deterministic bytes (xorshift32), so a failure reproduces. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('hdlcWasm kernel', () => {
  it('is available on Node (the reader would silently fall back to JavaScript otherwise)', () => {
    expect(hdlcWasm(0)).toBeDefined();
  });

  it('computes the byte-wise CRC-16/X.25 for every length 0–4096 at every alignment 0–15, as the JS slices do', () => {
    const k = hdlcWasm(0)!;
    const bytes = randomBytes(4096 + 16, 0x5eed);
    k.load(bytes);
    expect(k.crc(k.dataAt, k.dataAt)).toBe(crc16X25(bytes, 0, 0));
    let mismatches = 0;
    for (let a = 0; a < 16; a++) {
      for (let len = 0; len <= 4096; len++) {
        const want = crc16X25(bytes, a, a + len);
        if (k.crc(k.dataAt + a, k.dataAt + a + len) !== want) mismatches++;
        if (crc16X25Sliced(bytes, a, a + len) !== want) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    k.load(new TextEncoder().encode('123456789'));
    expect(k.crc(k.dataAt, k.dataAt + 9)).toBe(0x906e); // the CRC-16/X.25 check value
  });
});

interface Seen {
  kind: string;
  reason: string | undefined;
  index: number;
  offset: number;
  payload: string;
}

function read(chunks: readonly Uint8Array[], wasm: boolean) {
  const r = new DiagStreamReader({ framing: 'hdlc', wasm });
  const seen: Seen[] = [];
  const take = (f: DiagFrame): void => {
    seen.push({
      kind: f.kind,
      reason: f.reason,
      index: f.index,
      offset: f.byteOffset,
      payload: [...f.payload].join(','),
    });
  };
  let error = '';
  try {
    for (const c of chunks) {
      r.append(c);
      for (let f = r.next(); f; f = r.next()) take(f);
    }
    r.end();
    for (let f = r.next(); f; f = r.next()) take(f);
  } catch (err) {
    error = String(err);
  }
  return { seen, error, counts: r.counts, offset: r.offset };
}

describe('DiagStreamReader with and without the kernel', () => {
  it('gives the same frames, verdicts, indices, offsets and counts on streams with escapes, bad CRCs and broken frames', () => {
    let streams = 0;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = randomBytes(4000, seed * 7919);
      let r = 0;
      const next = (): number => rnd[r++ % rnd.length]!;
      const frames: Uint8Array[] = [];
      for (let k = 0; k < 40; k++) {
        // payloads rich in 0x7D / 0x7E (escaped), some mangled after framing
        const len = next() % 90;
        const payload = Uint8Array.from({ length: len }, () => (next() < 40 ? 0x7d + (next() & 1) : next()));
        const f = hdlcFrame(payload);
        const how = next() % 10;
        if (how === 0 && f.length > 3) f[1] = f[1]! ^ 0x04; // CRC failure (or a broken escape)
        if (how === 1 && f.length > 2) f[f.length - 2] = 0x7d; // an escape just before the flag: framing
        frames.push(how === 2 ? Uint8Array.of(0x01, 0x7e) : f); // too short
        if (how === 3) frames.push(Uint8Array.of(0x7e, 0x7e)); // bare flags
      }
      const stream = concat(frames);
      // one chunk, chunks cut at random places, and a cut inside the last frame (truncated)
      const cuts: Uint8Array[] = [];
      for (let at = 0; at < stream.length;) {
        const n = 1 + (next() % 300);
        cuts.push(stream.slice(at, at + n));
        at += n;
      }
      for (const chunks of [[stream], cuts, [stream.subarray(0, stream.length - 3)]]) {
        const js = read(chunks, false);
        const wasm = read(chunks, true);
        expect(wasm).toEqual(js);
        for (const s of js.seen) kinds.add(s.reason ?? s.kind);
        streams++;
      }
    }
    expect(streams).toBe(180);
    // a chunk larger than the kernel's memory arriving while a frame's first bytes wait in the frame buffer:
    // the memory grows (the buffer's view is remade, its bytes kept)
    const big = concat(Array.from({ length: 4000 }, (_, k) => hdlcFrame(randomBytes(40 + (k % 200), k + 1))));
    const first = big.indexOf(0x7d, 1000);
    const split = [big.slice(0, first + 1), big.slice(first + 1)];
    const js = read(split, false);
    expect(read(split, true)).toEqual(js);
    expect(js.counts.good).toBe(4000);
    expect(hdlcWasm(65_600)!.load(big)).toBe(true);
    // every verdict was exercised, so the comparison covers each of the kernel's branches
    expect([...kinds].sort()).toEqual(['crc', 'frame', 'framing', 'short']);
  });
});
