/**
 * One labelled synthetic capture analysed in memory (bench:detect): the generator streams into
 * `analyzeFile` (decode + every registered detector, no store) with the profile that states what the
 * generator sent, and the ground-truth labels come back beside the anomalies.
 */
import { parseProfile, type Profile } from '@l1t/contracts';
import { analyzeFile, type AnalyzeInput } from '@l1t/pipeline';
import {
  parseFaultSpec,
  profileForSynth,
  resolveFronthaulConfig,
  synthFronthaul,
  type FaultLabel,
  type FronthaulConfigInput,
} from '../packages/capture/src/synth/index.js';

/** Light synthetic fronthaul for the accuracy runs: 2 DL + 1 UL eAxC, 24 PRBs, 30 kHz, PTP, eCPRI delay. */
export const LIGHT: FronthaulConfigInput = {
  nrb: 24,
  eaxc: { dl: [0, 1], ul: [0] },
  ecpriDelay: { ratePerS: 50 },
  ...(process.env.L1T_BENCH_SYNTH ? (JSON.parse(process.env.L1T_BENCH_SYNTH) as FronthaulConfigInput) : {}),
};

/**
 * The profile that states what the generator sends (numerology, carrier, U-plane format, eCPRI UDP port,
 * windows; GPS-aligned capture clock: absolute timing), validated as `l1t analyze --profile` would.
 */
export function profileFor(cfg: FronthaulConfigInput): Profile {
  return parseProfile(profileForSynth(resolveFronthaulConfig(cfg), 'bench'));
}

function synthInput(
  name: string,
  cfg: FronthaulConfigInput,
  faults: string,
  seed: number,
): { input: AnalyzeInput; labels: () => readonly FaultLabel[] } {
  let labels: readonly FaultLabel[] = [];
  return {
    input: {
      name,
      open: async function* () {
        const s = synthFronthaul(cfg, parseFaultSpec(faults), seed);
        for (let c = s.next(); c; c = s.next()) yield c;
        labels = s.labels;
      },
    },
    labels: () => labels,
  };
}

export async function analyse(cfg: FronthaulConfigInput, faults: string, seed: number) {
  const ext = cfg.format === 'pcapng' ? 'pcapng' : 'pcap';
  const { input, labels } = synthInput(`synth-${seed}.${ext}`, cfg, faults, seed);
  const r = await analyzeFile(input, { profile: profileFor(cfg) });
  if (r.status !== 'done') throw new Error(`synth ${faults} seed ${seed}: ${r.error ?? 'failed'}`);
  return { anomalies: r.anomalies, labels: labels(), bytes: r.size, warnings: r.summary.details.detector_warnings };
}

/** Capture length per fault type (long enough for the fault and what makes it observable). */
export const DURATION_S: Partial<Record<string, number>> = {
  ptp_sync_gap: 1.2,
  ptp_announce_timeout: 1.6,
  ptp_time_error: 1.6,
  ptp_gm_change: 0.8,
  ptp_clock_degraded: 0.8,
  ptp_competing_masters: 0.8,
  ptp_malformed: 0.5,
  // a rate is judged over complete 1-s windows: the first window must end inside the capture
  ptp_message_rate: 1.6,
  ptp_stale_timestamp: 0.8,
  ecpri_delay_budget: 0.8,
  iq_power_drop: 0.8,
};
export const DEFAULT_DURATION_S = 0.5;
/** Config changes a fault type needs to be injectable (a UL symbol spread needs several packets per symbol). */
export const CONFIG_FOR: Partial<Record<string, FronthaulConfigInput>> = {
  ul_symbol_burst_slow: { maxPrbPerPacket: 8 },
};

/** Timing faults (PTP, eCPRI delay measurement) are not tied to an O-RU or eAxC. */
export function isTimingType(type: string): boolean {
  return type.startsWith('ptp_') || type === 'ecpri_delay_budget';
}

/**
 * Parameters that vary a type's fault over the seeds: ptp_malformed cycles through its kinds (Follow_Up
 * nanoseconds ≥ 10^9, Sync messageLength past the frame, reserved Announce clockClass, TLV overrun).
 */
export function variantFor(type: string, seed: number): string {
  if (type === 'ptp_malformed') return `kind=${['ns', 'length', 'clock_class', 'tlv'][seed % 4]}`;
  return '';
}

/** The fault spec of one accuracy run: somewhere in the first half, never at the very start. */
export function faultAt(type: string, seed: number, extra = ''): string {
  const at = (0.15 + 0.05 * (seed % 4)).toFixed(2);
  return `${type}@${at}${extra ? `:${extra}` : ''}`;
}
