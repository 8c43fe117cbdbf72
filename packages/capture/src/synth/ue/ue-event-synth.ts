import { formatUtcNs } from '../../diag/diag-time.js';
import { FaultSpecError } from '../fault-spec.js';
import { Prng } from '../prng.js';

/**
 * A synthetic UE event text log (README §UE event logs) for `l1t synth ue --out FILE.txt`: `ues` UEs
 * attach in the first minute, open and release RRC connections now and then, and half of them detach
 * normally near the end — no fault, so a clean log gives no finding. The UE identities and line wordings
 * vary the way real tools write them (IMSI=, UE_ID=, SUPI=imsi-, 5G registration wording). Faults (`TYPE@SECONDS[:ue=N]`):
 *
 * - `attach_failure`: the UE's attach request is rejected (cause #7), a retry 5 s later succeeds;
 * - `abnormal_detach`: the UE detaches abnormally (radio link lost) — it re-attaches 10 s later;
 * - `attach_storm`: the UE attaches 12 more times, every 20 s (also a `ue_behaviour_outlier`);
 * - `ue_behaviour_outlier`: the UE's RRC connection requests are rejected 8 times, every 10 s (no other
 *   detector looks at RRC setup failures, only the comparison of UEs does).
 */
export const UE_EVENT_FAULT_TYPES = [
  'attach_failure',
  'abnormal_detach',
  'attach_storm',
  'ue_behaviour_outlier',
] as const;
export type UeEventFaultType = (typeof UE_EVENT_FAULT_TYPES)[number];

export interface UeEventFaultSpec {
  type: UeEventFaultType;
  at: number;
  /** UE number (0-based); default: a UE picked by the seed. */
  ue?: number;
}

export interface UeEventLabel {
  type: UeEventFaultType;
  source: 'ue';
  /** 1-based line number. */
  packet_index: number;
  timestamp: string;
  packet_count: number;
  flow: Record<string, string | number>;
  ue: string;
  params: Record<string, number>;
  spec: string;
  also?: string[];
}

export interface UeEventSynthResult {
  text: string;
  labels: UeEventLabel[];
  stats: { lines: number; ues: number };
}

export function parseUeEventFaultSpec(spec: string): UeEventFaultSpec[] {
  const out: UeEventFaultSpec[] = [];
  for (const raw of spec.split(';')) {
    const fragment = raw.trim();
    if (fragment === '') continue;
    const m = /^([a-z_]+)@(\d+(?:\.\d*)?)s?(?::ue=(\d+))?$/.exec(fragment);
    if (!m) throw new FaultSpecError('expected TYPE@SECONDS[:ue=N]', fragment);
    if (!(UE_EVENT_FAULT_TYPES as readonly string[]).includes(m[1]!))
      throw new FaultSpecError(
        `unknown UE event fault type "${m[1]}" (known: ${UE_EVENT_FAULT_TYPES.join(', ')})`,
        fragment,
      );
    out.push({ type: m[1] as UeEventFaultType, at: Number(m[2]), ...(m[3] ? { ue: Number(m[3]) } : {}) });
  }
  return out;
}

interface Line {
  ms: number;
  text: string;
  label?: { f: UeEventFaultSpec; ue: string; also?: string[] };
}

const DEFAULT_START_MS = 1_768_471_200_000; // 2026-01-15T10:00:00Z

export function synthUeEvents(
  config: { durationS: number; ues?: number },
  faults: readonly UeEventFaultSpec[],
  seed: number,
): UeEventSynthResult {
  const n = config.ues ?? 40;
  const durMs = Math.round(config.durationS * 1000);
  const rng = new Prng(seed);
  const lines: Line[] = [];
  const ids = Array.from({ length: n }, (_, i) => `00101${String(1_000_000_000 + i * 7919 + seed).slice(-10)}`);
  const who = (i: number): string =>
    i % 3 === 0 ? `IMSI=${ids[i]}` : i % 3 === 1 ? `UE_ID=${i + 1}` : `SUPI=imsi-${ids[i]}`;
  const ueKey = (i: number): string => (i % 3 === 1 ? `ue:${i + 1}` : `imsi:${ids[i]}`);
  const nr = (i: number): boolean => i % 3 === 2; // 5G wording: registration
  const say = (ms: number, level: string, i: number, what: string, label?: Line['label']): void => {
    lines.push({ ms, text: `${level.padEnd(5)} ${who(i)} ${what}`, ...(label ? { label } : {}) });
  };
  const attach = (ms: number, i: number, label?: Line['label']): void => {
    say(ms, 'INFO', i, nr(i) ? 'Registration request' : 'ATTACH REQUEST', label);
    say(ms + 180 + rng.int(200), 'INFO', i, nr(i) ? 'Registration accept' : 'ATTACH ACCEPT');
  };
  for (const f of faults)
    if (!(f.at >= 0 && f.at * 1000 < durMs - 1000) || (f.ue !== undefined && f.ue >= n))
      throw new RangeError(`${f.type}@${f.at}: outside the log (${config.durationS} s, ${n} UEs)`);

  // every UE: attach in the first minute, 2–6 RRC connections, half detach normally near the end
  for (let i = 0; i < n; i++) {
    const t0 = rng.int(60_000);
    attach(t0, i);
    const cycles = 2 + rng.int(5);
    for (let c = 0; c < cycles; c++) {
      const t = t0 + 5_000 + rng.int(Math.max(1, durMs - t0 - 70_000));
      say(t, 'INFO', i, 'RRC CONNECTION SETUP COMPLETE');
      say(t + 2_000 + rng.int(8_000), 'INFO', i, 'RRC CONNECTION RELEASE');
    }
    if (rng.float() < 0.5)
      say(
        durMs - 30_000 + rng.int(25_000),
        'INFO',
        i,
        nr(i) ? 'Deregistration request (UE originating)' : 'DETACH REQUEST (switch off)',
      );
  }

  const used = new Set<number>();
  for (const f of faults) {
    let i = f.ue ?? rng.int(n);
    while (f.ue === undefined && used.has(i) && used.size < n) i = (i + 1) % n;
    used.add(i);
    const T = Math.round(f.at * 1000);
    const label = (also?: string[]): Line['label'] => ({ f, ue: ueKey(i), ...(also ? { also } : {}) });
    if (f.type === 'attach_failure') {
      say(T, 'INFO', i, nr(i) ? 'Registration request' : 'ATTACH REQUEST');
      say(
        T + 250,
        'WARN',
        i,
        `${nr(i) ? 'Registration reject' : 'ATTACH REJECT'} cause=#7 (EPS services not allowed)`,
        label(),
      );
      attach(T + 5_000, i);
    } else if (f.type === 'abnormal_detach') {
      say(T, 'ERROR', i, 'ABNORMAL DETACH cause=radio link lost', label());
      attach(T + 10_000, i);
    } else if (f.type === 'attach_storm') {
      for (let k = 0; k < 12; k++) attach(T + k * 20_000, i, k === 0 ? label(['ue_behaviour_outlier']) : undefined);
    } else {
      for (let k = 0; k < 8; k++)
        say(T + k * 10_000, 'WARN', i, 'RRC CONNECTION REJECT wait=10s', k === 0 ? label() : undefined);
    }
  }

  lines.sort((a, b) => a.ms - b.ms);
  const labels: UeEventLabel[] = [];
  const out: string[] = ['# l1t synth ue: UE event log (README §UE event logs)'];
  for (const l of lines) {
    const ns = BigInt(DEFAULT_START_MS + l.ms) * 1_000_000n;
    const ts = formatUtcNs(ns);
    out.push(`${ts.slice(0, 23)}Z ${l.text}`);
    if (l.label) {
      labels.push({
        type: l.label.f.type,
        source: 'ue',
        packet_index: out.length,
        timestamp: ts,
        packet_count: 1,
        flow: {},
        ue: l.label.ue,
        params: {},
        spec: `${l.label.f.type}@${l.label.f.at}`,
        ...(l.label.also ? { also: l.label.also } : {}),
      });
    }
  }
  return { text: `${out.join('\n')}\n`, labels, stats: { lines: out.length, ues: n } };
}
