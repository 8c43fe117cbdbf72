import { FaultSpecError } from '../fault-spec.js';

/**
 * The UE-side faults `l1t synth ue` injects (anomalies.md §UE side names) and their `--faults` SPEC, the
 * fronthaul generator's syntax: `TYPE@SECONDS[:key=value,…]`, e.g. `bler_high@3:duration=2;rach_failure@5`.
 * Keys: `duration` (s) for the sustained faults, `step` (TA units) for timing_advance_jump, `nacks` for a
 * harq_failure NACK burst instead of a TB that reaches max retransmissions.
 *
 * `beam_failure` happens on the UE's NR (EN-DC) leg: the serving beam fades, the MAC declares beam failure
 * and recovers on another SSB by random access (0xB889 trigger with reason beam failure, 0xB88A attempt,
 * 0xB975 beam reports before and after).
 */
export const UE_FAULT_TYPES = [
  'rsrp_low',
  'rsrp_drop',
  'sinr_drop',
  'rx_imbalance',
  'bler_high',
  'harq_failure',
  'out_of_sync',
  'radio_link_failure',
  'rach_failure',
  'ul_power_limited',
  'timing_advance_jump',
  'beam_failure',
] as const;
export type UeFaultType = (typeof UE_FAULT_TYPES)[number];

export interface UeFaultSpec {
  type: UeFaultType;
  /** Seconds from the log start. */
  at: number;
  params?: Record<string, number>;
}

/** Parses a UE `--faults` SPEC; throws {@link FaultSpecError} naming the offending fragment. */
export function parseUeFaultSpec(spec: string): UeFaultSpec[] {
  const out: UeFaultSpec[] = [];
  for (const raw of spec.split(';')) {
    const fragment = raw.trim();
    if (fragment === '') continue;
    const m = /^([a-z_]+)@(\d+(?:\.\d*)?|\.\d+)(?:s)?(?::(.*))?$/.exec(fragment);
    if (!m) throw new FaultSpecError('expected TYPE@SECONDS[:key=value,…]', fragment);
    const type = m[1]!;
    if (!(UE_FAULT_TYPES as readonly string[]).includes(type))
      throw new FaultSpecError(`unknown UE fault type "${type}" (known: ${UE_FAULT_TYPES.join(', ')})`, fragment);
    const f: UeFaultSpec = { type: type as UeFaultType, at: Number(m[2]) };
    for (const kv of (m[3] ?? '').split(',')) {
      if (kv.trim() === '') continue;
      const [k, v] = kv.split('=').map((x) => x.trim());
      const n = Number(v);
      if (!k || v === undefined || v === '' || !Number.isFinite(n))
        throw new FaultSpecError(`option "${kv}" is not key=number`, fragment);
      f.params = { ...f.params, [k]: n };
    }
    out.push(f);
  }
  return out;
}
