/**
 * Faults the fronthaul generator can inject (names from reference/anomalies.md) and the `--faults` SPEC
 * syntax of `l1t synth`:
 *
 *   SPEC  := FAULT (';' FAULT)*
 *   FAULT := TYPE '@' AT [':' KEY '=' VALUE (',' KEY '=' VALUE)*]
 *   AT    := seconds from the capture start ("1.5", "1.5s", "250ms", "800us")
 *          | '#' N or 'p' N: the 1-based frame number from which the fault may start
 *
 * Keys `eaxc`, `plane` (c|u|s), `dir`/`direction` (dl|ul), `ru` (O-RU index) select the flow, `count` the number of
 * occurrences; anything else goes to `params` (numbers when numeric), e.g.
 * `seq_gap@1.5:eaxc=1,count=3;rx_window_late@2.0;iq_zero@3.0:slots=20`.
 */

/** Every fault type the generator injects (anomalies.md names). */
export const FRONTHAUL_FAULT_TYPES = [
  'ecpri_malformed',
  'oran_malformed',
  'seq_gap',
  'seq_duplicate',
  'seq_reorder',
  'rx_window_late',
  'rx_window_early',
  'uplane_without_cplane',
  'cplane_without_uplane',
  'prb_out_of_range',
  'compression_mismatch',
  'iq_saturation',
  'iq_zero',
  'iq_power_drop',
  'traffic_gap',
  'ul_symbol_burst_slow',
  'ptp_sync_gap',
  'ptp_announce_timeout',
  'ptp_gm_change',
  'ptp_clock_degraded',
  'ptp_time_error',
  'ptp_competing_masters',
  'ptp_malformed',
  'ptp_message_rate',
  'ptp_stale_timestamp',
  'ecpri_delay_budget',
] as const;

export type FaultType = (typeof FRONTHAUL_FAULT_TYPES)[number];

export interface FaultFlowSelector {
  /** eAxC id (the 16-bit ecpriPcid value). Default: the first configured eAxC of the direction. */
  eaxc?: number;
  plane?: 'c' | 'u';
  direction?: 'dl' | 'ul';
  /** O-RU index (FronthaulConfig.rus) when several radios share the capture point. Default 0. */
  ru?: number;
}

export interface FaultSpec {
  type: FaultType;
  /** Seconds from the capture start, or `{ packet }`: the fault starts at or after that frame number. */
  at: number | { packet: number };
  /** Occurrences (packets, exchanges, missing ids…); meaning per type, see fault-injection docs. */
  count?: number;
  flow?: FaultFlowSelector;
  params?: Record<string, number | string>;
}

/** A bad `--faults` SPEC; the message names the offending fragment. */
export class FaultSpecError extends Error {
  constructor(
    message: string,
    readonly fragment: string,
  ) {
    super(`${message} in fault "${fragment}"`);
    this.name = 'FaultSpecError';
  }
}

function parseAt(text: string, fragment: string): FaultSpec['at'] {
  const t = text.trim();
  const packet = /^(?:#|p)(\d+)$/i.exec(t);
  if (packet) {
    const n = Number(packet[1]);
    if (n < 1) throw new FaultSpecError('packet index is 1-based', fragment);
    return { packet: n };
  }
  const m = /^(\d+(?:\.\d*)?|\.\d+)(s|ms|us|\u00b5s)?$/.exec(t); // \u00b5: µ, escaped to keep the CLI bundle ASCII (bundle.mjs)
  if (!m) throw new FaultSpecError(`bad time "${t}"`, fragment);
  const v = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 's' ? v : unit === 'ms' ? v / 1e3 : v / 1e6;
}

/** Parses a `--faults` SPEC string. Throws `FaultSpecError` naming the offending fragment. */
export function parseFaultSpec(spec: string): FaultSpec[] {
  const out: FaultSpec[] = [];
  for (const raw of spec.split(';')) {
    const fragment = raw.trim();
    if (fragment === '') continue;
    const at = fragment.indexOf('@');
    if (at < 0) throw new FaultSpecError('missing "@time"', fragment);
    const type = fragment.slice(0, at).trim();
    if (!(FRONTHAUL_FAULT_TYPES as readonly string[]).includes(type)) {
      throw new FaultSpecError(`unknown fault type "${type}" (known: ${FRONTHAUL_FAULT_TYPES.join(', ')})`, fragment);
    }
    const rest = fragment.slice(at + 1);
    const colon = rest.indexOf(':');
    const fault: FaultSpec = {
      type: type as FaultType,
      at: parseAt(colon < 0 ? rest : rest.slice(0, colon), fragment),
    };
    if (colon >= 0) {
      for (const kv of rest.slice(colon + 1).split(',')) {
        if (kv.trim() === '') continue;
        const eq = kv.indexOf('=');
        if (eq < 0) throw new FaultSpecError(`option "${kv}" is not key=value`, fragment);
        const key = kv.slice(0, eq).trim();
        const value = kv.slice(eq + 1).trim();
        const num = value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
        if (key === 'eaxc') {
          if (num === undefined || !Number.isInteger(num) || num < 0 || num > 0xffff)
            throw new FaultSpecError(`bad eaxc "${value}"`, fragment);
          fault.flow = { ...fault.flow, eaxc: num };
        } else if (key === 'plane') {
          if (value !== 'c' && value !== 'u') throw new FaultSpecError(`plane must be c or u`, fragment);
          fault.flow = { ...fault.flow, plane: value };
        } else if (key === 'dir' || key === 'direction') {
          if (value !== 'dl' && value !== 'ul') throw new FaultSpecError(`direction must be dl or ul`, fragment);
          fault.flow = { ...fault.flow, direction: value };
        } else if (key === 'ru') {
          if (num === undefined || !Number.isInteger(num) || num < 0 || num > 63)
            throw new FaultSpecError(`ru must be an O-RU index 0..63`, fragment);
          fault.flow = { ...fault.flow, ru: num };
        } else if (key === 'count') {
          if (num === undefined || !Number.isInteger(num) || num < 1)
            throw new FaultSpecError(`count must be a positive integer`, fragment);
          fault.count = num;
        } else {
          fault.params = { ...fault.params, [key]: num ?? value };
        }
      }
    }
    out.push(fault);
  }
  return out;
}

/** Inverse of `parseFaultSpec` (for labels and logs). */
export function formatFaultSpec(faults: readonly FaultSpec[]): string {
  return faults
    .map((f) => {
      const at = typeof f.at === 'number' ? String(f.at) : `#${f.at.packet}`;
      const opts: string[] = [];
      if (f.flow?.eaxc !== undefined) opts.push(`eaxc=${f.flow.eaxc}`);
      if (f.flow?.plane) opts.push(`plane=${f.flow.plane}`);
      if (f.flow?.direction) opts.push(`dir=${f.flow.direction}`);
      if (f.flow?.ru !== undefined) opts.push(`ru=${f.flow.ru}`);
      if (f.count !== undefined) opts.push(`count=${f.count}`);
      for (const [k, v] of Object.entries(f.params ?? {})) opts.push(`${k}=${v}`);
      return `${f.type}@${at}${opts.length ? `:${opts.join(',')}` : ''}`;
    })
    .join(';');
}
