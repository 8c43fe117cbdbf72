import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../../framework/detector.js';
import { isoNs } from '../../time-format.js';
import { isPtp, PtpPortTable, type PtpPort } from '../ptp-ports.js';
import { timeErrorMetricRows } from './time-error-metric-rows.js';
import { timeErrorReport } from './time-error-report.js';
import { captureMicroseconds } from '../capture-seconds.js';
import { ChunkedDoubles, IntegerDeltas } from './sample-lists.js';

/**
 * Time-error metrics of a capture (issue #15 point 3): per slave port and master port, the two-way time error
 * of every complete exchange (the one pairing, {@link PtpExchangeTracker}: t1..t4, correctionFields, one- and
 * two-step, TAI→UTC by currentUtcOffset), its mean path delay, the Sync forward delays for PDV and floor
 * packets, and the Sync and Announce arrival intervals of the master; at the end of the file the ITU-T G.8260
 * metrics and G.8271.1 / G.8273.2 verdicts ({@link timeErrorReport}) as metric rows (basis `capture`).
 *
 * Capture-based: t2 and t3 are the capture's timestamps, so the capture clock's error is in every value.
 * In `timing.mode: absolute` (a PTP/GPS-disciplined capture clock) the whole time error is reported; in
 * `relative` — and without a timing mode — only its variable part (the mean is removed: max|TE| becomes the
 * largest deviation, cTE 0, and only the dTE verdicts are given); `off` computes nothing.
 *
 * Memory: at most {@link MAX_SAMPLES} exchanges and arrivals are kept per port, in the compact exact lists of
 * sample-lists.ts — a capture time 4 bytes (µs since the one before), a time error, path delay or forward
 * delay 8, an exchange's three packet numbers 12 — beyond, the port's series stops (a warning says so for
 * the exchanges; the Sync/Announce arrival lists stop silently at the same count, as they always have).
 */
const MAX_SAMPLES = 1 << 20;

/** Times kept as whole capture microseconds (read back in s: µs / 10^6, {@link toS}'s very doubles). */
class Times extends IntegerDeltas {
  /** False (nothing kept) once {@link MAX_SAMPLES} times are held. */
  pushUs(us: number): boolean {
    if (this.length >= MAX_SAMPLES) return false;
    this.push(us);
    return true;
  }
}

class Series {
  readonly tUs = new Times();
  readonly v = new ChunkedDoubles();
  full = false;
  push(us: number, v: number): boolean {
    if (!this.tUs.pushUs(us)) return ((this.full = true), false);
    this.v.push(v);
    return true;
  }
}

class MasterArrivals {
  readonly sync = new Times();
  readonly announce = new Times();
}

class PortPair {
  readonly te = new Series();
  readonly delay = new ChunkedDoubles();
  /** Frames (1-based packet indexes) of each exchange: Sync, Delay_Req, Delay_Resp. */
  readonly syncFrames = new IntegerDeltas();
  readonly delayReqFrames = new IntegerDeltas();
  readonly delayRespFrames = new IntegerDeltas();
  readonly forward = new Series();
  /** currentUtcOffset (s) the master announced at the last exchange. */
  utcOffsetS = 0;
  constructor(
    readonly slaveId: string,
    readonly masterId: string,
    readonly domain: number,
    readonly arrivals: MasterArrivals,
  ) {}
}

/**
 * Capture time in s, to the µs (the whole µs from the split the PTP detectors share): the lists keep the µs
 * and divide by 10^6 when read ({@link US_PER_S}), giving the same doubles.
 */
const US_PER_S = 1e6;

class CaptureTimeErrorDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  /** Sync and Announce arrivals, and the exchanges a Delay_Resp completes (ptp-exchanges.ts). */
  readonly ptpMessageTypes: readonly number[] = [
    PtpMessageType.SYNC,
    PtpMessageType.ANNOUNCE,
    PtpMessageType.DELAY_RESP,
  ];
  private readonly masters = new PtpPortTable(() => new MasterArrivals());
  private readonly pairs = new Map<PtpPort<unknown>, Map<PtpPort<unknown>, PortPair>>();

  constructor(private readonly relative: boolean) {}

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p)) return;
    const type = p.ptp.messageType;
    if (type === PtpMessageType.SYNC || type === PtpMessageType.ANNOUNCE) {
      const a = this.masters.sender(p)?.state;
      if (a !== undefined) (type === PtpMessageType.SYNC ? a.sync : a.announce).pushUs(captureMicroseconds(p.tsNs));
    }
    const x = ctx.ptpExchange(); // paired once by the driver (ptp-exchanges.ts)
    if (x === undefined) return;
    let bySlave = this.pairs.get(x.slave);
    if (!bySlave) this.pairs.set(x.slave, (bySlave = new Map()));
    let pair = bySlave.get(x.master);
    if (!pair) {
      const arrivals = this.masters.find(x.master.clockHi, x.master.clockLo, x.master.port, x.master.domain, p)!.state;
      bySlave.set(x.master, (pair = new PortPair(x.slave.id, x.master.id, x.domain, arrivals)));
    }
    if (pair.te.push(captureMicroseconds(x.t3TsNs), x.offsetNs)) {
      pair.delay.push(x.meanPathDelayNs);
      pair.syncFrames.push(x.syncIndex);
      pair.delayReqFrames.push(x.delayReqIndex);
      pair.delayRespFrames.push(x.delayRespIndex);
    }
    pair.forward.push(captureMicroseconds(x.t2TsNs), x.forwardDelayNs);
    pair.utcOffsetS = x.utcOffsetS;
  }

  finish(ctx: DetectContext): void {
    const multiMaster = new Set<string>();
    for (const bySlave of this.pairs.values())
      if (bySlave.size > 1) for (const p of bySlave.values()) multiMaster.add(p.slaveId);
    for (const bySlave of this.pairs.values()) {
      for (const pair of bySlave.values()) {
        if (pair.te.full)
          ctx.warn?.(`time-error metrics of PTP port ${pair.slaveId}: only the first ${MAX_SAMPLES} exchanges kept`);
        const teV = pair.te.v.toArray();
        const te = this.relative ? withoutMean(teV) : teV;
        const teS = pair.te.tUs.toArray(US_PER_S);
        const r = timeErrorReport({
          port: multiMaster.has(pair.slaveId) ? `${pair.slaveId} ← ${pair.masterId}` : pair.slaveId,
          domain: pair.domain,
          basis: 'capture',
          tS: teS,
          teNs: te,
          pathDelayNs: pair.delay.toArray(),
          syncDelay: { tS: pair.forward.tUs.toArray(US_PER_S), delayNs: pair.forward.v.toArray() },
          syncArrivalsS: pair.arrivals.sync.inOrder(US_PER_S),
          announceArrivalsS: pair.arrivals.announce.inOrder(US_PER_S),
        });
        if (!r) continue;
        if (this.relative) {
          // The mean is the capture clock's unknown offset: what rests on it is not judged.
          r.verdicts = r.verdicts.filter((v) => v.criterion === 'dte_l_mtie' || v.criterion === 'dte_l_tdev');
          r.g8273Class = null;
        }
        // A mean time error of currentUtcOffset is the capture clock on TAI (PHC time), not the master.
        const onTai = !this.relative && pair.utcOffsetS !== 0 && Math.abs(r.meanTeNs - pair.utcOffsetS * 1e9) < 1e6;
        const labels = {
          master: pair.masterId,
          ...(this.relative ? { timing_mode: 'relative' } : {}),
          ...(onTai ? { capture_clock_tai_s: String(pair.utcOffsetS) } : {}),
        };
        for (const m of timeErrorMetricRows(r, labels)) ctx.metric(m);
        const w = worstIndex(te);
        ctx.metric({
          timestamp: isoNs(BigInt(Math.round(teS[w]! * 1e6)) * 1000n),
          source: 'timing',
          name: 'ptp_te_worst_exchange',
          labels: {
            ptp_port: r.port,
            domain: String(r.domain),
            basis: 'capture',
            ...labels,
            sync_frame: String(pair.syncFrames.at(w)),
            delay_req_frame: String(pair.delayReqFrames.at(w)),
            delay_resp_frame: String(pair.delayRespFrames.at(w)),
          },
          value: te[w]!,
        });
      }
    }
  }
}

/** The exchange of the largest |TE| (the first of equals). */
function worstIndex(v: ArrayLike<number>): number {
  let w = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[w]!)) w = i;
  return w;
}

function withoutMean(v: Float64Array): Float64Array {
  const m = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  return v.map((x) => x - m);
}

class Disabled implements Detector {
  finish(): void {}
}

export const captureTimeErrorMetricsDetector: DetectorDefinition = {
  name: 'ptp-time-error-metrics',
  types: [],
  thresholds: {},
  reference:
    'ITU-T G.8260 Appendix I (MTIE, TDEV, FPP), G.8271.1 (1.1 µs at reference point C), G.8273.2 §7.1 (classes A–D); IEEE 1588-2019 §11.3',
  // No timing.mode: the capture clock is not known to be disciplined, so only the variable part (relative).
  create: ({ profile }) => {
    const mode = profile?.timing?.mode;
    return mode === 'off' ? new Disabled() : new CaptureTimeErrorDetector(mode !== 'absolute');
  },
};
