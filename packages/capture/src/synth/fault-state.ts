import type { FronthaulConfig } from './fronthaul-config.js';
import type { FaultSpec, FaultType } from './fault-spec.js';
import { formatFaultSpec } from './fault-spec.js';
import type { Ev } from './synth-events.js';
import { EvKind, LabelRef } from './synth-events.js';

/** What the fault injector needs from the generator. */
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

/** `source` of a label: timing faults; everything else is fronthaul. */
export const SOURCE: Partial<Record<FaultType, 'timing'>> = {
  ptp_sync_gap: 'timing',
  ptp_announce_timeout: 'timing',
  ptp_gm_change: 'timing',
  ptp_clock_degraded: 'timing',
  ptp_time_error: 'timing',
  ptp_competing_masters: 'timing',
  ptp_malformed: 'timing',
  ptp_message_rate: 'timing',
  ptp_stale_timestamp: 'timing',
  ecpri_delay_budget: 'timing',
};

export const PTP_TYPES = new Set<FaultType>([
  'ptp_sync_gap',
  'ptp_announce_timeout',
  'ptp_gm_change',
  'ptp_clock_degraded',
  'ptp_time_error',
  'ptp_competing_masters',
  'ptp_malformed',
  'ptp_message_rate',
  'ptp_stale_timestamp',
]);

const DEFAULT_PLANE: Partial<Record<FaultType, number>> = {
  oran_malformed: EvKind.C,
  uplane_without_cplane: EvKind.U,
  cplane_without_uplane: EvKind.C,
  compression_mismatch: EvKind.C,
};

/** One fault of the spec, resolved against the configuration, with its progress. */
export class ActiveFault {
  startNs: number;
  atPacket: number;
  done = false;
  remaining: number;
  label: LabelRef | null = null;
  dir: number;
  ei: number;
  /** O-RU index. */
  ru: number;
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
    this.ru = spec.flow?.ru ?? 0;
    if (this.ru >= Math.max(1, cfg.rus.length)) throw new RangeError(`fault ${type}: ru=${this.ru} is not configured`);
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

  /** The fault's label, created on first use. */
  labelFor(params: Record<string, string | number> = {}, also?: FaultType[]): LabelRef {
    if (this.label) return this.label;
    this.label = new LabelRef({
      type: this.type,
      source: SOURCE[this.type] ?? 'fronthaul',
      packet_index: 0,
      timestamp: '',
      packet_count: 0,
      flow: {},
      params: { ...params },
      spec: formatFaultSpec([this.spec]),
      ...(also ? { also } : {}),
    });
    return this.label;
  }

  /** Applies fronthaul faults to one slot's packets (in creation order); may append packets to `evs`. */
}

/** Packets of the fault's flow (its O-RU, eAxC and direction) of one plane, in creation order. */
export function targets(f: ActiveFault, evs: Ev[], kind: number): Ev[] {
  const out: Ev[] = [];
  for (const e of evs) if (e.kind === kind && e.dir === f.dir && e.ei === f.ei && e.ru === f.ru) out.push(e);
  return out;
}
