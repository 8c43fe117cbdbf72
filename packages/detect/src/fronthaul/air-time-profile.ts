import type { Profile } from '@l1t/contracts';
import { DEFAULT_UTC_GPS_OFFSET_S, numerologyOfScs } from './air-time.js';

/**
 * What the fronthaul timing detectors take from the analysis profile (interfaces.md §Analysis profile):
 * numerology, the GPS alignment (`timing.utc_gps_offset_s`, `alpha_ns`, `beta_frames`), the reception
 * windows and the timing mode, each with where it came from so that evidence can say so.
 */

/** [min, max] µs. For `*_cplane` and `dl_uplane` an advance before air time; for `ul_uplane` a delay after. */
export type WindowUs = readonly [number, number];

export interface WindowsUs {
  dl_cplane: WindowUs;
  dl_uplane: WindowUs;
  ul_cplane: WindowUs;
  ul_uplane: WindowUs;
}

/**
 * Windows used when the profile states none: the generator's defaults (capture/synth DEFAULT_WINDOWS_US),
 * which sit inside the usual O-RAN WG4 CUS §2.3 delay-management values at the O-DU egress (T1a) / O-DU
 * ingress (Ta4): C-plane sent 250–1000 µs before air time, DL U-plane 50–400 µs before, UL U-plane received
 * 0–300 µs after.
 */
export const DEFAULT_WINDOWS_US: Readonly<WindowsUs> = Object.freeze({
  dl_cplane: [250, 1000] as const,
  dl_uplane: [50, 400] as const,
  ul_cplane: [250, 1000] as const,
  ul_uplane: [0, 300] as const,
});

/** SCS when neither the profile nor the slotId range tells (the most common FR1 TDD numerology). */
export const DEFAULT_SCS_KHZ = 30;

/** `absolute`/`relative`/`off` from the profile; `auto` when the profile does not say (see rx-window.ts). */
export type TimingMode = 'absolute' | 'relative' | 'off' | 'auto';

export interface FronthaulTiming {
  mode: TimingMode;
  /** SCS from the profile, or undefined: infer from the slotId range (default {@link DEFAULT_SCS_KHZ}). */
  scsKhz: number | undefined;
  utcGpsOffsetS: number;
  alphaNs: number;
  betaFrames: number;
  windowsUs: WindowsUs;
  /** Which windows came from the profile (the others are {@link DEFAULT_WINDOWS_US}). */
  windowsFromProfile: readonly (keyof WindowsUs)[];
}

/** Window names by group index `plane << 1 | dir` (plane 1 = C, dir 1 = DL), as `flowIndex` & 3. */
export const WINDOW_NAMES: readonly (keyof WindowsUs)[] = ['ul_uplane', 'dl_uplane', 'ul_cplane', 'dl_cplane'];

export function resolveFronthaulTiming(profile: Profile | undefined): FronthaulTiming {
  const t = profile?.timing;
  const w = t?.windows_us;
  const windowsUs: WindowsUs = {
    dl_cplane: w?.dl_cplane ?? DEFAULT_WINDOWS_US.dl_cplane,
    dl_uplane: w?.dl_uplane ?? DEFAULT_WINDOWS_US.dl_uplane,
    ul_cplane: w?.ul_cplane ?? DEFAULT_WINDOWS_US.ul_cplane,
    ul_uplane: w?.ul_uplane ?? DEFAULT_WINDOWS_US.ul_uplane,
  };
  for (const [k, v] of Object.entries(windowsUs)) {
    if (!(v[0] <= v[1])) throw new RangeError(`timing.windows_us.${k} must be [min, max] (got [${v.join(', ')}])`);
  }
  const scs = profile?.scs_khz;
  if (scs !== undefined) numerologyOfScs(scs);
  return {
    mode: t?.mode ?? 'auto',
    scsKhz: scs,
    utcGpsOffsetS: t?.utc_gps_offset_s ?? DEFAULT_UTC_GPS_OFFSET_S,
    alphaNs: t?.alpha_ns ?? 0,
    betaFrames: t?.beta_frames ?? 0,
    windowsUs,
    windowsFromProfile: w ? (Object.keys(w) as (keyof WindowsUs)[]) : [],
  };
}

/**
 * Numerology inference from the slotIds seen (no `scs_khz` in the profile): μ is the smallest with
 * 2^μ > the highest slotId; slot 0 alone over three or more distinct subframes means 15 kHz; otherwise
 * {@link DEFAULT_SCS_KHZ}. Allocation-free: feed every packet with {@link observe}.
 */
export class NumerologyGuess {
  maxSlot = -1;
  private lastSubframe = -1;
  distinctSubframes = 0;

  observe(frameId: number, subframeId: number, slotId: number): void {
    if (slotId > this.maxSlot) this.maxSlot = slotId;
    const sf = frameId * 10 + subframeId;
    if (sf !== this.lastSubframe) {
      this.lastSubframe = sf;
      this.distinctSubframes++;
    }
  }

  /** True once a whole subframe has been seen (its slot range is then complete). */
  get settled(): boolean {
    return this.distinctSubframes >= 3;
  }

  mu(): number {
    if (this.maxSlot >= 1) {
      let mu = 0;
      while (1 << mu <= this.maxSlot && mu < 4) mu++;
      return mu;
    }
    if (this.maxSlot === 0 && this.settled) return 0;
    return numerologyOfScs(DEFAULT_SCS_KHZ);
  }

  /** Evidence text of how μ was chosen. */
  source(): string {
    if (this.maxSlot >= 1) return `inferred from slotId range 0..${this.maxSlot} (no scs_khz in profile)`;
    if (this.maxSlot === 0 && this.settled)
      return 'inferred: only slotId 0 over several subframes (no scs_khz in profile)';
    return `default ${DEFAULT_SCS_KHZ} kHz (no scs_khz in profile, slotId range not conclusive)`;
  }
}
