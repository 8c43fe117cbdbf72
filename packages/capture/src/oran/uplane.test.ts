import { describe, expect, it } from 'vitest';
import { FindingList } from '../decode/findings.js';
import { resolveDecodeOptions, type DecodeOptions } from '../decode/options.js';
import { decodeOran } from './oran-decoder.js';
import { decodePrbIq, decodePrbIqBlockScaledSum, decodePrbIqSum, PrbIqResult } from './iq.js';
import { Inferred, OranMessage } from './oran-message.js';
import { UplaneFormatCache } from './uplane.js';

/** Packs signed `width`-bit values MSB first, padded to a whole byte. */
function pack(values: number[], width: number): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const v of values) {
    acc = acc * 2 ** width + (v & ((1 << width) - 1));
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      out.push(Math.floor(acc / 2 ** bits) & 0xff);
      acc %= 2 ** bits;
    }
  }
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return out;
}

/** eCPRI payload of a U-plane message: eAxC, seqId, app header, then the given section bytes. */
// prettier-ignore
function uplane(sections: number[], dir = 1): Uint8Array {
  // prettier-ignore
  return Uint8Array.from([
    0x12, 0x34, // ecpriPcid: eAxC 0x1234
    0x2a, 0x80, // ecpriSeqid: seq 42 | E=1 | subseq 0
    (dir << 7) | 0x10, // dataDirection | payloadVersion 1 | filterIndex 0
    0x07, // frameId
    0x33, 0x4b, // subframe 3 | slot 13 (0b001101) | symbol 11
    ...sections,
  ]);
}

/** Section header: sectionId(12) | rb | symInc | startPrbu(10) | numPrbu(8). */
function sectionHeader(sectionId: number, startPrbu: number, numPrbu: number): number[] {
  return [sectionId >> 4, ((sectionId & 15) << 4) | (startPrbu >> 8), startPrbu & 0xff, numPrbu];
}

/** One BFP PRB: udCompParam (exponent) + 24 mantissas. */
function bfpPrb(exponent: number, mantissas: number[], width: number): number[] {
  return [exponent & 15, ...pack(mantissas, width)];
}

function run(bytes: Uint8Array, options: Partial<DecodeOptions>): { msg: OranMessage; findings: FindingList } {
  const msg = new OranMessage();
  const findings = new FindingList();
  decodeOran(bytes, 0, bytes.length, 'u', resolveDecodeOptions(options), new UplaneFormatCache(), msg, findings);
  return { msg, findings };
}

// prettier-ignore
const ramp = (width: number): number[] => Array.from({ length: 24 }, (_, k) => (k % 2 === 0 ? 1 : -1) * Math.min(k + 1, 2 ** (width - 1) - 1));

describe('U-plane header and sections', () => {
  // prettier-ignore
  it('decodes the application header and eAxC split (default 2/6/4/4)', () => {
    const { msg, findings } = run(uplane([...sectionHeader(5, 10, 1), ...bfpPrb(3, ramp(9), 9)]), { compMethod: 'bfp', iqWidth: 9, compHdr: 'static' });
    expect(findings.count).toBe(0);
    expect([msg.duPortId, msg.bandSectorId, msg.ccId, msg.ruPortId]).toEqual([0, 0x12, 3, 4]);
    expect([msg.sequenceId, msg.eBit, msg.subsequenceId]).toEqual([42, 1, 0]);
    expect([msg.dataDirection, msg.payloadVersion, msg.frameId, msg.subframeId, msg.slotId, msg.symbolId]).toEqual([1, 1, 7, 3, 13, 11]);
    const s = msg.uSections[0]!;
    expect([msg.sectionCount, s.sectionId, s.startPrbu, s.numPrbu, s.iqWidth, s.compMethod]).toEqual([1, 5, 10, 1, 9, 1]);
    expect(msg.prbExponent[0]).toBe(3);
  });

  // prettier-ignore
  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('decodes BFP with %i-bit mantissas: exponent, power, zero and clipping', (width) => {
    const maxExp = 16 - width;
    const clipped = Array.from({ length: 24 }, (_, k) => (k === 0 ? -(2 ** (width - 1)) : 0));
    const bytes = uplane([
      ...sectionHeader(1, 0, 3),
      ...bfpPrb(Math.min(2, maxExp), ramp(width), width), // PRB 0: energy
      ...bfpPrb(5 & 15, Array(24).fill(0), width), // PRB 1: all zero whatever the exponent
      ...bfpPrb(maxExp, clipped, width), // PRB 2: exponent at the top and an extreme mantissa
    ]);
    const { msg, findings } = run(bytes, { compMethod: 'bfp', iqWidth: width, compHdr: 'static' });
    expect(findings.count).toBe(0);
    expect(msg.prbCount).toBe(3);
    expect(msg.prbZero[1]).toBe(1);
    expect(msg.prbPowerDbfs[1]).toBe(-Infinity);
    expect(msg.prbClipped[2]).toBeGreaterThanOrEqual(1);
    // Power of PRB 0 on the 16-bit scale: Σ(m·2^e)² / (12·2^30).
    const e = Math.min(2, maxExp);
    const sum = ramp(width).reduce((a, m) => a + (m * 2 ** e) ** 2, 0);
    if (sum > 0) expect(msg.prbPowerDbfs[0]).toBeCloseTo(10 * Math.log10(sum / (12 * 2 ** 30)), 4);
    expect(msg.uSections[0]!.zeroPrbs).toBe(width === 1 ? msg.uSections[0]!.zeroPrbs : 1);
  });

  it('unpacks random full-range mantissas exactly at every width (power from an independent sum)', () => {
    let seed = 17;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    for (let width = 1; width <= 16; width++) {
      for (let trial = 0; trial < 20; trial++) {
        const m = Array.from({ length: 24 }, () => (rnd() % 2 ** width) - 2 ** (width - 1));
        const exp = rnd() % (17 - width);
        const { msg } = run(uplane([...sectionHeader(1, 0, 1), ...bfpPrb(exp, m, width)]), {
          compMethod: 'bfp',
          iqWidth: width,
          compHdr: 'static',
        });
        const sum = m.reduce((a, v) => a + (v * 2 ** exp) ** 2, 0);
        const clipped =
          exp === 16 - width ? m.filter((v) => v === -(2 ** (width - 1)) || v === 2 ** (width - 1) - 1).length : 0;
        expect(msg.prbClipped[0]).toBe(clipped);
        if (sum === 0) expect(msg.prbZero[0]).toBe(1);
        else expect(msg.prbPowerDbfs[0]).toBeCloseTo(10 * Math.log10(sum / (12 * 2 ** 30)), 3);
      }
    }
  });

  it('gives the same section totals with and without the per-PRB arrays (prbIq false), at every width and method', () => {
    let seed = 5;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    for (const method of ['bfp', 'none', 'block_scaling'] as const) {
      for (let width = 1; width <= 16; width++) {
        const prbs: number[] = [];
        for (let k = 0; k < 12; k++) {
          const kind = k % 4;
          const m = Array.from({ length: 24 }, (_, i) =>
            kind === 0 ? 0 : kind === 1 && i === 5 ? -(2 ** (width - 1)) : (rnd() % 2 ** width) - 2 ** (width - 1),
          );
          const exp = kind === 1 ? 16 - width : rnd() % (17 - width);
          // block scaling (CUS Annex A.2): udCompParam is the scaler, any byte
          if (method === 'bfp') prbs.push(...bfpPrb(exp, m, width));
          else if (method === 'block_scaling') prbs.push(rnd() & 0xff, ...pack(m, width));
          else prbs.push(...pack(m, width));
        }
        // PRB 10's udCompParam carries a reserved nibble: a finding with or without the per-PRB arrays
        // (BFP only: a block scaler has no reserved bits)
        if (method !== 'none') prbs[10 * (3 * width + 1)]! |= 0x20;
        const bytes = uplane([...sectionHeader(1, 0, 12), ...prbs]);
        const opts = { compMethod: method, iqWidth: width, compHdr: 'static' } as const;
        const fullRun = run(bytes, opts);
        const full = fullRun.msg.uSections[0]!;
        const totals = run(bytes, { ...opts, prbIq: false });
        expect(fullRun.findings.has('reserved_value')).toBe(method === 'bfp');
        expect(totals.findings.has('reserved_value')).toBe(method === 'bfp');
        const t = totals.msg.uSections[0]!;
        expect([t.zeroPrbs, t.clippedPrbs, t.clippedSamples]).toEqual([
          full.zeroPrbs,
          full.clippedPrbs,
          full.clippedSamples,
        ]);
        expect(t.activePowerLin).toBeCloseTo(full.activePowerLin, 12);
        expect(t.zeroPrbs).toBeGreaterThanOrEqual(3);
        if (method === 'bfp' && width > 1) expect(t.clippedPrbs).toBeGreaterThanOrEqual(3);
        // the per-PRB values are left out
        expect(Number.isNaN(totals.msg.prbPowerDbfs[1])).toBe(true);
        expect(totals.msg.prbExponent[1]).toBe(run(bytes, opts).msg.prbExponent[1]);
      }
    }
  });

  it("prbSums keeps each PRB's Σ(I² + Q²) and clipped samples from the totals pass, at the section's prbIndex", () => {
    // the reference is the scalar per-PRB sum (iq.ts), not the SIMD kernel that fills them
    let seed = 29;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    const ref = new PrbIqResult();
    for (const method of ['bfp', 'none', 'block_scaling'] as const) {
      for (let width = 1; width <= 16; width++) {
        const param = method !== 'none';
        const prbBytes = 3 * width + (param ? 1 : 0);
        const section = (id: number, start: number, n: number): number[] => {
          const out = sectionHeader(id, start, n);
          for (let k = 0; k < n; k++) {
            const kind = k % 3;
            const m = Array.from({ length: 24 }, (_, i) =>
              kind === 0 ? 0 : kind === 1 && i === 2 ? -(2 ** (width - 1)) : (rnd() % 2 ** width) - 2 ** (width - 1),
            );
            const exp = kind === 1 ? 16 - width : rnd() % (17 - width);
            if (method === 'bfp') out.push(...bfpPrb(exp, m, width));
            else if (method === 'block_scaling') out.push(rnd() & 0xff, ...pack(m, width));
            else out.push(...pack(m, width));
          }
          return out;
        };
        // three sections in one packet (copied into the kernel's memory once): 5 and 7 PRBs, whose per-PRB
        // values are written by loops, and 40, written by TypedArray set and fill
        const bytes = uplane([...section(1, 0, 5), ...section(2, 20, 7), ...section(3, 40, 40)]);
        const opts = { compMethod: method, iqWidth: width, compHdr: 'static', prbIq: false } as const;
        const kept = run(bytes, { ...opts, prbSums: true }).msg;
        const plain = run(bytes, opts).msg;
        expect(kept.sectionCount).toBe(3);
        // a reused message's per-PRB arrays are all rewritten: exponents as the full decode reads them, no dB
        // value (NaN), no zero flag, no clipped samples unless kept
        const full = run(bytes, { ...opts, prbIq: true }).msg;
        for (const prbSums of [true, false]) {
          const msg = new OranMessage();
          msg.ensurePrbCapacity(52);
          msg.prbExponent.fill(99);
          msg.prbPowerDbfs.fill(1.5);
          msg.prbZero.fill(7);
          msg.prbClipped.fill(7);
          const o = resolveDecodeOptions({ ...opts, prbSums });
          decodeOran(bytes, 0, bytes.length, 'u', o, new UplaneFormatCache(), msg, new FindingList());
          expect(msg.prbCount).toBe(52);
          expect([...msg.prbExponent.subarray(0, 52)]).toEqual([...full.prbExponent.subarray(0, 52)]);
          expect([...msg.prbPowerDbfs.subarray(0, 52)].every(Number.isNaN)).toBe(true);
          expect([...msg.prbZero.subarray(0, 52)].every((z) => z === 0)).toBe(true);
          const clipped = prbSums ? kept.prbClipped : new Uint8Array(52);
          expect([...msg.prbClipped.subarray(0, 52)]).toEqual([...clipped.subarray(0, 52)]);
        }
        for (let i = 0; i < 3; i++) {
          const s = kept.uSections[i]!;
          const t = plain.uSections[i]!;
          expect(s.prbSums).toBe(true);
          expect(t.prbSums).toBe(false);
          // the totals are those of the pass without the sums
          expect([s.zeroPrbs, s.clippedPrbs, s.clippedSamples, s.activePowerLin]).toEqual([
            t.zeroPrbs,
            t.clippedPrbs,
            t.clippedSamples,
            t.activePowerLin,
          ]);
          for (let k = 0; k < s.nPrb; k++) {
            const p = s.dataOffset + k * prbBytes;
            if (method === 'block_scaling') decodePrbIqBlockScaledSum(bytes, p + 1, width, bytes[p]!, ref);
            else decodePrbIqSum(bytes, param ? p + 1 : p, width, param ? bytes[p]! & 15 : -1, ref);
            expect(kept.prbSumSq16[s.prbIndex + k]).toBe(ref.zero ? 0 : ref.sumSq16);
            expect(kept.prbClipped[s.prbIndex + k]).toBe(ref.zero ? 0 : ref.clipped);
          }
        }
        expect(kept.uSections[1]!.prbIndex).toBe(5);
        expect(kept.uSections[2]!.prbIndex).toBe(12);
      }
    }
  });

  it('a reused message reads as a fresh one after any sequence of decodes (the per-PRB blank marks)', () => {
    // Decodes without per-PRB values skip the PRBs their message object holds blank already (oran-message.ts
    // blank marks): every decode with or without per-PRB values and sums, of sections of BFP (exponents
    // written) and uncompressed IQ (exponent 0), shorter and longer than the last, must leave the arrays as a
    // fresh message's decode of the same packet does — fails when a mark is not lowered where values are
    // written or is raised past a section whose PRBs were not written blank.
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    const u16 = (id: number, start: number, n: number): number[] => [
      ...sectionHeader(id, start, n),
      0x00,
      0x00, // udCompHdr: uncompressed, width 0 = 16
      ...Array.from({ length: n }, (_, k) =>
        pack(
          Array.from({ length: 24 }, () => (k % 4 === 0 ? 0 : (rnd() % 65536) - 32768)),
          16,
        ),
      ).flat(),
    ];
    const bfp9 = (id: number, start: number, n: number): number[] => [
      ...sectionHeader(id, start, n),
      0x91,
      0x00, // udCompHdr: 9-bit BFP
      ...Array.from({ length: n }, (_, k) =>
        k % 3 === 0
          ? bfpPrb(
              7,
              Array.from({ length: 24 }, (_, i) => (i === 0 ? -256 : (rnd() % 512) - 256)),
              9,
            ) // clipped
          : bfpPrb(
              1 + (rnd() % 6),
              Array.from({ length: 24 }, () => (k % 5 === 1 ? 0 : (rnd() % 512) - 256)),
              9,
            ),
      ).flat(),
    ];
    const packets = [
      uplane([...bfp9(1, 0, 5), ...u16(2, 5, 7), ...bfp9(3, 12, 40)]),
      uplane([...u16(1, 0, 3), ...u16(2, 3, 30)]),
      uplane([...bfp9(1, 0, 3), ...u16(2, 3, 45)]),
      uplane([...u16(1, 0, 50)]),
      uplane([...u16(1, 0, 2), ...bfp9(2, 2, 4)]),
    ];
    const options = [
      { compHdr: 'dynamic', prbIq: true },
      { compHdr: 'dynamic', prbIq: false },
      { compHdr: 'dynamic', prbIq: false, prbSums: true },
    ].map((o) => resolveDecodeOptions(o as Partial<DecodeOptions>));
    const caches = options.map(() => new UplaneFormatCache());
    const reused = new OranMessage();
    const arrays = (m: OranMessage) => {
      const n = m.prbCount;
      return [m.prbExponent, m.prbPowerDbfs, m.prbZero, m.prbClipped].map((a) => Array.from(a.subarray(0, n)));
    };
    for (let step = 0; step < 200; step++) {
      const bytes = packets[rnd() % packets.length]!;
      const k = rnd() % options.length;
      decodeOran(bytes, 0, bytes.length, 'u', options[k]!, caches[k]!, reused, new FindingList());
      const fresh = new OranMessage();
      decodeOran(bytes, 0, bytes.length, 'u', options[k]!, new UplaneFormatCache(), fresh, new FindingList());
      expect(reused.prbCount).toBe(fresh.prbCount);
      expect(arrays(reused)).toEqual(arrays(fresh));
    }
  });

  it('decodes uncompressed 16-bit IQ; full-scale samples are not called clipped (no exponent)', () => {
    const samples = Array.from({ length: 24 }, (_, k) => (k === 3 ? 32767 : k * 100));
    const bytes = uplane([...sectionHeader(2, 0, 1), ...pack(samples, 16)]);
    const { msg } = run(bytes, { compMethod: 'none', iqWidth: 16, compHdr: 'static' });
    expect(msg.uSections[0]!.iqSupported).toBe(true);
    expect(msg.prbClipped[0]).toBe(0);
    const sum = samples.reduce((a, v) => a + v * v, 0);
    expect(msg.prbPowerDbfs[0]).toBeCloseTo(10 * Math.log10(sum / (12 * 2 ** 30)), 4);
  });

  // prettier-ignore
  it('reads a dynamic udCompHdr per section', () => {
    const bytes = uplane([
      ...sectionHeader(1, 0, 1), 0x91, 0x00, ...bfpPrb(4, ramp(9), 9), // udCompHdr: 9-bit BFP
      ...sectionHeader(2, 1, 1), 0x01, 0x00, ...bfpPrb(0, ramp(16), 16), // width 0 means 16
    ]);
    const { msg, findings } = run(bytes, { compHdr: 'dynamic' });
    expect(findings.count).toBe(0);
    expect(msg.sectionCount).toBe(2);
    expect([msg.uSections[0]!.udCompHdr, msg.uSections[0]!.iqWidth, msg.uSections[1]!.iqWidth]).toEqual([0x91, 9, 16]);
  });

  // prettier-ignore
  it('uses NRB for numPrbu 0', () => {
    const prbs = Array.from({ length: 4 }, () => bfpPrb(1, ramp(9), 9)).flat();
    const { msg } = run(uplane([...sectionHeader(1, 0, 0), ...prbs]), { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 4 });
    expect(msg.uSections[0]!.nPrb).toBe(4);
    expect(msg.inferred).toBe(0);
  });

  // prettier-ignore
  it('takes a selective-RE section (method 5) to span its udCompLen bytes', () => {
    const bytes = uplane([
      ...sectionHeader(1, 0, 4), 0x95, 0x00, 0x00, 0x0a, ...Array(10).fill(0x33), // udCompHdr 9-bit method 5, udCompLen 10
      ...sectionHeader(2, 4, 1), 0x91, 0x00, ...bfpPrb(2, ramp(9), 9), // then a plain 9-bit BFP section
    ]);
    const { msg, findings } = run(bytes, { compHdr: 'dynamic' });
    expect(findings.count).toBe(0);
    expect([msg.sectionCount, msg.uSections[0]!.udCompLen, msg.uSections[0]!.iqSupported, msg.uSections[1]!.sectionId]).toEqual([2, 10, false, 2]);
  });

  it('marks other methods (μ-law) as header-only with the payload length checked', () => {
    const bytes = uplane([...sectionHeader(1, 0, 2), ...Array(2 * (1 + 27)).fill(0x11)]);
    const { msg, findings } = run(bytes, { compMethod: 'mu_law', iqWidth: 9, compHdr: 'static' });
    expect(findings.count).toBe(0);
    expect(msg.uSections[0]!.iqSupported).toBe(false);
    expect(Number.isNaN(msg.prbPowerDbfs[0])).toBe(true);
  });

  it('block scaling (Annex A.2): power per PRB from the scaler, s² · 2^(18 − 2w) · Σc²', () => {
    // two 9-bit PRBs of 0x11 bytes behind scalers 0x11 (17) and 0x11: Σc² of the mantissas, scaled
    const bytes = uplane([...sectionHeader(1, 0, 2), ...Array(2 * (1 + 27)).fill(0x11)]);
    const { msg, findings } = run(bytes, { compMethod: 'block_scaling', iqWidth: 9, compHdr: 'static' });
    expect(findings.count).toBe(0);
    const s = msg.uSections[0]!;
    expect(s.iqSupported).toBe(true);
    const r = new PrbIqResult();
    decodePrbIq(new Uint8Array(27).fill(0x11), 0, 9, 0, r); // Σc² on the raw scale (exponent 0)
    const want = 10 * Math.log10(r.sumSq16 * 17 * 17) - 10 * Math.log10(12 * 2 ** 30);
    expect(msg.prbPowerDbfs[0]).toBeCloseTo(want, 5);
    expect(msg.prbPowerDbfs[1]).toBeCloseTo(want, 5);
    expect(s.zeroPrbs).toBe(0);
    expect(s.clippedPrbs).toBe(0);
  });
});

describe('U-plane heuristics without a profile', () => {
  it('infers static BFP width from the section sizes and says so', () => {
    const prbs = Array.from({ length: 3 }, () => bfpPrb(2, ramp(14), 14)).flat();
    const { msg } = run(uplane([...sectionHeader(1, 0, 3), ...prbs]), {});
    expect(msg.uSections[0]!.iqWidth).toBe(14);
    expect(msg.inferred & Inferred.IQ_WIDTH).toBeTruthy();
    expect(msg.inferred & Inferred.COMP_HDR).toBeTruthy();
  });

  // prettier-ignore
  it('infers uncompressed 16-bit and dynamic headers', () => {
    const u16 = run(uplane([...sectionHeader(1, 0, 2), ...pack(ramp(16), 16), ...pack(ramp(16), 16)]), {});
    expect([u16.msg.uSections[0]!.compMethod, u16.msg.uSections[0]!.iqWidth]).toEqual([0, 16]);
    const dyn = run(uplane([...sectionHeader(1, 0, 2), 0xc1, 0x00, ...bfpPrb(1, ramp(12), 12), ...bfpPrb(1, ramp(12), 12), ...sectionHeader(2, 2, 1), 0xc1, 0x00, ...bfpPrb(1, ramp(12), 12)]), {});
    expect(dyn.msg.uSections[0]!.udCompHdr).toBe(0xc1);
    expect(dyn.msg.sectionCount).toBe(2);
  });

  // prettier-ignore
  it('infers NRB from the payload when numPrbu is 0', () => {
    const prbs = Array.from({ length: 5 }, () => bfpPrb(1, ramp(9), 9)).flat();
    const { msg } = run(uplane([...sectionHeader(1, 0, 0), ...prbs]), { compMethod: 'bfp', iqWidth: 9, compHdr: 'static' });
    expect(msg.uSections[0]!.nPrb).toBe(5);
    expect(msg.inferred & Inferred.NRB).toBeTruthy();
  });
});

describe('U-plane malformed input', () => {
  // prettier-ignore
  it('keeps the whole PRBs of an all-PRB section without NRB and reports the remainder as trailing bytes', () => {
    const prbs = Array.from({ length: 3 }, () => bfpPrb(1, ramp(9), 9)).flat();
    const { msg, findings } = run(uplane([...sectionHeader(1, 0, 0), ...prbs, 0xaa, 0xbb]), { compMethod: 'bfp', iqWidth: 9, compHdr: 'static' });
    expect(msg.uSections[0]!.nPrb).toBe(3);
    expect(findings.has('trailing_bytes')).toBe(true);
    expect(findings.has('section_overrun')).toBe(false);
  });

  it('flags a section overrunning its message and keeps the whole PRBs', () => {
    const bytes = uplane([...sectionHeader(1, 0, 3), ...bfpPrb(1, ramp(9), 9), ...bfpPrb(1, ramp(9), 9)]);
    const { msg, findings } = run(bytes, { compMethod: 'bfp', iqWidth: 9, compHdr: 'static' });
    expect(findings.has('section_overrun')).toBe(true);
    expect(msg.prbCount).toBe(2);
  });

  it('flags a dynamic BFP width 0 that does not fit as bfp_width_zero', () => {
    const bytes = uplane([...sectionHeader(1, 0, 2), 0x01, 0x00, ...bfpPrb(1, ramp(9), 9), ...bfpPrb(1, ramp(9), 9)]);
    expect(run(bytes, { compHdr: 'dynamic' }).findings.has('bfp_width_zero')).toBe(true);
  });

  // prettier-ignore
  it('survives random bytes and every truncation under every profile', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const profiles: Partial<DecodeOptions>[] = [{}, { compHdr: 'dynamic' }, { compMethod: 'bfp', iqWidth: 9, compHdr: 'static' }, { compMethod: 'none', iqWidth: 16, compHdr: 'static', nrb: 273 }];
    for (const p of profiles) {
      for (let n = 0; n < 300; n++) {
        const bytes = Uint8Array.from({ length: rnd() * 4 }, rnd);
        expect(() => run(bytes, p)).not.toThrow();
      }
      const good = uplane([...sectionHeader(1, 0, 2), ...bfpPrb(1, ramp(9), 9), ...bfpPrb(1, ramp(9), 9)]);
      for (let cut = 0; cut <= good.length; cut++) expect(() => run(good.subarray(0, cut), p)).not.toThrow();
    }
  });
});
