import type { FronthaulConfig } from './fronthaul-config.js';
import type { FaultSpec, FaultType } from './fault-spec.js';
import { formatFaultSpec } from './fault-spec.js';
import type { Ev } from './synth-events.js';
import { EvFlag, EvKind, LabelRef, Malform } from './synth-events.js';
import { PtpType } from './ptp-frames.js';

/**
 * Turns `FaultSpec`s into modifications of the generator's packets, slot by slot (fronthaul faults) or
 * message by message (PTP and eCPRI delay measurement), and creates the ground-truth labels.
 *
 * Per type (defaults in brackets; `count` is the number of occurrences):
 * - ecpri_malformed [U-plane DL, kind=size]: payload size beyond the frame (kind revision|reserved|concat).
 * - oran_malformed [C-plane DL, kind=cplane_fragment: E = 0]; on U-plane kind=section_overrun (numPrbu
 *   claims more PRBs than present) or payload_version (≠ 1).
 * - seq_gap [U-plane DL, count=1 missing ids, mode=skip]: the sender skips ids; mode=drop loses packets.
 * - seq_duplicate: a packet is sent twice with the same ecpriSeqid; the copy is labelled.
 * - seq_reorder: two consecutive packets of a flow arrive swapped; the one arriving behind is labelled.
 * - rx_window_late / rx_window_early [U-plane DL]: packet shifted offset_us [late 30, early 50] beyond the
 *   reception window bound.
 * - uplane_without_cplane [DL, count slots]: the slot's C-plane message is not sent.
 * - cplane_without_uplane [DL, count slots]: the slot's U-plane packets are not sent.
 * - prb_out_of_range [U-plane DL]: section startPrb = NRB − overflow [8], numPrb = 2·overflow.
 * - compression_mismatch [DL: C-plane udCompHdr ≠ 0; dir=ul: UL C-plane announces another IQ width].
 * - iq_saturation [slots 1, ratio 0.1], iq_zero [slots 20], iq_power_drop [slots 40, db 20] on U-plane DL.
 * - traffic_gap [DL, slots 10]: both planes of the eAxC × direction silent (plane=c|u: one plane).
 * - ul_symbol_burst_slow [symbol 0, spread_us 150 capped inside ul_uplane]: one UL symbol's packets spread.
 * - ptp_sync_gap [gap_ms 500], ptp_announce_timeout [gap_ms 1000]: messages not sent.
 * - ptp_gm_change [gm=clock id hex]: Announce carries a new grandmasterIdentity from then on.
 * - ptp_clock_degraded [class 7, duration_ms: until the end]: Announce clockClass worsens.
 * - ptp_time_error [offset_ns 1500, count 16 exchanges]: master timestamps make the slave offset wrong.
 * - ecpri_delay_budget [delay_us 500, count 1]: eCPRI one-way delay measurement beyond the budget.
 */

export interface FaultHost {
  readonly cfg: FronthaulConfig;
  acquire(): Ev;
  /** Nominal advance (C-plane, DL U-plane) or delay (UL U-plane), ns, per plane/direction. */
  nominalNs(kind: number, dir: number): number;
  /** Window [min, max] µs of a plane/direction. */
  window(kind: number, dir: number): readonly [number, number];
  /** Full-carrier template for a special IQ condition. */
  specialTemplate(kind: 'zero' | 'saturated' | 'low', dir: number, param: number): Uint8Array;
  readonly syncIntervalNs: number;
  readonly announceIntervalNs: number;
}

const SOURCE: Partial<Record<FaultType, 'timing'>> = {
  ptp_sync_gap: 'timing',
  ptp_announce_timeout: 'timing',
  ptp_gm_change: 'timing',
  ptp_clock_degraded: 'timing',
  ptp_time_error: 'timing',
  ecpri_delay_budget: 'timing',
};

const PTP_TYPES = new Set<FaultType>([
  'ptp_sync_gap',
  'ptp_announce_timeout',
  'ptp_gm_change',
  'ptp_clock_degraded',
  'ptp_time_error',
]);

const DEFAULT_PLANE: Partial<Record<FaultType, number>> = {
  oran_malformed: EvKind.C,
  uplane_without_cplane: EvKind.U,
  cplane_without_uplane: EvKind.C,
  compression_mismatch: EvKind.C,
};

class ActiveFault {
  startNs: number;
  atPacket: number;
  done = false;
  remaining: number;
  label: LabelRef | null = null;
  dir: number;
  ei: number;
  plane: number;
  planeExplicit: boolean;
  /** seq_reorder on C-plane: the next message takes the held sequence id. */
  lagNext = false;
  constructor(
    readonly spec: FaultSpec,
    readonly type: FaultType,
    cfg: FronthaulConfig,
  ) {
    this.startNs = typeof spec.at === 'number' ? spec.at * 1e9 : Infinity;
    this.atPacket = typeof spec.at === 'number' ? 0 : spec.at.packet;
    const wantDir = spec.flow?.direction ?? (type === 'ul_symbol_burst_slow' ? 'ul' : cfg.eaxc.dl.length ? 'dl' : 'ul');
    this.dir = wantDir === 'dl' ? 0 : 1;
    const list = this.dir === 0 ? cfg.eaxc.dl : cfg.eaxc.ul;
    const id = spec.flow?.eaxc ?? list[0];
    this.ei = id === undefined ? -1 : list.indexOf(id);
    if (this.ei < 0 && !PTP_TYPES.has(type) && type !== 'ecpri_delay_budget') {
      throw new RangeError(`fault ${type}: eAxC ${String(id)} is not configured for ${wantDir.toUpperCase()}`);
    }
    this.planeExplicit = spec.flow?.plane !== undefined;
    this.plane =
      spec.flow?.plane === 'c' ? EvKind.C : spec.flow?.plane === 'u' ? EvKind.U : (DEFAULT_PLANE[type] ?? EvKind.U);
    this.remaining = spec.count ?? 1;
  }

  num(key: string, dflt: number): number {
    const v = this.spec.params?.[key];
    return typeof v === 'number' ? v : dflt;
  }

  str(key: string, dflt: string): string {
    const v = this.spec.params?.[key];
    return v === undefined ? dflt : String(v);
  }
}

export class FaultInjector {
  private readonly slotFaults: ActiveFault[] = [];
  private readonly timedFaults: ActiveFault[] = [];
  private readonly packetFaults: ActiveFault[] = [];
  /** Current grandmaster identity override and clock class (PTP faults). */
  gmOverride: Uint8Array | null = null;
  clockClass = 6;
  private classRestoreNs = Infinity;

  constructor(
    private readonly host: FaultHost,
    faults: readonly FaultSpec[],
  ) {
    for (const spec of faults) {
      const f = new ActiveFault(spec, spec.type, host.cfg);
      if (f.atPacket > 0) this.packetFaults.push(f);
      if (PTP_TYPES.has(spec.type) || spec.type === 'ecpri_delay_budget') this.timedFaults.push(f);
      else this.slotFaults.push(f);
    }
  }

  get hasOwdFault(): boolean {
    return this.timedFaults.some((f) => f.type === 'ecpri_delay_budget');
  }

  /** Packet-index triggers: a fault `at: { packet }` starts once that frame has been written. */
  onPacket(packetNo: number, tNs: number): void {
    for (let i = this.packetFaults.length - 1; i >= 0; i--) {
      const f = this.packetFaults[i];
      if (f && packetNo >= f.atPacket) {
        f.startNs = tNs;
        this.packetFaults.splice(i, 1);
      }
    }
  }

  get pendingPacketTriggers(): number {
    return this.packetFaults.length;
  }

  private labelFor(f: ActiveFault, params: Record<string, string | number> = {}, also?: FaultType[]): LabelRef {
    if (f.label) return f.label;
    f.label = new LabelRef({
      type: f.type,
      source: SOURCE[f.type] ?? 'fronthaul',
      packet_index: 0,
      timestamp: '',
      packet_count: 0,
      flow: {},
      params: { ...params },
      spec: formatFaultSpec([f.spec]),
      ...(also ? { also } : {}),
    });
    return f.label;
  }

  /** Applies fronthaul faults to one slot's packets (in creation order); may append packets to `evs`. */
  applySlot(slotStartNs: number, evs: Ev[]): void {
    for (const f of this.slotFaults) {
      if (f.done || f.startNs > slotStartNs) continue;
      this.applyOne(f, evs);
    }
  }

  private targets(f: ActiveFault, evs: Ev[], kind: number): Ev[] {
    const out: Ev[] = [];
    for (const e of evs) if (e.kind === kind && e.dir === f.dir && e.ei === f.ei) out.push(e);
    return out;
  }

  private applyOne(f: ActiveFault, evs: Ev[]): void {
    const host = this.host;
    const nrb = host.cfg.nrb;
    switch (f.type) {
      case 'seq_gap': {
        const ts = this.targets(f, evs, f.plane);
        const missing = f.spec.count ?? 1;
        if (f.str('mode', 'skip') === 'drop') {
          const ref = this.labelFor(f, { missing, mode: 'drop' });
          for (const t of ts) {
            if (f.remaining <= 0) break;
            t.flags |= EvFlag.DROP | EvFlag.SEQ_CONSUME;
            if (--f.remaining === 0) {
              t.flags |= EvFlag.GAP_END;
              t.label = ref;
              f.done = true;
            }
          }
        } else {
          const t = ts[0];
          if (!t) return;
          t.flags |= EvFlag.SEQ_SKIP;
          t.seqArg = missing;
          t.label = this.labelFor(f, { missing, mode: 'skip' });
          f.done = true;
        }
        return;
      }
      case 'seq_duplicate': {
        const ref = this.labelFor(f);
        for (const t of this.targets(f, evs, f.plane)) {
          if (f.remaining <= 0) break;
          const c = host.acquire().copyFrom(t);
          c.t = t.t + 100;
          c.flags |= EvFlag.SEQ_REUSE;
          c.label = ref;
          evs.push(c);
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      case 'seq_reorder': {
        const ref = this.labelFor(f);
        const ts = this.targets(f, evs, f.plane);
        if (f.plane === EvKind.C) {
          // one C-plane message per slot: moving one behind the next slot's would also make it late, so
          // the sender's numbering is swapped instead (seq s+1 is seen before s)
          const t = ts[0];
          if (!t) return;
          if (!f.lagNext) {
            t.flags |= EvFlag.REORDER_LEAD;
            f.lagNext = true;
          } else {
            t.flags |= EvFlag.REORDER_LAG;
            t.label = ref;
            f.lagNext = false;
            if (--f.remaining === 0) f.done = true;
          }
          return;
        }
        for (let i = 0; i + 1 < ts.length && f.remaining > 0; i += 4) {
          const a = ts[i];
          const b = ts[i + 1];
          if (!a || !b) break;
          a.t = b.t + 100;
          b.flags |= EvFlag.REORDER_LEAD;
          a.flags |= EvFlag.REORDER_LAG;
          a.label = ref;
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      case 'rx_window_late':
      case 'rx_window_early': {
        const late = f.type === 'rx_window_late';
        const m = f.num('offset_us', late ? 30 : 50) * 1000;
        const [lo, hi] = host.window(f.plane, f.dir);
        const nominal = host.nominalNs(f.plane, f.dir);
        const delayType = f.plane === EvKind.U && f.dir === 1;
        // advance windows: seen between hi and lo µs before air time; the UL U-plane window is a delay
        const shift = delayType
          ? (late ? hi * 1000 + m : lo * 1000 - m) - nominal
          : nominal - (late ? lo * 1000 - m : hi * 1000 + m);
        const ref = this.labelFor(f, { offset_us: m / 1000, window_us: `${lo}..${hi}` });
        for (const t of this.targets(f, evs, f.plane)) {
          if (f.remaining <= 0) break;
          t.t += shift;
          t.label = ref;
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      case 'uplane_without_cplane':
      case 'cplane_without_uplane': {
        const missingC = f.type === 'uplane_without_cplane';
        const ref = this.labelFor(f);
        for (const t of this.targets(f, evs, EvKind.C)) {
          if (missingC) t.flags |= EvFlag.DROP;
          else t.label = ref;
        }
        for (const t of this.targets(f, evs, EvKind.U)) {
          if (missingC) t.label = ref;
          else t.flags |= EvFlag.DROP;
        }
        if (--f.remaining <= 0) f.done = true;
        return;
      }
      case 'prb_out_of_range': {
        const ov = Math.max(1, Math.min(127, f.num('overflow', 8)));
        const ref = this.labelFor(f, { start_prb: nrb - ov, num_prb: 2 * ov, nrb }, ['uplane_without_cplane']);
        for (const t of this.targets(f, evs, f.plane)) {
          if (f.remaining <= 0) break;
          t.startPrb = nrb - ov;
          t.numPrb = 2 * ov;
          t.srcPrb = 0;
          t.label = ref;
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      case 'compression_mismatch': {
        const { method, iqWidth } = host.cfg.comp;
        let hdr: number;
        if (f.dir === 0) hdr = ((iqWidth & 0xf) << 4) | (method === 'bfp' ? 1 : 0) || 0x91;
        else hdr = method === 'bfp' ? ((iqWidth === 14 ? 12 : 14) << 4) | 1 : 0x91;
        const ref = this.labelFor(f, { udCompHdr: `0x${hdr.toString(16).padStart(2, '0')}` });
        for (const t of this.targets(f, evs, EvKind.C)) {
          t.udCompHdr = hdr;
          t.label = ref;
        }
        if (--f.remaining <= 0) f.done = true;
        return;
      }
      case 'iq_saturation':
      case 'iq_zero':
      case 'iq_power_drop': {
        const slots = f.num('slots', f.spec.count ?? (f.type === 'iq_saturation' ? 1 : f.type === 'iq_zero' ? 20 : 40));
        if (f.label === null) f.remaining = slots;
        const kind = f.type === 'iq_zero' ? 'zero' : f.type === 'iq_saturation' ? 'saturated' : 'low';
        const param =
          f.type === 'iq_saturation' ? f.num('ratio', 0.1) : f.type === 'iq_power_drop' ? f.num('db', 20) : 0;
        const ref = this.labelFor(
          f,
          f.type === 'iq_zero'
            ? { slots }
            : f.type === 'iq_saturation'
              ? { slots, ratio: param }
              : { slots, db: param },
          f.type === 'iq_zero' ? ['iq_power_drop'] : undefined,
        );
        for (const t of this.targets(f, evs, EvKind.U)) {
          t.tmpl = host.specialTemplate(kind, f.dir, param);
          t.label = ref;
        }
        if (--f.remaining <= 0) f.done = true;
        return;
      }
      case 'traffic_gap': {
        const slots = f.num('slots', f.spec.count ?? 10);
        if (f.label === null) f.remaining = slots;
        const ref = this.labelFor(f, { slots });
        const planes = f.planeExplicit ? [f.plane] : [EvKind.C, EvKind.U];
        if (!f.planeExplicit) ref.omit = ['plane'];
        else if (f.plane === EvKind.U) ref.out.also = ['cplane_without_uplane'];
        else ref.out.also = ['uplane_without_cplane'];
        const last = --f.remaining <= 0;
        for (const p of planes) {
          const ts = this.targets(f, evs, p);
          let latest: Ev | undefined;
          for (const t of ts) {
            t.flags |= EvFlag.DROP;
            if (!latest || t.t >= latest.t) latest = t;
          }
          if (last && latest) {
            latest.flags |= EvFlag.GAP_END;
            latest.label = ref;
          }
        }
        if (last) f.done = true;
        return;
      }
      case 'ul_symbol_burst_slow': {
        const symbol = f.num('symbol', 0);
        const ts = evs
          .filter((e) => e.kind === EvKind.U && e.dir === 1 && e.symbolId === symbol)
          .sort((a, b) => a.t - b.t);
        const first = ts[0];
        if (!first || ts.length < 2) return;
        const [, hi] = host.window(EvKind.U, 1);
        const room = hi * 1000 - (first.t - first.air) - 10_000;
        const spread = Math.max(0, Math.min(f.num('spread_us', 150) * 1000, room));
        const ref = this.labelFor(f, { spread_us: Math.round(spread) / 1000, packets: ts.length });
        ts.forEach((t, i) => {
          t.t = first.t + (spread * i) / (ts.length - 1);
          t.label = ref;
        });
        if (--f.remaining <= 0) f.done = true;
        return;
      }
      case 'ecpri_malformed':
      case 'oran_malformed': {
        const kind = f.str(
          'kind',
          f.type === 'ecpri_malformed' ? 'size' : f.plane === EvKind.C ? 'cplane_fragment' : 'section_overrun',
        );
        const mal = MALFORM_KIND[kind];
        if (mal === undefined) throw new RangeError(`${f.type}: unknown kind "${kind}"`);
        const ref = this.labelFor(f, { kind });
        for (const t of this.targets(f, evs, f.plane)) {
          if (f.remaining <= 0) break;
          t.mal = mal;
          t.label = ref;
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      default:
        return;
    }
  }

  /** PTP faults on one PTP message (in time order). Sets DROP flags, labels and time error. */
  applyPtp(ev: Ev): void {
    if (this.classRestoreNs <= ev.t) {
      this.clockClass = 6;
      this.classRestoreNs = Infinity;
    }
    for (const f of this.timedFaults) {
      if (f.done || f.startNs > ev.t) continue;
      switch (f.type) {
        case 'ptp_sync_gap':
        case 'ptp_announce_timeout': {
          const sync = f.type === 'ptp_sync_gap';
          const interval = sync ? this.host.syncIntervalNs : this.host.announceIntervalNs;
          const gap = f.num('gap_ms', sync ? 500 : 1000) * 1e6;
          const mine = sync
            ? ev.msgType === PtpType.SYNC || ev.msgType === PtpType.FOLLOW_UP
            : ev.msgType === PtpType.ANNOUNCE;
          if (!mine) break;
          if (ev.t >= f.startNs + gap) {
            f.done = true;
            break;
          }
          ev.flags |= EvFlag.DROP;
          const ref = this.labelFor(f, { gap_ms: gap / 1e6, missing: Math.round(gap / interval) });
          if (ev.msgType !== PtpType.FOLLOW_UP && ev.t + interval >= f.startNs + gap) {
            ev.flags |= EvFlag.GAP_END;
            ev.label = ref;
          }
          break;
        }
        case 'ptp_gm_change': {
          if (ev.msgType !== PtpType.ANNOUNCE) break;
          const hex = f.str('gm', '6cadadfffe0000a2').replace(/[^0-9a-f]/gi, '');
          const gm = Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2) || '0', 16));
          this.gmOverride = gm;
          ev.gm = gm;
          ev.label = this.labelFor(f, { new_gm: hex.toLowerCase() });
          f.done = true;
          break;
        }
        case 'ptp_clock_degraded': {
          if (ev.msgType !== PtpType.ANNOUNCE) break;
          const cls = f.num('class', 7);
          this.clockClass = cls;
          ev.clockClass = cls;
          const dur = f.num('duration_ms', 0);
          if (dur > 0) this.classRestoreNs = ev.t + dur * 1e6;
          ev.label = this.labelFor(f, { from_class: 6, to_class: cls });
          f.done = true;
          break;
        }
        case 'ptp_time_error': {
          if (ev.msgType !== PtpType.FOLLOW_UP && ev.msgType !== PtpType.DELAY_RESP) break;
          const n = f.spec.count ?? 16;
          const st = this.labelFor(f, { offset_ns: f.num('offset_ns', 1500), exchanges: n });
          if (ev.msgType === PtpType.FOLLOW_UP) {
            if (st.fu >= n) break;
            st.fu++;
          } else {
            if (st.fu === 0 || st.dr >= n) break; // start with a Follow_Up so that exchanges are complete
            st.dr++;
          }
          ev.correction = f.num('offset_ns', 1500);
          ev.label = st;
          if (st.fu >= n && st.dr >= n) f.done = true;
          break;
        }
        default:
          break;
      }
    }
  }

  /** eCPRI one-way delay: the delay (ns) of the measurement starting at `tNs`, and its label. */
  owdDelay(tNs: number, nominalNs: number): { delayNs: number; label: LabelRef | null } {
    for (const f of this.timedFaults) {
      if (f.type !== 'ecpri_delay_budget' || f.done || f.startNs > tNs) continue;
      const delayUs = f.num('delay_us', Math.max(500, this.host.cfg.ecpriDelay.budgetUs * 3));
      const ref = this.labelFor(f, { delay_us: delayUs, budget_us: this.host.cfg.ecpriDelay.budgetUs });
      if (--f.remaining <= 0) f.done = true;
      return { delayNs: delayUs * 1000, label: ref };
    }
    return { delayNs: nominalNs, label: null };
  }
}

const MALFORM_KIND: Record<string, number> = {
  size: Malform.ECPRI_SIZE,
  revision: Malform.ECPRI_REVISION,
  reserved: Malform.ECPRI_RESERVED,
  concat: Malform.ECPRI_CONCAT,
  cplane_fragment: Malform.CPLANE_FRAGMENT,
  section_overrun: Malform.SECTION_OVERRUN,
  payload_version: Malform.PAYLOAD_VERSION,
};
