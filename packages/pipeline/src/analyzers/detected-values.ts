import { COMP_METHOD_CODE, type DecodedPacket } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { NumerologyGuess, type FileViews } from '@l1t/detect';

/**
 * What a capture showed of the profile's settings (issue 16, "auto-detected values shown beside the
 * profile's"), recorded in the file summary as `details.detected`: the engineer compares it with the profile
 * the file was analysed with. Each value is what the packets carried, not what the profile said.
 */
export interface DetectedValues {
  /** SCS from the slotId range (the rx-window detector's {@link NumerologyGuess}); null: no O-RAN traffic. */
  scs_khz: number | null;
  /** How scs_khz was chosen (the guess's evidence text). */
  scs_source: string | null;
  /** Highest slotId seen. */
  max_slot_id: number | null;
  /** Highest PRB index reached by a section (startPrb + numPrb − 1), U- and C-plane; NRB is at least this + 1. */
  max_prb: number | null;
  /** U-plane udCompMeth names seen (WG4 CUS Table 6.3.3.13-1), sorted. */
  comp_methods: string[];
  /** U-plane IQ widths in bits seen (udIqWidth, 16 for its code 0), sorted. */
  iq_widths: number[];
  /** eAxC ids seen per plane and direction, e.g. `{ 'u|dl': [0, 1] }`, sorted. */
  eaxc: Record<string, number[]>;
  /** The timing mode the rx-window detector ran in (`auto` chose from the capture clock); null: no timing view. */
  timing_mode: string | null;
  /** The relative mode's learned reference offset per window (µs), e.g. `{ dl_uplane: 287.1 }`. */
  timing_reference_us: Record<string, number>;
}

const METHOD_NAME = new Map<number, string>(Object.entries(COMP_METHOD_CODE).map(([n, c]) => [c, n]));
/** Bounds the sets: a damaged capture cannot grow the summary without limit. */
const MAX_DISTINCT = 64;

/** `plane|direction` names of {@link DetectedValues.eaxc}, at their {@link planeDirIndex}. */
const PLANE_DIR_NAMES = ['c|ul', 'c|dl', 'u|ul', 'u|dl'] as const;
const planeDirIndex = (uplane: boolean, downlink: boolean): number => (uplane ? 2 : 0) + (downlink ? 1 : 0);

/** Collects {@link DetectedValues} from every decoded packet; allocation-free per packet once the sets are full. */
export class DetectedValuesCollector {
  private readonly numerology = new NumerologyGuess();
  private oran = false;
  private maxPrb = -1;
  private readonly methods = new Set<number>();
  private readonly widths = new Set<number>();
  /**
   * eAxC ids per plane and direction, indexed by {@link planeDirIndex} (no key string built per message —
   * issue 14: a template string and its hash per packet); named by {@link PLANE_DIR_NAMES} in `values()`.
   */
  private readonly eaxc: (Set<number> | undefined)[] = [undefined, undefined, undefined, undefined];
  /** The last method and width added (consecutive sections almost always repeat them: no Set look-up). */
  private lastMethod = -1;
  private lastWidth = -1;
  /** The last eAxC added per plane and direction (a flow's messages come in runs: no Set look-up for them). */
  private readonly lastEaxc = [-1, -1, -1, -1];

  observe(p: DecodedPacket): void {
    for (let i = 0; i < p.oranCount; i++) {
      const m = p.oranMessages[i]!;
      if (!m.headerComplete) continue;
      this.oran = true;
      this.numerology.observe(m.frameId, m.subframeId, m.slotId);
      const u = m.plane === 'u';
      const at = planeDirIndex(u, m.dataDirection === 1);
      let ids = this.eaxc[at];
      if (!ids) this.eaxc[at] = ids = new Set();
      if (m.eaxc !== this.lastEaxc[at] && ids.size < MAX_DISTINCT) {
        ids.add(m.eaxc);
        this.lastEaxc[at] = m.eaxc;
      }
      if (u) {
        for (let k = 0; k < m.sectionCount; k++) {
          const s = m.uSections[k]!;
          this.prbEnd(s.startPrbu, s.nPrb);
          if (s.compMethod !== this.lastMethod && this.methods.size < MAX_DISTINCT) {
            this.methods.add(s.compMethod);
            this.lastMethod = s.compMethod;
          }
          if (s.iqWidth !== this.lastWidth && this.widths.size < MAX_DISTINCT) {
            this.widths.add(s.iqWidth);
            this.lastWidth = s.iqWidth;
          }
        }
      } else {
        for (let k = 0; k < m.sectionCount; k++) {
          const s = m.cSections[k]!;
          this.prbEnd(s.startPrbc, s.numPrbc);
        }
      }
    }
  }

  private prbEnd(start: number, count: number): void {
    if (count > 0 && start + count - 1 > this.maxPrb) this.maxPrb = start + count - 1;
  }

  values(timing?: FileViews['timing']): DetectedValues {
    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    return {
      scs_khz: this.oran ? 15 * 2 ** this.numerology.mu() : null,
      scs_source: this.oran ? this.numerology.source() : null,
      max_slot_id: this.oran ? this.numerology.maxSlot : null,
      max_prb: this.maxPrb >= 0 ? this.maxPrb : null,
      comp_methods: sorted(this.methods).map((c) => METHOD_NAME.get(c) ?? `code ${c}`),
      iq_widths: sorted(this.widths),
      eaxc: Object.fromEntries(
        PLANE_DIR_NAMES.flatMap((name, i) => {
          const ids = this.eaxc[i];
          return ids ? [[name, sorted(ids)] as const] : [];
        }).sort(([a], [b]) => a.localeCompare(b)),
      ),
      timing_mode: this.oran ? (timing?.mode ?? null) : null,
      timing_reference_us: Object.fromEntries(
        (timing?.groups ?? []).flatMap((g) => (g.reference_us === null ? [] : [[g.window, g.reference_us]])),
      ),
    };
  }
}

/** The profile's values for the same settings (`details.profile_settings`), null where the profile is silent. */
export interface ProfileSettings {
  name: string | null;
  scs_khz: number | null;
  nrb: number | null;
  comp_method: string | null;
  iq_width: number | null;
  timing_mode: string | null;
}

export function profileSettings(profile: Profile | undefined): ProfileSettings {
  return {
    name: profile?.name ?? null,
    scs_khz: profile?.scs_khz ?? null,
    nrb: profile?.nrb ?? null,
    comp_method: profile?.uplane?.comp_method ?? null,
    iq_width: profile?.uplane?.iq_width ?? null,
    timing_mode: profile?.timing?.mode ?? null,
  };
}
