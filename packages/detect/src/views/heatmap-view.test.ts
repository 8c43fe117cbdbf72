import {
  concatBytes,
  createPacketDecoder,
  DecodedPacket,
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
});
