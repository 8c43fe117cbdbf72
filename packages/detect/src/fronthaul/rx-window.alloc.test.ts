import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The hot path (DESIGN.md, detector.ts) of rx-window, coupling, prb-range, compression, ul-burst, sequence and
 * traffic-gap (their KPI bucket and coarse-clock tests on numbers instead of bigints, issue 14), and of
 * the driver's flow and link tables under them: nothing allocated per packet. A fresh Node with `--expose-gc`
 * feeds them a clean, GPS-aligned stream (per 30 kHz slot: DL and UL C-plane, 14 DL and 14 UL U-plane
 * messages, each with its own capture time, between two MAC addresses) and counts garbage collections while
 * 960 k packets pass; 16 bytes per packet, ~15 MB, was one young-generation collection (measured: the link
 * hash boxed per packet). Measured: no collection, heap growth ≈ 4.3 B/packet (3.3 without sequence and
 * traffic-gap, whose share was the same with their bigint tests; ≈ 2.3 of them in rx-window,
 * which builds no per-message object: JIT feedback and its per-second KPI metrics; a C-plane-only stream
 * shows more and is not understood yet). The probe imports `@l1t/capture` through its package exports
 * (`dist/`).
 */
const detectDir = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../../capture/dist/index.js', import.meta.url)));
if (!built && process.env['L1T_REQUIRE_ALL_SUITES'] === '1') throw new Error('packages/capture/dist is missing');

const PROBE = `
import { PerformanceObserver } from 'node:perf_hooks';
import { DecodedPacket } from '@l1t/capture';
import { rxWindowDetector } from '${here}rx-window.ts';
import { couplingDetector } from '${here}coupling.ts';
import { prbRangeDetector } from '${here}prb-range.ts';
import { compressionDetector } from '${here}compression.ts';
import { ulBurstDetector } from '${here}ul-burst.ts';
import { sequenceDetector } from '${here}sequence.ts';
import { trafficGapDetector } from '${here}traffic-gap.ts';
import { symbolStartTc } from '${here}air-time.ts';
import { DetectorDriver } from '${here}../framework/detector-driver.ts';

const profile = { scs_khz: 30, nrb: 273, timing: { mode: 'absolute' } };
const reports = [];
const ctx = { profile, thresholds: {}, report: (o) => reports.push(o), metric: () => {}, count: () => {} };
const detectors = [
  rxWindowDetector,
  couplingDetector,
  prbRangeDetector,
  compressionDetector,
  ulBurstDetector,
  sequenceDetector,
  trafficGapDetector,
].map((d) =>
  d.create({ profile, thresholds: {} }),
);
// through the real driver: clock, fronthaul stage (flow table, slots) and dispatch are on the hot path too
const driver = new DetectorDriver(detectors, ctx);
const T0 = 1_767_225_600_000_000_000n; // frameId 8, subframe 0 starts here
const SLOTS = 72_000;
const PER_SLOT = 30;
// capture times, created up front (making a bigint allocates; the detectors must not)
const ts = new Array(SLOTS * PER_SLOT);
const symNs = Array.from({ length: 14 }, (_, l) => 0);
for (let g = 0, k = 0; g < SLOTS; g++) {
  const slotStart = T0 + BigInt(g) * 500_000n;
  ts[k++] = slotStart - 500_000n;
  ts[k++] = slotStart - 480_000n;
  for (let l = 0; l < 14; l++) ts[k++] = slotStart + BigInt(Math.floor((symbolStartTc(1, g & 1, l) - symbolStartTc(1, g & 1, 0)) * 3125 / 6144)) - 200_000n;
  for (let l = 0; l < 14; l++) ts[k++] = slotStart + BigInt(Math.floor((symbolStartTc(1, g & 1, l) - symbolStartTc(1, g & 1, 0)) * 3125 / 6144)) + 100_000n + BigInt(l & 1) * 2_000n;
}
const c = new DecodedPacket();
const u = new DecodedPacket();
for (const p of [c, u]) {
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  p.oran.headerComplete = true;
  p.oran.sectionCount = 1;
  p.oran.eBit = 1;
  p.oran.subsequenceId = 0;
  // Ethernet addresses (DU and RU, both directions): the flow table's link look-up runs on them (a MAC-less
  // packet skips its hash, which was a boxed double per packet before LinkTable checked its last link first)
  p.data = new Uint8Array(64);
  p.data.set([2, 0, 0, 0x12, 0x34, 0x56, 2, 0, 0, 0xab, 0xcd, 0xef], 0);
  p.link.dstMacOffset = 0;
  p.link.srcMacOffset = 6;
}
c.oran.plane = 'c';
c.oran.sectionType = 1;
c.oran.udCompHdr = 0;
const cs = c.oran.cSection(0);
cs.sectionId = 1; cs.startPrbc = 0; cs.numPrbc = 0; cs.numSymbol = 14; cs.reMask = 0xfff;
u.oran.plane = 'u';
const us = u.oran.uSection(0);
us.sectionId = 1; us.startPrbu = 0; us.numPrbu = 0; us.nPrb = 273; us.compMethod = 1; us.iqWidth = 9; us.udCompHdr = -1;
let index = 0;
// per flow (C-plane << 1 | DL) the next sequence id: each message in order, as sequence expects
const seq = [0, 0, 0, 0];
function feed(p, k) {
  p.index = ++index;
  p.tsNs = ts[k];
  const f = (p.oran.plane === 'c' ? 2 : 0) | p.oran.dataDirection;
  p.oran.sequenceId = seq[f]++ & 0xff;
  driver.onPacket(p);
}
function slot(g) {
  const sf = g >> 1;
  const k0 = g * PER_SLOT;
  for (const p of [c, u]) {
    p.oran.frameId = (8 + Math.floor(sf / 10)) & 0xff;
    p.oran.subframeId = sf % 10;
    p.oran.slotId = g & 1;
  }
  c.oran.symbolId = 0;
  c.oran.dataDirection = 1;
  feed(c, k0);
  c.oran.dataDirection = 0;
  feed(c, k0 + 1);
  u.oran.dataDirection = 1;
  for (let l = 0; l < 14; l++) { u.oran.symbolId = l; feed(u, k0 + 2 + l); }
  u.oran.dataDirection = 0;
  for (let l = 0; l < 14; l++) { u.oran.symbolId = l; feed(u, k0 + 16 + l); }
}
const WARM = 40_000;
for (let g = 0; g < WARM; g++) slot(g);
globalThis.gc();
let collections = 0;
let counting = true;
const obs = new PerformanceObserver((list) => { if (counting) collections += list.getEntries().length; });
obs.observe({ entryTypes: ['gc'] });
const heapBefore = process.memoryUsage().heapUsed;
for (let g = WARM; g < SLOTS; g++) slot(g);
const heapAfter = process.memoryUsage().heapUsed;
setTimeout(() => {
  counting = false;
  obs.disconnect();
  process.stdout.write(JSON.stringify({ packets: (SLOTS - WARM) * PER_SLOT, collections, heapGrowthBytes: heapAfter - heapBefore, reports: reports.length }) + '\\n');
}, 50);
`;

describe.runIf(built)(
  'hot path of the fronthaul timing, coupling, PRB, compression, burst, sequence and gap detectors',
  () => {
    it('runs 960 k packets without a garbage collection (heap growth under 5 B/packet)', () => {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', PROBE],
        {
          cwd: detectDir,
          encoding: 'utf8',
        },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as {
        packets: number;
        collections: number;
        heapGrowthBytes: number;
        reports: number;
      };
      expect(r.reports).toBe(0);
      expect(r.packets).toBe(960_000);
      // 0, not ≤ 1: 16 B per packet (the link hash boxed for its Map look-up) was one young-generation collection
      expect(r.collections).toBe(0);
      expect(r.heapGrowthBytes / r.packets).toBeLessThan(5);
    }, 120_000);
  },
);
