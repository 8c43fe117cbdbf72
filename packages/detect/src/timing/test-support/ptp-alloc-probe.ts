/**
 * Run with `node --expose-gc --import tsx ptp-alloc-probe.ts [detectors] [replay]`: feeds the PTP detectors, through the real
 * {@link DetectorDriver} (capture clock, exchange pairing, dispatch per messageType), a healthy G.8275.1
 * stream of one master and one slave port — two-step Sync + Follow_Up at 16/s, Announce at 8/s, Delay_Req +
 * Delay_Resp at 16/s, capture clock on UTC and the master on TAI — for many rounds, and prints, as JSON, how
 * many garbage collections ran meanwhile (issue 14: PTP-only traffic). The capture times are made before the
 * count starts (a reader makes one per packet; what is probed is what the detectors make). Left out: the
 * time-error metrics detector, which keeps every exchange and arrival for its end-of-file report by design
 * (8 bytes a value, bounded per port), and a healthy stream's per-second `ptp_time_error` metric rows.
 *
 * With `replay` the master's origin timestamps fall 10 s behind the capture clock after the warm-up's first
 * half (a replayed stream: every later Sync and Follow_Up is `ptp_stale_timestamp`), and the detectors run
 * in the file's real detection (createFronthaulDetection: context ring, aggregator, occurrence runs), so the
 * probed path includes a stale message continuing its port's run (OccurrenceRun.extend).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { DetectorDriver } from '../../framework/detector-driver.js';
import { createFronthaulDetection } from '../../framework/fronthaul-detection.js';
import { ptpAnnounceTimeoutDetector } from '../ptp-announce-timeout.js';
import { ptpClockDegradedDetector } from '../ptp-clock-degraded.js';
import { ptpCompetingMastersDetector } from '../ptp-competing-masters.js';
import { ptpFollowUpMissingDetector } from '../ptp-follow-up-missing.js';
import { ptpGmChangeDetector } from '../ptp-gm-change.js';
import { ptpMalformedDetector } from '../ptp-malformed.js';
import { ptpMessageRateDetector } from '../ptp-message-rate.js';
import { ptpStaleTimestampDetector } from '../ptp-stale-timestamp.js';
import { ptpSyncGapDetector } from '../ptp-sync-gap.js';
import { ptpSyncSequenceDetector } from '../ptp-sync-sequence.js';
import { ptpPacket, recordingContext, T0 } from './detect-helpers.js';

const all = [
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpFollowUpMissingDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ptpCompetingMastersDetector,
  ptpMalformedDetector,
  ptpMessageRateDetector,
  ptpStaleTimestampDetector,
];
/** Optional argument: comma-separated detector names to probe (default, or `all`: all of the above). */
const only = process.argv[2] === undefined || process.argv[2] === 'all' ? undefined : process.argv[2].split(',');
const defs = only === undefined ? all : all.filter((d) => only.includes(d.name));
const replay = process.argv[3] === 'replay';
const ctx = recordingContext(defs);
const driver = new DetectorDriver(
  defs.map((d) => d.create({ profile: undefined, thresholds: ctx.thresholds })),
  ctx,
);
const detection = replay
  ? createFronthaulDetection({ profile: undefined, definitions: defs, thresholds: ctx.thresholds, views: false })
  : undefined;
/** Replay: origin timestamps this far behind the capture clock from this round on. */
const REPLAY_BEHIND_S = 10;
const REPLAY_FROM = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const MASTER = 1;
const SLAVE = 2;
const TAI_UTC_S = 37;
const STEP_NS = 62_500_000; // 1/16 s
const WARM_ROUNDS = 20_000;
const ROUNDS = 400_000;
const PER_ROUND = 5; // Sync, Follow_Up, Delay_Req, Delay_Resp, and an Announce every other round (avg 4.5)

// Capture times of every packet, made up front: [sync, delayReq, delayResp] per round (Follow_Up and
// Announce share the Sync's and the Delay_Resp's).
const times: bigint[] = [];
for (let r = 0; r < WARM_ROUNDS + ROUNDS; r++) {
  const t = T0 + BigInt(r) * BigInt(STEP_NS);
  times.push(t, t + 1_000_000n, t + 2_000_000n, t + 3_000_000n);
}

const sync = new DecodedPacket();
const followUp = new DecodedPacket();
const announce = new DecodedPacket();
const delayReq = new DecodedPacket();
const delayResp = new DecodedPacket();
ptpPacket(sync, 0, T0, { type: PtpMessageType.SYNC, clock: MASTER, twoStep: true, tsSec: 0, tsNs: 0 });
ptpPacket(followUp, 0, T0, { type: PtpMessageType.FOLLOW_UP, clock: MASTER, tsSec: 0, tsNs: 0 });
ptpPacket(announce, 0, T0, { type: PtpMessageType.ANNOUNCE, clock: MASTER, tsSec: 0, tsNs: 0, gm: MASTER });
ptpPacket(delayReq, 0, T0, { type: PtpMessageType.DELAY_REQ, clock: SLAVE, tsSec: 0, tsNs: 0, logInterval: 0x7f });
ptpPacket(delayResp, 0, T0, {
  type: PtpMessageType.DELAY_RESP,
  clock: MASTER,
  tsSec: 0,
  tsNs: 0,
  requestingClock: SLAVE,
  requestingPort: 1,
});

// Lengths as on the wire (IEEE 1588-2019 §13.6–§13.9, §13.5), so that ptp_malformed has nothing to say.
for (const [p, length] of [
  [sync, 44],
  [followUp, 44],
  [announce, 64],
  [delayReq, 44],
  [delayResp, 54],
] as const) {
  p.ptp.messageLength = length;
  p.ptp.available = length;
}

const T0_SEC = Number(T0 / 1_000_000_000n);
let index = 0;
/**
 * One message of round `r`: its capture time, and its PTP timestamp on TAI `plusNs` after the round's start
 * (computed here from small integers: a double passed between functions would be boxed, the probe's own garbage).
 */
function send(p: DecodedPacket, ts: bigint, r: number, plusNs: number, seq: number): void {
  p.index = ++index;
  p.tsNs = ts;
  p.ptp.sequenceId = seq & 0xffff;
  const offsetNs = r * STEP_NS + plusNs;
  const sec = Math.floor(offsetNs / 1e9);
  p.ptp.timestampSec = T0_SEC + TAI_UTC_S + sec - (replay && r >= REPLAY_FROM ? REPLAY_BEHIND_S : 0);
  p.ptp.timestampNs = offsetNs - sec * 1e9;
  if (detection !== undefined) detection.onPacket(p);
  else driver.onPacket(p);
}

function round(r: number): void {
  send(sync, times[4 * r]!, r, 0, r);
  send(followUp, times[4 * r + 1]!, r, 0, r); // preciseOriginTimestamp: when the Sync left
  if ((r & 1) === 0) send(announce, times[4 * r + 1]!, r, 0, r >> 1);
  send(delayReq, times[4 * r + 2]!, r, 2_000_000, r);
  send(delayResp, times[4 * r + 3]!, r, 2_000_000, r); // receiveTimestamp: when the Delay_Req arrived
}

for (let r = 0; r < WARM_ROUNDS; r++) round(r); // warm up (JIT)
gc();
let collections = 0;
let counting = true;
const obs = new PerformanceObserver((list) => {
  if (counting) collections += list.getEntries().length;
});
obs.observe({ entryTypes: ['gc'] });
const before = index;
const heapBefore = process.memoryUsage().heapUsed;
for (let r = WARM_ROUNDS; r < WARM_ROUNDS + ROUNDS; r++) round(r);
const heapAfter = process.memoryUsage().heapUsed;
const packets = index - before;
const anomalies = detection?.finish().anomalies ?? [];
setTimeout(() => {
  counting = false;
  obs.disconnect();
  process.stdout.write(
    JSON.stringify({
      packets,
      perRound: PER_ROUND,
      collections,
      heapGrowthBytes: heapAfter - heapBefore,
      occurrences: ctx.occurrences.length,
      types: [...new Set(ctx.occurrences.map((o) => o.type))],
      exchangesPaired: driver.ctx.ptpExchange() !== undefined,
      // replay: the findings of the file's detection, as type and packet count
      anomalies: anomalies.map((a) => ({ type: a.type, packets: a.packet_count })),
    }) + '\n',
  );
}, 50);
