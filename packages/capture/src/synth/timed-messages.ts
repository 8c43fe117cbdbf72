import type { FaultInjector } from './fault-injection.js';
import type { FlowTable } from './flow-table.js';
import type { FronthaulConfig } from './fronthaul-config.js';
import type { Prng } from './prng.js';
import { PtpType } from './ptp-frames.js';
import { TAI_UTC_OFFSET_S } from './radio-time.js';
import type { Ev } from './synth-events.js';
import { EvKind } from './synth-events.js';
import type { SecNs } from './timestamp.js';
import { addOffset } from './timestamp.js';

export const SYNC_INTERVAL_NS = 62_500_000; // 16/s (G.8275.1 logSyncInterval −4)
export const ANNOUNCE_INTERVAL_NS = 125_000_000; // 8/s (logAnnounceInterval −3)
export const DELAY_REQ_INTERVAL_NS = 62_500_000;

/**
 * The timing messages of the capture, independent of the slot grid: two-step PTP (Sync + Follow_Up from
 * the master, Delay_Req from the DU, Delay_Resp, Announce) and eCPRI one-way delay measurements
 * (request DU → RU, response RU → DU). The capture point is the DU port: Sync arrives there at its capture
 * time t2 = t1 + path delay; Delay_Req leaves at t3 and reaches the master at t4 = t3 + path delay.
 * PTP timestamps are TAI (UTC + 37 s, Announce ptpTimescale set, currentUtcOffset 37).
 */
export class TimedMessages {
  private nextSync: number;
  private nextDelayReq: number;
  private nextAnnounce: number;
  private nextOwd: number;
  private nextRival = Infinity;
  private rivalSeq = 0;
  private syncSeq: number;
  private delaySeq: number;
  private announceSeq: number;
  private owdSeq = 0;
  private readonly owdRate: number;
  private readonly tmp: SecNs = { sec: 0, nsec: 0 };

  constructor(
    private readonly cfg: FronthaulConfig,
    private readonly prng: Prng,
    private readonly table: FlowTable,
    private readonly faults: FaultInjector,
    private readonly base: SecNs,
    private readonly durationNs: number,
    private readonly acquire: () => Ev,
    private readonly sink: (ev: Ev) => void,
  ) {
    this.owdRate = cfg.ecpriDelay.ratePerS > 0 ? cfg.ecpriDelay.ratePerS : faults.hasOwdFault ? 10 : 0;
    this.nextSync = cfg.ptp ? 3_125_000 + prng.int(1_000_000) : Infinity;
    this.nextDelayReq = this.nextSync + 15_600_000;
    this.nextAnnounce = cfg.ptp ? 7_000_000 + prng.int(1_000_000) : Infinity;
    this.nextOwd = this.owdRate > 0 ? 11_000_000 + prng.int(1_000_000) : Infinity;
    this.syncSeq = prng.int(65536);
    this.delaySeq = prng.int(65536);
    this.announceSeq = prng.int(65536);
  }

  /** Creates the messages with capture time < min(limit, end of capture) and hands them to the sink. */
  generate(limit: number): void {
    const end = Math.min(limit, this.durationNs);
    const pd = this.cfg.ptpPathDelayNs;
    while (this.nextSync < end) {
      const t = this.nextSync;
      const sync = this.ptpEv(PtpType.SYNC, t, this.table.ptpFlow[0] ?? 0, this.syncSeq);
      const fu = this.ptpEv(
        PtpType.FOLLOW_UP,
        t + 9_000 + this.prng.int(2_000),
        this.table.ptpFlow[0] ?? 0,
        this.syncSeq,
      );
      this.faults.applyPtp(sync);
      this.faults.applyPtp(fu);
      // t1 = departure from the master = arrival at the capture point − path delay (− injected error;
      // − the age of a stale origin timestamp)
      this.ptpTime(t - pd - fu.correction - fu.originBackNs, fu);
      sync.tsSec = fu.tsSec;
      sync.tsNsec = fu.tsNsec - (fu.tsNsec % 1000);
      this.sink(sync);
      this.sink(fu);
      this.syncSeq = (this.syncSeq + 1) & 0xffff;
      // ptp_message_rate: Syncs faster than logSyncInterval −4 announces
      this.nextSync += SYNC_INTERVAL_NS / this.faults.syncRateFactor(t);
    }
    while (this.nextDelayReq < end) {
      const t = this.nextDelayReq;
      const req = this.ptpEv(PtpType.DELAY_REQ, t, this.table.ptpFlow[1] ?? 0, this.delaySeq);
      const resp = this.ptpEv(
        PtpType.DELAY_RESP,
        t + 2 * pd + 20_000 + this.prng.int(5_000),
        this.table.ptpFlow[2] ?? 0,
        this.delaySeq,
      );
      this.faults.applyPtp(req);
      this.faults.applyPtp(resp);
      this.ptpTime(t, req);
      req.tsNsec -= req.tsNsec % 1000;
      // t4 = arrival at the master = departure from the capture point + path delay (− injected error)
      this.ptpTime(t + pd - resp.correction, resp);
      this.sink(req);
      this.sink(resp);
      this.delaySeq = (this.delaySeq + 1) & 0xffff;
      this.nextDelayReq += DELAY_REQ_INTERVAL_NS;
    }
    while (this.nextAnnounce < end) {
      const t = this.nextAnnounce;
      const ev = this.ptpEv(PtpType.ANNOUNCE, t, this.table.ptpFlow[3] ?? 0, this.announceSeq);
      ev.clockClass = this.faults.clockClass;
      ev.gm = this.faults.gmOverride ?? this.table.stations.gmClock;
      this.faults.applyPtp(ev);
      this.ptpTime(t, ev);
      ev.tsNsec -= ev.tsNsec % 1000;
      this.sink(ev);
      this.announceSeq = (this.announceSeq + 1) & 0xffff;
      this.nextAnnounce += ANNOUNCE_INTERVAL_NS;
    }
    // ptp_competing_masters: a second master port's Announces (its own flow, another grandmaster)
    const [rivalFrom, rivalTo] = this.faults.rivalWindow;
    if (this.nextRival === Infinity && rivalFrom < Infinity && this.rivalSeq === 0) {
      this.nextRival = rivalFrom;
      this.rivalSeq = 1;
    }
    while (this.nextRival < end && this.nextRival < rivalTo) {
      const t = this.nextRival;
      const ev = this.ptpEv(PtpType.ANNOUNCE, t, this.table.ptpFlow[4] ?? 0, this.rivalSeq & 0xffff);
      ev.rival = true;
      this.faults.applyPtp(ev);
      this.ptpTime(t, ev);
      ev.tsNsec -= ev.tsNsec % 1000;
      this.sink(ev);
      this.rivalSeq++;
      this.nextRival += ANNOUNCE_INTERVAL_NS;
    }
    while (this.nextOwd < end) {
      const t = this.nextOwd;
      const nominal = this.cfg.ecpriDelay.delayUs * 1000 + (this.prng.float() - 0.5) * 400;
      const { delayNs, label } = this.faults.owdDelay(t, nominal);
      for (const action of [0, 2]) {
        const ev = this.acquire();
        ev.kind = EvKind.OWD;
        ev.flow = this.table.owdFlow;
        ev.msgType = action;
        ev.seq = this.owdSeq;
        // request: t1 at departure; response: t2 = t1 + one-way delay, seen back at the capture point
        ev.t = action === 0 ? t : t + 2 * delayNs + 5_000;
        this.ptpTime(action === 0 ? t : t + delayNs, ev);
        if (action === 2 && label) ev.label = label;
        this.sink(ev);
      }
      this.owdSeq = (this.owdSeq + 1) & 0xff;
      this.nextOwd += 1e9 / this.owdRate;
    }
  }

  private ptpEv(type: number, t: number, flow: number, seq: number): Ev {
    const ev = this.acquire();
    ev.kind = EvKind.PTP;
    ev.msgType = type;
    ev.t = t;
    ev.flow = flow;
    ev.seq = seq;
    return ev;
  }

  /** Body timestamp (TAI) of capture-relative time `t`. */
  private ptpTime(t: number, ev: Ev): void {
    addOffset(this.base, Math.round(t), this.tmp);
    ev.tsSec = this.tmp.sec + TAI_UTC_OFFSET_S;
    ev.tsNsec = this.tmp.nsec;
  }
}
