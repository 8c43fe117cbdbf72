import type { FaultSpec } from './fault-spec.js';
import type { FaultHost } from './fault-state.js';
import { ActiveFault, PTP_TYPES } from './fault-state.js';
import { applySlotFault } from './slot-faults.js';
import type { Ev } from './synth-events.js';
import { EvFlag, Malform, type LabelRef } from './synth-events.js';
import { PtpType } from './ptp-frames.js';
import { isReservedClockClass } from '../ptp/ptp-clock-class.js';

/** ptp_malformed kinds: which message of the master carries which defect. */
const MALFORM_KINDS: Readonly<Record<string, { msgType: number; mal: number }>> = {
  ns: { msgType: PtpType.FOLLOW_UP, mal: Malform.PTP_NANOSECONDS },
  length: { msgType: PtpType.SYNC, mal: Malform.PTP_LENGTH },
  clock_class: { msgType: PtpType.ANNOUNCE, mal: Malform.PTP_CLOCK_CLASS },
  tlv: { msgType: PtpType.ANNOUNCE, mal: Malform.PTP_TLV_OVERRUN },
};

/** A ptp_malformed fault's kind and class, checked before any packet is written (a usage error, located). */
function checkMalformed(f: ActiveFault): void {
  const kind = f.str('kind', 'ns');
  if (MALFORM_KINDS[kind] === undefined)
    throw new RangeError(`ptp_malformed: kind must be ${Object.keys(MALFORM_KINDS).join(', ')} (got '${kind}')`);
  const cls = f.num('class', 1);
  if (kind === 'clock_class' && !(Number.isInteger(cls) && isReservedClockClass(cls)))
    throw new RangeError(`ptp_malformed: class ${cls} is not a clockClass reserved by IEEE 1588-2019 Table 4`);
}

export type { FaultHost } from './fault-state.js';

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
 * - ptp_competing_masters [duration_ms: until the end]: a second master port announces another grandmaster
 *   with the same quality (it loses the identity tie-break: no grandmaster change); labelled at its second
 *   Announce, where it qualifies (IEEE 1588-2019 §9.3.2.4.5).
 * - ptp_malformed [kind=ns: a Follow_Up's nanoseconds + 10^9; kind=length: a Sync's messageLength 256;
 *   kind=clock_class: an Announce with clockClass `class` (default 1, reserved by IEEE 1588-2019 Table 4);
 *   kind=tlv: an Announce with a PATH_TRACE TLV whose lengthField (32) runs past the message end (§14.1); count 1].
 * - ptp_message_rate [factor 4, duration_ms 1000]: the master sends Syncs `factor` × faster than its
 *   logMessageInterval says; labelled at the first faster Sync.
 * - ptp_stale_timestamp [age_ms 100, count 1]: a Follow_Up's preciseOriginTimestamp is `age_ms` old (in
 *   absolute timing mode the exchange that uses it shows a time error too: `also`).
 * - ecpri_delay_budget [delay_us 500, count 1]: eCPRI one-way delay measurement beyond the budget.
 *
 * Fronthaul faults touch one flow of one O-RU: `ru=N` (default 0) picks the radio when several share the
 * capture point and its eAxC ids (FronthaulConfig.rus); the label's flow names it by MACs and VLAN. With
 * concatenation (`concat` > 1) the label's `message_index` says which message of the frame is affected.
 *
 * `at` is the capture-relative time of the first affected slot's air time (fronthaul) or message
 * (timing). A label's `also` lists anomaly types a correct detector may report as a consequence; a gap
 * that never closes is labelled at the capture's last packet with `params.until_end`.
 */
export class FaultInjector {
  private readonly slotFaults: ActiveFault[] = [];
  private readonly timedFaults: ActiveFault[] = [];
  private readonly packetFaults: ActiveFault[] = [];
  /** ptp_competing_masters: [start, end) of the rival master port's Announces, ns (Infinity: none). */
  get rivalWindow(): readonly [number, number] {
    for (const f of this.timedFaults)
      if (f.type === 'ptp_competing_masters' && f.startNs < Infinity) {
        const dur = f.num('duration_ms', 0);
        return [f.startNs, dur > 0 ? f.startNs + dur * 1e6 : Infinity];
      }
    return [Infinity, Infinity];
  }

  /** ptp_message_rate: how many times faster than announced the master sends Syncs at `tNs`. */
  syncRateFactor(tNs: number): number {
    for (const f of this.timedFaults)
      if (f.type === 'ptp_message_rate' && f.startNs <= tNs && tNs < f.startNs + f.num('duration_ms', 1000) * 1e6)
        return Math.max(1, f.num('factor', 4));
    return 1;
  }

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
      if (spec.type === 'ptp_malformed') checkMalformed(f);
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

  /** How far (µs) beyond its window an early fault moves a packet: the generator's look-ahead grows by it. */
  get maxEarlyOffsetUs(): number {
    let m = 0;
    for (const f of this.slotFaults) if (f.type === 'rx_window_early') m = Math.max(m, f.num('offset_us', 50));
    return m;
  }

  /** Labels of gaps still open (no packet after them yet): at the end, gaps that run past the capture. */
  openGaps(): LabelRef[] {
    const out: LabelRef[] = [];
    for (const f of [...this.slotFaults, ...this.timedFaults])
      if (f.label && !f.label.resolved && f.label.dropFlow >= 0) out.push(f.label);
    return out;
  }

  /** Faults with no labelled packet (yet): after the end, those the capture was too short to carry. */
  unapplied(): FaultSpec[] {
    return [...this.slotFaults, ...this.timedFaults].filter((f) => !f.label?.resolved).map((f) => f.spec);
  }

  /** Applies fronthaul faults to one slot's packets (in creation order); may append packets to `evs`. */
  applySlot(slotStartNs: number, evs: Ev[]): void {
    for (const f of this.slotFaults) {
      if (f.done || f.startNs > slotStartNs) continue;
      applySlotFault(f, evs, this.host);
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
          ev.label = f.labelFor({ gap_ms: gap / 1e6, missing: Math.round(gap / interval) });
          if (ev.msgType !== PtpType.FOLLOW_UP && ev.t + interval >= f.startNs + gap) ev.flags |= EvFlag.GAP_END;
          break;
        }
        case 'ptp_gm_change': {
          if (ev.msgType !== PtpType.ANNOUNCE) break;
          const hex = f.str('gm', '029c00fffe0000a2').replace(/[^0-9a-f]/gi, '');
          const gm = Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2) || '0', 16));
          this.gmOverride = gm;
          ev.gm = gm;
          ev.label = f.labelFor({ new_gm: hex.toLowerCase() });
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
          ev.label = f.labelFor({ from_class: 6, to_class: cls });
          f.done = true;
          break;
        }
        case 'ptp_time_error': {
          if (ev.msgType !== PtpType.FOLLOW_UP && ev.msgType !== PtpType.DELAY_RESP) break;
          const n = f.spec.count ?? 16;
          const st = f.labelFor({ offset_ns: f.num('offset_ns', 1500), exchanges: n });
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
        case 'ptp_competing_masters': {
          if (!ev.rival) break;
          const st = f.labelFor({ rival_port: 'announce', deciding_step: 'grandmasterIdentity' });
          // §9.3.2.4.5: the second Announce qualifies the rival
          if (++st.fu === 2) {
            ev.label = st;
            f.done = true;
          }
          break;
        }
        case 'ptp_malformed': {
          const kind = f.str('kind', 'ns');
          const m = MALFORM_KINDS[kind]!; // checked when the fault was made (malformSpec)
          // the rival port's Announces are another fault's; the master's own messages carry this one
          if (ev.msgType !== m.msgType || ev.rival) break;
          ev.mal = m.mal;
          if (m.mal === Malform.PTP_CLOCK_CLASS) ev.clockClass = f.num('class', 1);
          ev.label = f.labelFor(m.mal === Malform.PTP_CLOCK_CLASS ? { kind, class: ev.clockClass } : { kind });
          if (--f.remaining <= 0) f.done = true;
          break;
        }
        case 'ptp_message_rate': {
          if (ev.msgType !== PtpType.SYNC) break;
          ev.label = f.labelFor({ factor: Math.max(1, f.num('factor', 4)), duration_ms: f.num('duration_ms', 1000) });
          f.done = true;
          break;
        }
        case 'ptp_stale_timestamp': {
          if (ev.msgType !== PtpType.FOLLOW_UP) break;
          ev.originBackNs = f.num('age_ms', 100) * 1e6;
          ev.label = f.labelFor({ age_ms: f.num('age_ms', 100) }, ['ptp_time_error']);
          if (--f.remaining <= 0) f.done = true;
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
      const ref = f.labelFor({ delay_us: delayUs, budget_us: this.host.cfg.ecpriDelay.budgetUs });
      if (--f.remaining <= 0) f.done = true;
      return { delayNs: delayUs * 1000, label: ref };
    }
    return { delayNs: nominalNs, label: null };
  }
}
