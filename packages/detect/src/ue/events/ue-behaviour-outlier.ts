import type { UeEvent } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import type { ResolvedThresholds } from '../../framework/detector.js';
import { policySeverity } from '../../framework/severity.js';
import { numberOption } from '../../framework/thresholds.js';
import { MODEL_NAMES, OutlierEnsemble } from '../../ml/ensemble.js';
import { fitRobustScaler, scaleRow } from '../../ml/robust-stats.js';
import { isoNs } from '../../time-format.js';
import { UE_BEHAVIOUR_FEATURES, UE_FEATURE_SCALE_FLOORS, UeBehaviour } from './ue-behaviour-features.js';

/** UEs compared at most (memory bound; UEs beyond are counted, not compared). */
const MAX_UES = 100_000;
/** Features named in the evidence at most, and the |z| from which a feature is named. */
const EVIDENCE_FEATURES = 5;
const EVIDENCE_MIN_Z = 3;

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(5)) : v);

/**
 * `ue_behaviour_outlier` (anomalies.md: a UE whose event statistics are outliers against the other UEs,
 * ≥ 2 of 4 models): the per-UE feature rows (ue-behaviour-features.ts) are robust-scaled across the log's
 * UEs (median / robust σ with floors) and scored, leave-one-out, by the same four-model ensemble as
 * `window_stat_outlier` (ml/ensemble.ts). A UE is reported when at least `min_votes` models agree and one
 * feature is at least `min_feature_z` robust σ from the UEs' median; the evidence names the features that
 * stand out with value, median and z, and each model's score against its boundary. Needs `min_ues` UEs.
 */
export class UeBehaviourOutlierDetection {
  private readonly ues = new Map<string, UeBehaviour>();
  private untracked = 0;
  private readonly minUes: number;
  private readonly minVotes: number;
  private readonly minZ: number;
  private readonly boundaryK: number;
  private readonly seed: number;
  /** Why nothing was judged, when nothing was (for the summary). */
  note: string | undefined;

  constructor(t: ResolvedThresholds) {
    const n = (name: string, d: number): number => numberOption(t, 'ue_behaviour_outlier', name, d);
    this.minUes = n('min_ues', 8);
    this.minVotes = n('min_votes', 2);
    this.minZ = n('min_feature_z', 5);
    this.boundaryK = n('boundary_k', 6);
    this.seed = n('seed', 1);
  }

  onEvent(e: UeEvent): void {
    let u = this.ues.get(e.ue);
    if (!u) {
      if (this.ues.size >= MAX_UES) {
        this.untracked++;
        return;
      }
      u = new UeBehaviour(e.ue, e);
      this.ues.set(e.ue, u);
    }
    u.add(e);
  }

  finish(): AnomalyDraft[] {
    const ues = [...this.ues.values()];
    if (this.untracked > 0)
      this.note = `ue_behaviour_outlier: more than ${MAX_UES} UEs, ${this.untracked} events of further UEs not compared`;
    if (ues.length < this.minUes) {
      this.note = `ue_behaviour_outlier: ${ues.length} UE(s), fewer than min_ues (${this.minUes}): not judged`;
      return [];
    }
    const raw = ues.map((u) => u.row());
    const scaler = fitRobustScaler(raw, { relative: 0, absolute: UE_FEATURE_SCALE_FLOORS });
    const z = raw.map((r) => scaleRow(r, scaler));
    const ensemble = OutlierEnsemble.fit(z, {
      seed: this.seed,
      boundaryK: this.boundaryK,
      lofK: Math.min(20, ues.length - 1),
    });
    const out: AnomalyDraft[] = [];
    ues.forEach((u, i) => {
      const zr = z[i]!;
      const sc = ensemble.score(zr, i);
      let maxZ = 0;
      for (const v of zr) if (Math.abs(v) > maxZ) maxZ = Math.abs(v);
      if (sc.agree < this.minVotes || maxZ < this.minZ) return;
      const order = [...zr.keys()].sort((a, b) => Math.abs(zr[b]!) - Math.abs(zr[a]!));
      const standOut = order
        .filter((j, rank) => rank === 0 || Math.abs(zr[j]!) >= EVIDENCE_MIN_Z)
        .slice(0, EVIDENCE_FEATURES)
        .map((j) => ({
          feature: UE_BEHAVIOUR_FEATURES[j]!,
          value: round(raw[i]![j]!),
          median: round(scaler.center[j]!),
          robust_sigma: round(scaler.scale[j]!),
          z: round(zr[j]!),
        }));
      const models: Record<string, unknown> = {};
      MODEL_NAMES.forEach((m, k) => {
        models[m] = { score: round(sc.scores[k]!), boundary: round(ensemble.boundaries[k]!), outlier: sc.votes[k]! };
      });
      const confidence = sc.agree / MODEL_NAMES.length;
      out.push({
        type: 'ue_behaviour_outlier',
        source: 'ue',
        severity: policySeverity('ue_behaviour_outlier', 'minor', confidence, 1),
        confidence,
        timestamp: isoNs(u.firstTsNs),
        ...(u.lastTsNs > u.firstTsNs ? { end_timestamp: isoNs(u.lastTsNs) } : {}),
        packet_index: u.firstLine,
        packet_count: Math.max(1, raw[i]![UE_BEHAVIOUR_FEATURES.indexOf('events')]!),
        description: `${u.ue} behaves unlike the other ${ues.length - 1} UEs (${sc.agree}/4 models): ${standOut.map((f) => `${f.feature} ${f.value} vs median ${f.median} (z ${f.z})`).join(', ')}`,
        evidence: {
          ue: u.ue,
          models_agreeing: sc.agree,
          min_votes: this.minVotes,
          max_feature_z: round(maxZ),
          min_feature_z: this.minZ,
          ues_compared: ues.length,
          features: standOut,
          models,
        },
      });
    });
    return out.sort((a, b) => a.packet_index - b.packet_index);
  }
}
