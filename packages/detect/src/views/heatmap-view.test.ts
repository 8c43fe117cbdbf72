import {
  concatBytes,
  createPacketDecoder,
  DecodedPacket,
  INV_FULL_SCALE_PRB_POWER,
  sectionPrbSums,
  parseFaultSpec,
  readCaptureRecords,
  synthFronthaul,
  type DecodeOptions,
} from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { PrbHeatmap } from './heatmap-view.js';

/**
 * The heatmap drawn from the decoder's kept per-PRB sums (decode option `prbSums`; sections of only zero PRBs,
 * or of neither zero nor clipped PRBs, drawn from the section totals without per-PRB tests) equals the one
 * drawn from each section decoded again PRB by PRB (no `prbSums`: `sectionPrbSums`, every PRB tested), on a
 * synthetic capture with zeroed and saturated slots (iq_zero, iq_saturation) in BFP and uncompressed IQ.
 */
describe('PRB heatmap', () => {
  it.each([
    ['bfp', 9],
    ['none', 16],
  ] as const)('draws the same grid from kept sums as from sections decoded again (%s %i-bit)', (method, width) => {
    const bytes = concatBytes([
      ...synthFronthaul(
        { durationS: 0.05, scsKhz: 30, nrb: 24, eaxc: { dl: [0], ul: [0] }, comp: { method, iqWidth: width } },
        parseFaultSpec('iq_zero@0.01:slots=20;iq_saturation@0.03:slots=20'),
        7,
      ),
    ]);
    const opts: Partial<DecodeOptions> = {
      compMethod: method,
      iqWidth: width,
      compHdr: 'static',
      nrb: 24,
      computeIq: true,
      prbIq: false,
    };
    const kept = createPacketDecoder({ ...opts, prbSums: true });
    const again = createPacketDecoder(opts);
    const a = new PrbHeatmap('u');
    const b = new PrbHeatmap('u');
    const pa = new DecodedPacket();
    const pb = new DecodedPacket();
    let t0: bigint | undefined;
    const sections = { allZero: 0, clean: 0, mixed: 0 };
    for (const r of readCaptureRecords(bytes, 'pcap', { copyData: true })) {
      if (r.kind !== 'packet') continue;
      kept.decode(r.linkType, r.data, r.tsNs, r.index, pa);
      again.decode(r.linkType, r.data, r.tsNs, r.index, pb);
      const m = pa.oran;
      if (m === undefined || !pa.hasOran || m.plane !== 'u') continue;
      t0 ??= r.tsNs;
      const rel = Number(r.tsNs - t0);
      for (let i = 0; i < m.sectionCount; i++) {
        const s = m.uSections[i]!;
        expect(s.prbSums).toBe(true);
        expect(pb.oran!.uSections[i]!.prbSums).toBe(false);
        if (s.zeroPrbs === s.nPrb) sections.allZero++;
        else if (s.zeroPrbs === 0 && s.clippedPrbs === 0) sections.clean++;
        else sections.mixed++;
      }
      a.add(m, r.data, rel);
      b.add(pb.oran!, r.data, rel);
    }
    // every way through the drawing loop was taken (uncompressed IQ never clips: no mixed section there)
    expect(sections.allZero).toBeGreaterThan(0);
    expect(sections.clean).toBeGreaterThan(0);
    const ja = a.toJSON();
    if (method === 'bfp') {
      expect(sections.mixed).toBeGreaterThan(0);
      expect(ja.clipped.some((c) => c > 0)).toBe(true);
    }
    expect(ja.decoded_prbs).toBeGreaterThan(0);
    expect(ja.zero.some((c) => c > 0)).toBe(true);
    expect(ja).toEqual(b.toJSON());
  });

  /**
   * Merges halve the columns by summing pairs (exact counts); a grid nothing was counted in yet (zero or clipped
   * PRBs) is left out of the merges and of toJSON's reads until its first count, which here comes only after
   * the second merge (iq_zero at 0.3 s, iq_saturation at 0.4 s; merges at 120, 240 and 480 ms). The grid must equal
   * every PRB binned directly at the final column width (no sampling: under EXACT_PRBS PRBs), counts exactly,
   * power to its 0.1 dB (the merges sum the same terms in another order).
   */
  it('merged columns equal every PRB binned at the final width, zero and clipped PRBs first seen after merges', () => {
    const bytes = concatBytes([
      ...synthFronthaul(
        { durationS: 0.5, scsKhz: 30, nrb: 24, eaxc: { dl: [0], ul: [] }, comp: { method: 'bfp', iqWidth: 9 } },
        parseFaultSpec('iq_zero@0.3:slots=40;iq_saturation@0.4:slots=40'),
        11,
      ),
    ]);
    const decoder = createPacketDecoder({
      compMethod: 'bfp',
      iqWidth: 9,
      compHdr: 'static',
      nrb: 24,
      computeIq: true,
      prbIq: false,
      prbSums: true,
    });
    const heatmap = new PrbHeatmap('u');
    const p = new DecodedPacket();
    const prbs: { rel: number; row: number; sum: number; clipped: number }[] = [];
    const sums = new Float64Array(24);
    const clipped = new Uint8Array(24);
    let t0: bigint | undefined;
    for (const r of readCaptureRecords(bytes, 'pcap', { copyData: true })) {
      if (r.kind !== 'packet') continue;
      decoder.decode(r.linkType, r.data, r.tsNs, r.index, p);
      const m = p.oran;
      if (m === undefined || !p.hasOran || m.plane !== 'u') continue;
      t0 ??= r.tsNs;
      const rel = Number(r.tsNs - t0);
      heatmap.add(m, r.data, rel);
      for (let i = 0; i < m.sectionCount; i++) {
        const s = m.uSections[i]!;
        sectionPrbSums(r.data, s, s.nPrb, sums, clipped);
        for (let k = 0; k < s.nPrb; k++)
          prbs.push({ rel, row: s.startPrbu + k * (s.rb === 1 ? 2 : 1), sum: sums[k]!, clipped: clipped[k]! });
      }
    }
    const j = heatmap.toJSON();
    expect(j.column_ms).toBe(4); // 0.5 ms doubled three times
    expect(j.skipped_prbs).toBe(0);
    expect(j.decoded_prbs).toBe(prbs.length);
    const cells = j.columns * j.prbs;
    const zero = new Array<number>(cells).fill(0);
    const clip = new Array<number>(cells).fill(0);
    const samples = new Array<number>(cells).fill(0);
    const power = new Array<number>(cells).fill(0);
    for (const q of prbs) {
      const c = Math.floor(q.rel / (j.column_ms * 1e6)) * j.prbs + q.row;
      samples[c]!++;
      if (q.sum === 0) zero[c]!++;
      else {
        power[c]! += q.sum * INV_FULL_SCALE_PRB_POWER;
        if (q.clipped > 0) clip[c]!++;
      }
    }
    // zero and clipped PRBs were seen, first after 240 ms (two merges in which their grids were left alone)
    const firstCounted = (a: number[]): number => Math.floor(a.findIndex((v) => v > 0) / j.prbs);
    expect(firstCounted(zero)).toBeGreaterThanOrEqual(60);
    expect(firstCounted(clip)).toBeGreaterThanOrEqual(60);
    expect(j.zero).toEqual(zero);
    expect(j.clipped).toEqual(clip);
    expect(j.samples).toEqual(samples);
    const db = power.map((w, c) => {
      const nz = samples[c]! - zero[c]!;
      return nz > 0 ? 10 * Math.log10(w / nz) : null;
    });
    expect(j.power_dbfs.map((v) => v === null)).toEqual(db.map((v) => v === null));
    for (let c = 0; c < cells; c++)
      if (db[c] !== null) expect(Math.abs(j.power_dbfs[c]! - db[c]!)).toBeLessThanOrEqual(0.051);
  });
});
