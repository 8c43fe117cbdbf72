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

describe('HdlcWasm.scan (the kernel that finds, unescapes and checks a chunk’s frames)', () => {
  /** Frames, verdicts, offsets and counts of a reader with or without the kernel. */
  function frames(chunks: readonly Uint8Array[], wasm: boolean, maxFrameBytes?: number) {
    const r = new DiagStreamReader({ framing: 'hdlc', wasm, ...(maxFrameBytes ? { maxFrameBytes } : {}) });
    const out: string[] = [];
    for (const c of chunks) {
      r.append(c);
      for (let f = r.next(); f; f = r.next())
        out.push(`${f.index} ${f.kind} ${f.reason} ${f.byteOffset} ${[...f.payload].join(',')}`);
    }
    r.end();
    for (let f = r.next(); f; f = r.next()) out.push(`${f.index} ${f.kind} ${f.reason} ${f.byteOffset}`);
    return { out, counts: r.counts, offset: r.offset };
  }

  it('matches the JS path for every payload length 0–300, escapes at the sixteen-byte step edges, every alignment', () => {
    // payload lengths around the 16-byte steps of the flag search and of the in-place unescape; escapes
    // (0x7D, 0x7E) at the first byte, the 15th–17th, the middle, the last, and two near each other
    const payloads: Uint8Array[] = [];
    for (let len = 0; len <= 300; len++) {
      const base = randomBytes(len, len + 7).map((b) => (b === 0x7d || b === 0x7e ? 0x33 : b));
      payloads.push(base);
      for (const at of [0, 15, 16, 17, len >> 1, len - 1, len - 2]) {
        if (at < 0 || at >= len) continue;
        const p = base.slice();
        p[at] = 0x7d + (at & 1);
        if (at + 3 < len) p[at + 3] = 0x7e;
        payloads.push(p);
      }
    }
    const stream = concat(payloads.map((p) => hdlcFrame(p)));
    let compared = 0;
    for (let a = 0; a < 16; a++) {
      // `a` bare flags first: every frame at every alignment of the kernel's 16-byte loads
      const chunk = concat([new Uint8Array(a).fill(0x7e), stream]);
      const js = frames([chunk], false);
      expect(frames([chunk], true)).toEqual(js);
      expect(js.counts.good).toBe(payloads.filter((p) => p.length >= 1).length); // < 3 bytes with the CRC: short
      compared += js.out.length;
    }
    expect(compared).toBe(16 * payloads.length);
  });

  it('gives oversize, framing, short and CRC verdicts as the JS path does, also past the table of one call', () => {
    const parts: Uint8Array[] = [];
    for (let k = 0; k < 9000; k++) {
      const len = k % 97;
      const f = hdlcFrame(randomBytes(len, k + 1));
      const how = k % 7;
      if (how === 0 && f.length > 3) f[1] = f[1]! ^ 0x01; // CRC failure (or a broken escape)
      if (how === 1 && f.length > 2) f[f.length - 2] = 0x7d; // an escape before the flag: framing
      parts.push(f);
      if (how === 2) parts.push(Uint8Array.of(0x7e, 0x7e)); // bare flags
    }
    const stream = concat(parts);
    const kinds = new Set<string>();
    for (const max of [undefined, 40]) {
      for (const chunks of [[stream], [stream.subarray(0, 100_001), stream.subarray(100_001)]]) {
        const js = frames(chunks, false, max);
        expect(frames(chunks, true, max)).toEqual(js);
        for (const s of js.out) kinds.add(s.split(' ')[2] === 'undefined' ? 'frame' : s.split(' ')[2]!);
      }
    }
    // more frames than one scan reports (HDLC_SCAN_ENTRIES), and every verdict of the kernel
    expect(stream.length).toBeGreaterThan(200_000);
    expect([...kinds].sort()).toEqual(['crc', 'frame', 'framing', 'oversize', 'short']);
  });
});
