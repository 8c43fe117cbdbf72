/**
 * The real fronthaul samples (shared/samples/Utilities, parameters from MANIFEST.md) through the
 * rx-window, coupling, prb-range, compression and ul-burst detectors. What the bytes show, checked here:
 *
 * - fh_1x1.pcap, fh_1x1_non0.pcap and fh_ks.pcap are GPS-aligned at 30 kHz (slotIds 0..1): DL U-plane is
 *   seen 297–343 µs and DL C-plane 397–426 µs before the air time of its symbol — inside the default
 *   windows, so automatic mode judges them absolutely and every message is on time.
 * - nv_offset0_ref0_2sym.pcap and VIAVI_MIMO_DL_cap5.pcap are not: every message is ≈ 1.16 s resp.
 *   ≈ 90.4 ms after its air time, a constant capture-clock offset (the spread around it is ≈ 30 µs), so
 *   automatic mode is relative and finds nothing; forcing absolute mode makes every message late.
 * - fh_ks.pcap starts at slot 0 symbol 12 of frame 175: the C-plane of symbols 0–1 of slot 1 (sectionIds
 *   0 and 1) was sent before the capture began (frames 13–20 carry their U-plane; frame 5, 18 µs into the
 *   capture, is the C-plane of symbol 2). That is not a coupling fault. Its C-plane repeats sectionIds 2
 *   and 3 with the same PRBs and complementary reMasks: both copies are credited by the same U-plane.
 * - Vikas_python/ecpri.pcap frame 1 is a 20-byte test pattern (0f 0e 0d … counting down): read as a UL
 *   U-plane section its bytes 0b 0a 09 08 say sectionId 176, rb 1, startPrbu 521, numPrbu 8 — PRBs
 *   521–535 on a 273-PRB carrier, so `prb_out_of_range` is what the bytes justify.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPacketDecoder, DecodedPacket, readCaptureRecords, type DecodeOptions } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { detectCapture } from '../framework/detect-capture.js';
import type { Occurrence } from '../framework/detector.js';
import { RxWindowDetector } from './rx-window.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

const SAMPLES = process.env['L1T_SAMPLES_DIR'] ?? '/work/shared/samples';
const REQUIRE = process.env['L1T_REQUIRE_ALL_SUITES'] === '1';
const run = existsSync(SAMPLES) || REQUIRE ? it : it.skip;

const MY_TYPES = new Set([
  'rx_window_late',
  'rx_window_early',
  'uplane_without_cplane',
  'cplane_without_uplane',
  'prb_out_of_range',
  'compression_mismatch',
  'ul_symbol_burst_slow',
]);
const BITS = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };

/** file, NRB, method, width (MANIFEST.md "Capture parameters of the fronthaul samples"). */
const FILES: [string, number, 'bfp' | 'none', number][] = [
  ['Utilities/fh_1x1.pcap', 106, 'bfp', 9],
  ['Utilities/fh_1x1_non0.pcap', 106, 'bfp', 9],
  ['Utilities/fh_ks.pcap', 51, 'none', 16],
  ['Utilities/nv_offset0_ref0_2sym.pcap', 106, 'bfp', 9],
  ['Utilities/VIAVI_MIMO_DL_cap5.pcap', 106, 'none', 16],
];

/**
 * Captures on an offset clock are judged relative to their own median offset, a statistic of at least
 * learn_packets (64) messages per plane and direction: these hold fewer DL C-plane messages, which are
 * therefore not judged (and say so) rather than judged against a reference of a few dozen.
 */
const TOO_FEW_TO_LEARN: Record<string, string> = {
  'Utilities/nv_offset0_ref0_2sym.pcap':
    'dl_cplane: only 48 messages, fewer than learn_packets (64) needed for a relative timing reference: not judged',
  'Utilities/VIAVI_MIMO_DL_cap5.pcap':
    'dl_cplane: only 58 messages, fewer than learn_packets (64) needed for a relative timing reference: not judged',
};

function profileOf(nrb: number, method: 'bfp' | 'none', width: number): Profile {
  return { nrb, eaxc_bits: BITS, uplane: { comp_method: method, iq_width: width, comp_hdr: 'static' } };
}

function decodeOptions(p: Profile | undefined): Partial<DecodeOptions> {
  const eaxcBits = { duPort: 4, bandSector: 4, cc: 4, ruPort: 4 };
  if (!p) return { eaxcBits };
  return { eaxcBits, nrb: p.nrb, compMethod: p.uplane?.comp_method, iqWidth: p.uplane?.iq_width, compHdr: 'static' };
}

function bytesOf(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(SAMPLES, file)));
}

/** Runs the rx-window detector alone and returns it with its occurrences. */
function rxWindow(file: string, profile: Profile | undefined): { det: RxWindowDetector; occ: Occurrence[] } {
  const det = new RxWindowDetector(profile, {});
  const occ: Occurrence[] = [];
  const ctx: DriverContext = { profile, thresholds: {}, report: (o) => occ.push(o), metric: () => {} };
  const dec = createPacketDecoder(decodeOptions(profile));
  const p = new DecodedPacket();
  for (const r of readCaptureRecords(bytesOf(file), 'pcap')) {
    if (r.kind === 'packet') feed(det, dec.decode(r.linkType, r.data, r.tsNs, r.index, p), ctx);
  }
  end(det, ctx);
  return { det, occ };
}

describe('real fronthaul samples', () => {
  for (const [file, nrb, method, width] of FILES) {
    for (const withProfile of [true, false]) {
      run(
        `${file} ${withProfile ? 'with its MANIFEST profile' : 'without a profile'}: none of these anomaly types`,
        () => {
          const profile = withProfile ? profileOf(nrb, method, width) : undefined;
          const res = detectCapture(bytesOf(file), 'pcap', { profile, decode: decodeOptions(profile) });
          expect(
            res.anomalies
              .filter((a) => MY_TYPES.has(a.type))
              .map((a) => `${a.type}@${a.packet_index}: ${a.description}`),
          ).toEqual([]);
          const tooFew = TOO_FEW_TO_LEARN[file];
          expect(res.warnings).toEqual(tooFew === undefined ? undefined : [tooFew]);
          for (const [flow, c] of Object.entries(res.counters)) {
            if (!/^[cu]\|/.test(flow)) continue;
            const s = flow.startsWith('c') ? '_C' : '';
            if (tooFew !== undefined && flow.startsWith('c|dl')) {
              expect(c[`RX_ON_TIME${s}`], flow).toBe(0);
              expect(c[`RX_UNJUDGED${s}`], flow).toBeGreaterThan(0);
              continue;
            }
            expect(c[`RX_ON_TIME${s}`], flow).toBeGreaterThan(0);
            expect((c[`RX_EARLY${s}`] ?? 0) + (c[`RX_LATE${s}`] ?? 0), flow).toBe(0);
          }
        },
      );
    }
  }

  run.each(['Utilities/fh_1x1.pcap', 'Utilities/fh_1x1_non0.pcap', 'Utilities/fh_ks.pcap'])(
    '%s is GPS-aligned: automatic mode judges it absolutely, SCS 30 kHz from slotIds 0..1',
    (file) => {
      const { det, occ } = rxWindow(file, undefined);
      expect(occ).toEqual([]);
      expect(det.effectiveMode).toBe('absolute');
      expect(det.modeNote).toMatch(/inside its window/);
      expect(det.scsKhz).toBe(30);
      // a window that excludes the measured DL U-plane advance (297–343 µs) makes every U-plane message early
      const strict = rxWindow(file, { timing: { mode: 'absolute', windows_us: { dl_uplane: [50, 250] } } });
      expect(strict.occ.every((o) => o.type === 'rx_window_early' && o.evidence.window === 'dl_uplane')).toBe(true);
      const advances = strict.occ.map((o) => o.evidence.measured_advance_us as number);
      expect(Math.min(...advances)).toBeGreaterThan(290);
      expect(Math.max(...advances)).toBeLessThan(345);
    },
  );

  run.each([
    ['Utilities/nv_offset0_ref0_2sym.pcap', 1_159_000, 1_160_000],
    ['Utilities/VIAVI_MIMO_DL_cap5.pcap', 90_200, 90_600],
  ])(
    '%s has a capture clock offset from GPS: relative in automatic mode, all late when forced absolute',
    (file, lo, hi) => {
      const auto = rxWindow(file, undefined);
      expect(auto.occ).toEqual([]);
      expect(auto.det.effectiveMode).toBe('relative');
      expect(auto.det.modeNote).toMatch(/not GPS-aligned/);
      const forced = rxWindow(file, { timing: { mode: 'absolute' } });
      const total = Object.values(forced.det.counters()).reduce((n, c) => n + (c.RX_LATE ?? 0) + (c.RX_LATE_C ?? 0), 0);
      const onTime = Object.values(forced.det.counters()).reduce(
        (n, c) => n + (c.RX_ON_TIME ?? 0) + (c.RX_ON_TIME_C ?? 0),
        0,
      );
      expect(onTime).toBe(0);
      expect(total).toBeGreaterThan(400);
      const late = forced.occ.find((o) => o.evidence.window === 'dl_uplane')!;
      expect(-(late.evidence.measured_advance_us as number)).toBeGreaterThan(lo);
      expect(-(late.evidence.measured_advance_us as number)).toBeLessThan(hi);
    },
  );

  run(
    'fh_ks.pcap: the first slot lacks C-plane sections sent before the capture began; complementary reMasks are kept apart',
    () => {
      const profile = profileOf(51, 'none', 16);
      const dec = createPacketDecoder(decodeOptions(profile));
      const p = new DecodedPacket();
      // reader records are reused objects: look at frames 5 and 13 while they pass
      let sections: number[][] = [];
      let frame5: number[] = [];
      let frame13: (string | number)[] = [];
      for (const r of readCaptureRecords(bytesOf('Utilities/fh_ks.pcap'), 'pcap')) {
        if (r.kind !== 'packet' || (r.index !== 5 && r.index !== 13)) continue;
        const o = dec.decode(r.linkType, r.data, r.tsNs, r.index, p).oran;
        if (r.index === 5) {
          frame5 = [o.plane === 'c' ? 1 : 0, o.frameId, o.subframeId, o.slotId, o.symbolId];
          sections = o.cSections.slice(0, o.sectionCount).map((s) => [s.sectionId, s.startPrbc, s.numPrbc, s.reMask]);
        } else frame13 = [o.plane, o.slotId, o.symbolId, o.uSections[0]!.sectionId];
      }
      expect(frame5).toEqual([1, 175, 0, 1, 2]);
      expect(sections.map((s) => s.slice(0, 3))).toEqual([
        [2, 0, 3],
        [2, 0, 3],
        [3, 3, 48],
        [3, 3, 48],
      ]);
      expect((sections[0]![3]! & sections[1]![3]!) === 0 && (sections[0]![3]! | sections[1]![3]!) === 0xfff).toBe(true);
      expect(frame13).toEqual(['u', 1, 0, 0]);
      const res = detectCapture(bytesOf('Utilities/fh_ks.pcap'), 'pcap', { profile, decode: decodeOptions(profile) });
      expect(res.counters['coupling']?.SLOTS_UNJUDGED_AT_CAPTURE_START).toBeGreaterThan(0);
      expect(res.anomalies.filter((a) => MY_TYPES.has(a.type))).toEqual([]);
    },
  );

  run('Vikas_python/ecpri.pcap frame 1 (a test pattern) really declares PRBs 521–535: prb_out_of_range', () => {
    const profile: Profile = { nrb: 273, uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' } };
    const res = detectCapture(bytesOf('Vikas_python/ecpri.pcap'), 'pcap', {
      profile,
      decode: { nrb: 273, compMethod: 'bfp', iqWidth: 9, compHdr: 'static' },
    });
    const mine = res.anomalies.filter((a) => MY_TYPES.has(a.type));
    expect(mine.map((a) => [a.type, a.packet_index])).toEqual([['prb_out_of_range', 1]]);
    expect(mine[0]!.evidence).toMatchObject({
      section_id: 176,
      rb: 1,
      start_prbu: 521,
      num_prbu: 8,
      last_prb: 535,
      nrb: 273,
    });
  });
});
