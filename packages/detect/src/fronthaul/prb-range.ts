import { Inferred } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import type { DetectContext, Detector, DetectorDefinition, FronthaulMessage } from '../framework/detector.js';
import { radioOf } from '../framework/flow.js';

/**
 * `prb_out_of_range` (O-RAN WG4 CUS §7.5.2 / §6.3.3: startPrbc/startPrbu + numPrbc/numPrbu within the
 * carrier): a U-plane section, or a C-plane section of type 1, 3 or 5, whose last PRB (every other PRB
 * when `rb` is set) lies at or beyond the carrier's NRB.
 *
 * NRB: the profile's `nrb`; without it, the NRB the decoder inferred from a U-plane section with numPrbu 0
 * ("all PRBs", sized by its payload) once one was seen; until then the largest carrier TS 38.211 §4.4.2
 * allows (N_RB^max = 275). The evidence says which. numPrb 0 means "all PRBs of the carrier"
 * (§7.5.3.6): NRB PRBs counted from startPrb, so any startPrb above 0 runs past the carrier (the
 * coupling detector reads such a section the same way, e.g. startPrbu 256 of 273 as PRBs 256–528).
 */

/** Last PRB a section declares (`rb`: every other PRB); numPrb 0 declares all `nrb` PRBs from `start`. */
export function lastDeclaredPrb(start: number, num: number, rb: number, nrb: number): number {
  return start + ((num === 0 ? nrb : num) - 1) * (rb ? 2 : 1);
}

/** TS 38.211 §4.4.2 Table 4.4.2-1: N_RB^max,μ = 275 for every numerology. */
export const MAX_NRB = 275;

export const prbRangeDetector: DetectorDefinition = {
  name: 'fronthaul/prb-range',
  types: ['prb_out_of_range'],
  thresholds: { prb_out_of_range: [] },
  reference: 'O-RAN WG4 CUS §7.5.2 (startPrbc/numPrbc), §6.3.3 (startPrbu/numPrbu); TS 38.211 §4.4.2 (N_RB^max)',
  create: ({ profile }) => new PrbRangeDetector(profile),
};

export class PrbRangeDetector implements Detector {
  private readonly profileNrb: number | undefined;
  /** NRB learned from a numPrbu-0 U-plane section when the profile has none. */
  learnedNrb = 0;

  constructor(profile: Profile | undefined) {
    this.profileNrb = profile?.nrb;
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const o = msg.m;
    const nrb = this.profileNrb ?? (this.learnedNrb || MAX_NRB);
    let bad = -1;
    let badCount = 0;
    if (o.plane === 'u') {
      for (let i = 0; i < o.sectionCount; i++) {
        const s = o.uSections[i]!;
        if (
          s.numPrbu === 0 &&
          this.profileNrb === undefined &&
          o.inferred & Inferred.NRB &&
          s.nPrb > 0 &&
          s.nPrb <= MAX_NRB
        )
          this.learnedNrb = s.nPrb;
        if (lastDeclaredPrb(s.startPrbu, s.numPrbu, s.rb, nrb) >= nrb) {
          if (bad < 0) bad = i;
          badCount++;
        }
      }
    } else {
      const st = o.sectionType;
      if (st !== 1 && st !== 3 && st !== 5) return;
      for (let i = 0; i < o.sectionCount; i++) {
        const s = o.cSections[i]!;
        if (lastDeclaredPrb(s.startPrbc, s.numPrbc, s.rb, nrb) >= nrb) {
          if (bad < 0) bad = i;
          badCount++;
        }
      }
    }
    if (bad >= 0) this.report(msg, bad, badCount, nrb, ctx);
  }

  finish(): void {}

  private report(msg: FronthaulMessage, i: number, n: number, nrb: number, ctx: DetectContext): void {
    const { p, m: o, flow } = msg;
    const u = o.plane === 'u';
    const start = u ? o.uSections[i]!.startPrbu : o.cSections[i]!.startPrbc;
    const num = u ? o.uSections[i]!.numPrbu : o.cSections[i]!.numPrbc;
    const rb = u ? o.uSections[i]!.rb : o.cSections[i]!.rb;
    const sectionId = u ? o.uSections[i]!.sectionId : o.cSections[i]!.sectionId;
    const last = lastDeclaredPrb(start, num, rb, nrb);
    const source =
      this.profileNrb !== undefined
        ? 'profile'
        : this.learnedNrb
          ? 'inferred from a U-plane section with numPrbu 0 (no nrb in profile)'
          : `no nrb in profile: checked against the largest carrier, N_RB^max = ${MAX_NRB} (TS 38.211 §4.4.2)`;
    ctx.report({
      type: 'prb_out_of_range',
      source: 'fronthaul',
      severity: 'major',
      // Certain once NRB is right: the profile's NRB is trusted, an inferred one less; beyond 275 PRBs no
      // carrier of any numerology fits (TS 38.211 §4.4.2), whatever the NRB.
      confidence: last >= MAX_NRB || this.profileNrb !== undefined ? 0.99 : this.learnedNrb ? 0.8 : 0.9,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: flow.key,
      radio: radioOf(o),
      aggregationKey: `prb_out_of_range|${flow.name}`,
      description:
        `${u ? 'U' : 'C'}-plane section ${sectionId} on ${flow.label} ` +
        (num === 0
          ? `declares all ${nrb} PRBs (numPrb 0) from PRB ${start}: PRBs ${start}–${last}, beyond the carrier's ${nrb} PRBs (0–${nrb - 1})`
          : `covers PRBs ${start}–${last}, beyond the carrier's ${nrb} PRBs (0–${nrb - 1})`),
      evidence: {
        section_id: sectionId,
        [u ? 'start_prbu' : 'start_prbc']: start,
        [u ? 'num_prbu' : 'num_prbc']: num,
        rb,
        last_prb: last,
        nrb,
        nrb_source: source,
        sections_out_of_range: n,
      },
    });
  }
}
