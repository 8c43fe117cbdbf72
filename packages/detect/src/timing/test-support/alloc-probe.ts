/**
 * Run with `node --expose-gc --import tsx alloc-probe.ts [names]`: feeds the IQ, traffic and timing
 * detectors (and the file views' PRB heatmap) the same hand-filled fronthaul packets (14 U-plane, 1 C-plane
 * per round) for many rounds
 * without a fault and prints, as JSON, how many garbage collections ran meanwhile: a hot path that
 * allocates nothing per packet runs none (a 16-byte object per packet would fill the young generation
 * many times over). PTP messages are fed by their own probe (`ptp-alloc-probe.ts`: a healthy two-step
 * stream with delay exchanges through the real driver).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { DecodedPacket } from '@l1t/capture';
import { iqHealthDetector } from '../../fronthaul/iq-health.js';
import { iqPowerDropDetector } from '../../fronthaul/iq-power-drop.js';
import { iqSaturationDetector } from '../../fronthaul/iq-saturation.js';
import { iqZeroDetector } from '../../fronthaul/iq-zero.js';
import { trafficGapDetector } from '../../fronthaul/traffic-gap.js';
import { ecpriDelayBudgetDetector } from '../ecpri-delay-budget.js';
import { ptpAnnounceTimeoutDetector } from '../ptp-announce-timeout.js';
import { ptpClockDegradedDetector } from '../ptp-clock-degraded.js';
import { ptpFollowUpMissingDetector } from '../ptp-follow-up-missing.js';
import { ptpGmChangeDetector } from '../ptp-gm-change.js';
import { ptpSyncGapDetector } from '../ptp-sync-gap.js';
import { ptpSyncSequenceDetector } from '../ptp-sync-sequence.js';
import { ptpTimeErrorDetector } from '../ptp-time-error.js';
import { ptpCompetingMastersDetector } from '../ptp-competing-masters.js';
import { ptpMalformedDetector } from '../ptp-malformed.js';
import { ptpMessageRateDetector } from '../ptp-message-rate.js';
import { ptpStaleTimestampDetector } from '../ptp-stale-timestamp.js';
import { cplanePacket, recordingContext, T0, uplanePacket } from './detect-helpers.js';
import { feed } from '../../framework/test-support/feed.js';
import { PrbHeatmap } from '../../views/heatmap-view.js';

const all = [
  iqHealthDetector,
  iqSaturationDetector,
  iqZeroDetector,
  iqPowerDropDetector,
  trafficGapDetector,
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpFollowUpMissingDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ptpTimeErrorDetector,
  ptpCompetingMastersDetector,
  ptpMalformedDetector,
  ptpMessageRateDetector,
  ptpStaleTimestampDetector,
  ecpriDelayBudgetDetector,
];
/** Optional argument: comma-separated detector names to probe (default: all). */
const only = process.argv[2]?.split(',');
const defs = only === undefined ? all : all.filter((d) => only.includes(d.name));
const ctx = recordingContext(defs);
const detectors = defs.map((d) => d.create({ profile: undefined, thresholds: ctx.thresholds }));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const u = new DecodedPacket();
const c = new DecodedPacket();
uplanePacket(u, 1, T0, { prbs: 273 });
cplanePacket(c, 2, T0);
// The file views' PRB heatmap on a silent flow (all-zero PRBs, an idle carrier), from the decoder's per-PRB
// sums (decode option prbSums): every message is drawn and none has a symbol worth keeping.
const heatmap = new PrbHeatmap('u|dl|eaxc=0');
const us = u.oran.uSections[0]!;
us.prbSums = true;
us.dataLength = us.nPrb * (3 * us.iqWidth + 1);
u.oran.prbSumSq16.fill(0);

// Packets of one slot (the same radio position) do not close slots: the steady state of a burst.
function round(): void {
  for (let i = 0; i < 14; i++) {
    for (const d of detectors) feed(d, u, ctx);
    heatmap.add(u.oran, u.data, 0);
  }
  for (const d of detectors) feed(d, c, ctx);
}

for (let i = 0; i < 20_000; i++) round(); // warm up (JIT)
gc();
let collections = 0;
let counting = true;
const obs = new PerformanceObserver((list) => {
  if (counting) collections += list.getEntries().length;
});
obs.observe({ entryTypes: ['gc'] });
const rounds = 100_000;
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < rounds; i++) round();
const heapAfter = process.memoryUsage().heapUsed;
setTimeout(() => {
  counting = false;
  obs.disconnect();
  process.stdout.write(
    JSON.stringify({ packets: rounds * 15, collections, heapGrowthBytes: heapAfter - heapBefore }) + '\n',
  );
}, 50);
