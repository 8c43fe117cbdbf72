import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';
import { captureSeconds, splitSubsecondNs } from './capture-seconds.js';

/**
 * Two-way exchanges of the delay request-response mechanism (IEEE 1588-2019 §11.3) as a capture sees them,
 * per master port and slave port — the one pairing shared by `ptp_time_error` and the time-error metrics:
 *
 *   t1  Sync originTimestamp (one-step) or Follow_Up preciseOriginTimestamp (two-step)   — master
 *   t2  capture time of the Sync                                                          — here
 *   t3  capture time of the Delay_Req                                                      — here
 *   t4  Delay_Resp receiveTimestamp                                                        — master
 *
 *   offset = ((t2 − t1 − c_sync) − (t4 − t3 − c_resp)) / 2,   meanPathDelay = (… + …) / 2
 *
 * with c_sync the Sync (+ Follow_Up) correctionFields and c_resp the Delay_Resp correctionField (§11.3.2).
 * A Delay_Resp is matched to its Delay_Req by requestingPortIdentity and sequenceId (§11.3.2 c); the Sync
 * is the master port's latest complete one received before the Delay_Req, at most {@link MAX_SYNC_AGE_S}
 * earlier. PTP timestamps are TAI when the master's Announce sets ptpTimescale; the capture clock is UTC,
 * so t1 and t4 are moved to UTC by the Announce's currentUtcOffset. A master whose timescale is arbitrary
 * (ptpTimescale 0), or whose Announce has not been seen yet, gives no exchange.
 *
 * Allocation: only PTP event messages split the bigint capture time into seconds and nanoseconds; the
 * returned {@link PtpExchange} is one object, reused — copy what you keep.
 */

/** An exchange is only formed from a Sync at most this far before the Delay_Req. */
export const MAX_SYNC_AGE_S = 2;

class SyncSample {
  seq = -1;
  t1Sec = 0;
  t1Ns = 0;
  t2Sec = 0;
  t2Ns = 0;
  t2TsNs = 0n;
  correctionNs = 0;
  syncIndex = 0;
  /** Packet carrying t1 (the Follow_Up for two-step, else the Sync) and its capture time. */
  t1Index = 0;
  t1TsNs = 0n;
  complete = false;
}

export class ExchangeMasterState {
  announced = false;
  ptpTimescale = false;
  utcOffset = 0;
  /**
   * Sync waiting for its Follow_Up. Once complete it becomes {@link latest}, and the sample that was
   * {@link previous} is reused as the next pending one (completeSync): three objects turn, no copy per Sync.
   */
  pending = new SyncSample();
  /** Last two complete Syncs (latest first). */
  latest = new SyncSample();
  previous = new SyncSample();
}

const REQ_RING = 8;

class DelayReq {
  seq = -1;
  t3Sec = 0;
  t3Ns = 0;
  index = 0;
  tsNs = 0n;
}

export class ExchangeSlaveState {
  readonly reqs: DelayReq[] = Array.from({ length: REQ_RING }, () => new DelayReq());
  next = 0;
}

/** One complete exchange (reused by the tracker: valid until its next call). */
export class PtpExchange {
  master!: PtpPort<ExchangeMasterState>;
  slave!: PtpPort<ExchangeSlaveState>;
  domain = 0;
  /** Offset of the capture clock from the master, ns (t1, t4 moved to UTC). */
  offsetNs = 0;
  meanPathDelayNs = 0;
  /** t2 − t1 − c_sync (UTC), ns: the master-to-capture delay of the Sync, for PDV. */
  forwardDelayNs = 0;
  /** t4 − t3 − c_resp (UTC), ns. */
  backwardDelayNs = 0;
  /** Capture seconds of t3 (the Delay_Req), for per-second grouping. */
  t3Sec = 0;
  t1Index = 0;
  t1TsNs = 0n;
  t2TsNs = 0n;
  t3TsNs = 0n;
  syncIndex = 0;
  delayReqIndex = 0;
  delayRespIndex = 0;
  respTsNs = 0n;
  syncSeq = 0;
  delaySeq = 0;
  syncCorrectionNs = 0;
  respCorrectionNs = 0;
  utcOffsetS = 0;
}

export class PtpExchangeTracker {
  readonly masters = new PtpPortTable(() => new ExchangeMasterState());
  readonly slaves = new PtpPortTable(() => new ExchangeSlaveState());
  private readonly out = new PtpExchange();

  /** Feeds one packet (cheap on non-PTP); returns the exchange a Delay_Resp completes, else undefined. */
  onPacket(p: DecodedPacket): PtpExchange | undefined {
    if (!isPtp(p)) return undefined;
    const m = p.ptp;
    // A body timestamp with nanoseconds ≥ 10^9 is malformed (§5.3.3; ptp_malformed): it times nothing.
    if (m.timestampNs >= 1_000_000_000) return undefined;
    switch (m.messageType) {
      case PtpMessageType.ANNOUNCE: {
        const port = this.masters.sender(p);
        if (port === undefined || m.clockClass < 0) return undefined;
        port.state.announced = true;
        port.state.ptpTimescale = m.ptpTimescale;
        port.state.utcOffset = m.currentUtcOffset;
        return undefined;
      }
      case PtpMessageType.SYNC: {
        const port = this.masters.sender(p);
        if (port === undefined || m.timestampSec < 0) return undefined;
        const s = port.state.pending;
        s.seq = m.sequenceId;
        s.t2Sec = captureSeconds(p.tsNs);
        s.t2Ns = splitSubsecondNs();
        s.t2TsNs = p.tsNs;
        s.correctionNs = m.correctionNs;
        s.syncIndex = p.index;
        s.complete = false;
        if (!m.twoStep) {
          s.t1Sec = m.timestampSec;
          s.t1Ns = m.timestampNs;
          s.t1Index = p.index;
          s.t1TsNs = p.tsNs;
          completeSync(port.state);
        }
        return undefined;
      }
      case PtpMessageType.FOLLOW_UP: {
        const port = this.masters.sender(p);
        if (port === undefined || m.timestampSec < 0) return undefined;
        const s = port.state.pending;
        if (s.seq !== m.sequenceId || s.complete) return undefined;
        s.t1Sec = m.timestampSec;
        s.t1Ns = m.timestampNs;
        s.correctionNs += m.correctionNs;
        s.t1Index = p.index;
        s.t1TsNs = p.tsNs;
        completeSync(port.state);
        return undefined;
      }
      case PtpMessageType.DELAY_REQ: {
        const port = this.slaves.sender(p);
        if (port === undefined) return undefined;
        const st = port.state;
        const r = st.reqs[st.next]!;
        st.next = (st.next + 1) % REQ_RING;
        r.seq = m.sequenceId;
        r.t3Sec = captureSeconds(p.tsNs);
        r.t3Ns = splitSubsecondNs();
        r.index = p.index;
        r.tsNs = p.tsNs;
        return undefined;
      }
      case PtpMessageType.DELAY_RESP: {
        if (m.timestampSec < 0 || m.requestingPort < 0) return undefined;
        const slave = this.slaves.find(
          m.requestingClockIdentityHi,
          m.requestingClockIdentityLo,
          m.requestingPort,
          m.domainNumber,
          undefined,
        );
        const master = this.masters.sender(p);
        if (slave === undefined || master === undefined) return undefined;
        let req: DelayReq | undefined;
        for (const r of slave.state.reqs) if (r.seq === m.sequenceId) req = r;
        if (req === undefined) return undefined;
        req.seq = -1; // one response per request
        return this.exchange(p, master, slave, req);
      }
      default:
        return undefined;
    }
  }

  private exchange(
    p: DecodedPacket,
    master: PtpPort<ExchangeMasterState>,
    slave: PtpPort<ExchangeSlaveState>,
    req: DelayReq,
  ): PtpExchange | undefined {
    const ms = master.state;
    if (!ms.announced || !ms.ptpTimescale) return undefined;
    const sync = usable(ms.latest, req) ? ms.latest : usable(ms.previous, req) ? ms.previous : undefined;
    if (sync === undefined) return undefined;
    const m = p.ptp;
    const off = ms.utcOffset;
    // t1, t4 (TAI) → UTC; differences in ns in doubles (magnitudes stay far below 2^53).
    const t21 = (sync.t2Sec - (sync.t1Sec - off)) * 1e9 + (sync.t2Ns - sync.t1Ns) - sync.correctionNs;
    const t43 = (m.timestampSec - off - req.t3Sec) * 1e9 + (m.timestampNs - req.t3Ns) - m.correctionNs;
    const x = this.out;
    x.master = master;
    x.slave = slave;
    x.domain = master.domain;
    x.offsetNs = (t21 - t43) / 2;
    x.meanPathDelayNs = (t21 + t43) / 2;
    x.forwardDelayNs = t21;
    x.backwardDelayNs = t43;
    x.t3Sec = req.t3Sec;
    x.t1Index = sync.t1Index;
    x.t1TsNs = sync.t1TsNs;
    x.t2TsNs = sync.t2TsNs;
    x.t3TsNs = req.tsNs;
    x.syncIndex = sync.syncIndex;
    x.delayReqIndex = req.index;
    x.delayRespIndex = p.index;
    x.respTsNs = p.tsNs;
    x.syncSeq = sync.seq;
    x.delaySeq = m.sequenceId;
    x.syncCorrectionNs = sync.correctionNs;
    x.respCorrectionNs = m.correctionNs;
    x.utcOffsetS = off;
    return x;
  }
}

/**
 * The pending Sync is complete: it becomes the latest, the latest the previous, and the old previous the next
 * pending sample — the same values as copying pending → latest → previous (two copies of 11 fields per Sync
 * before, ~1 % of the analysis of PTP-only traffic; issue 14). The recycled sample keeps its old values
 * until the next Sync writes it, as the pending one kept its own after completion before: it is complete
 * or never was (seq −1), so a Follow_Up before that Sync completes nothing, then as now.
 */
function completeSync(ms: ExchangeMasterState): void {
  const done = ms.pending;
  done.complete = true;
  ms.pending = ms.previous;
  ms.previous = ms.latest;
  ms.latest = done;
}

/** A complete Sync received before the Delay_Req, at most MAX_SYNC_AGE_S earlier. */
function usable(s: SyncSample, req: DelayReq): boolean {
  if (!s.complete) return false;
  const ageS = req.t3Sec - s.t2Sec + (req.t3Ns - s.t2Ns) / 1e9;
  return ageS >= 0 && ageS <= MAX_SYNC_AGE_S;
}
