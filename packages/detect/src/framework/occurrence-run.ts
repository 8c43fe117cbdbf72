import type { Severity } from '@l1t/contracts';
import type { Occurrence } from './detector.js';
import { worseSeverity } from './severity.js';

/**
 * Builds the occurrence a run's message stands for, from what {@link OccurrenceRun.extend} kept of it: only
 * for the run's last message and its worst one, when the aggregator takes the run over.
 */
export type RunOccurrenceFactory = (tsNs: bigint, packetIndex: number, values: Float64Array) => Occurrence;

/** What a run hands to the aggregator (Aggregator.mergeRun): its continuations, summed as `add` would. */
export interface RunMerge {
  readonly count: number;
  readonly packetCount: number;
  readonly severity: Severity;
  readonly confidence: number;
  readonly lastTs: bigint;
  readonly maxIndex: number;
  /** The run's last occurrence and its worst (largest magnitude, the earliest of equals), built on demand. */
  last(): Occurrence;
  readonly hasWorst: boolean;
  readonly worstMagnitude: number;
  worst(): Occurrence | undefined;
  /** `totals` of the continuations, each distinct object with how many carried it, in order of appearance. */
  readonly totalsSeen: readonly (Record<string, number> | undefined)[];
  readonly totalsTimes: readonly number[];
  readonly totalsKinds: number;
}

/**
 * The first two of a run's `values`: the occurrence's confidence and magnitude (NaN: none), read by
 * {@link OccurrenceRun.extend} from there. Passed as arguments of a call the compiler did not inline, a
 * computed double is boxed into a new heap number per call: two per stale PTP message of a replayed stream
 * (issue 14); written into the detector's Float64Array, it is not.
 */
export const RUN_CONFIDENCE = 0;
export const RUN_MAGNITUDE = 1;
/** The first of a detector's own values (after {@link RUN_CONFIDENCE} and {@link RUN_MAGNITUDE}). */
export const RUN_FIRST_VALUE = 2;

/** The aggregator side of a run (Aggregator implements it). */
export interface RunHost {
  mergeRun(key: string, run: RunMerge): void;
  /** The burst gap of `key`'s open anomaly, undefined when none is open. */
  openGap(key: string): bigint | undefined;
}

/**
 * Repeated occurrences of one aggregation key, reported without an object and an aggregator call per
 * message (issue 14 item 3). A detector that reports the same fault on every message of a stream — a
 * replayed PTP stream makes every Sync and Follow_Up a `ptp_stale_timestamp` — reports the first
 * occurrence as usual ({@link started}) and each following one with {@link extend}: a few numbers. The
 * aggregator merges what is pending into the key's open anomaly when it needs that anomaly complete — before
 * a sweep that may close it, before closing the oldest anomaly, at the end of the file — and the run merges
 * it itself when it breaks. The anomalies are the same as with one `report` per occurrence:
 *
 *  - only continuations are batched: occurrences of the key's open anomaly, at or after the previous one and
 *    at most one burst gap later (`add` merges each of them into that anomaly, never opens or closes one);
 *  - `occurrences`, `packet_count`, severity, confidence, `end_timestamp`, `end_packet_index` and the
 *    evidence of the last and the worst occurrence come out as `add` would leave them; `totals` must be
 *    integer counts (summed as count × value) and continuations carry no `endTsNs`/`endPacketIndex`;
 *  - when the aggregator closes the key's anomaly (a sweep, the open-anomaly limit), the run stops: the next
 *    occurrence is reported again.
 */
export class OccurrenceRun implements RunMerge {
  /** The key's anomaly is open in the aggregator with the previous occurrence (continuations may follow). */
  private active = false;
  private prevTs = 0n;
  private edge = 0n;
  private gap = 0n;
  count = 0;
  packetCount = 0;
  severity: Severity = 'info';
  confidence = -Infinity;
  lastTs = 0n;
  maxIndex = 0;
  private lastIndex = 0;
  private readonly lastValues: Float64Array;
  worstMagnitude = -Infinity;
  private worstTs = 0n;
  private worstIndex = 0;
  private readonly worstValues: Float64Array;
  hasWorst = false;
  readonly totalsSeen: (Record<string, number> | undefined)[] = [];
  readonly totalsTimes: number[] = [];
  totalsKinds = 0;

  constructor(
    private readonly host: RunHost,
    readonly key: string,
    private readonly make: RunOccurrenceFactory,
    values: number,
  ) {
    this.lastValues = new Float64Array(values);
    this.worstValues = new Float64Array(values);
  }

  /** `o` (of this run's key) was just reported with `ctx.report`: later ones may continue it. */
  started(o: Occurrence): void {
    const gap = this.host.openGap(this.key);
    this.active = gap !== undefined && o.endTsNs === undefined && o.endPacketIndex === undefined;
    if (!this.active) return;
    this.prevTs = o.tsNs;
    this.gap = gap!;
    this.edge = o.tsNs + gap!;
  }

  /**
   * One more occurrence at `tsNs`, its confidence and magnitude in `values` ({@link RUN_CONFIDENCE},
   * {@link RUN_MAGNITUDE}): true when it was taken as a continuation (nothing to report), false when it must
   * be reported (and then {@link started}) — pending continuations are merged first.
   */
  extend(
    tsNs: bigint,
    packetIndex: number,
    severity: Severity,
    totals: Record<string, number> | undefined,
    values: Float64Array,
  ): boolean {
    if (!this.active || tsNs < this.prevTs || (tsNs > this.edge && tsNs > this.edgeNow())) {
      this.flush();
      return false;
    }
    const confidence = values[RUN_CONFIDENCE]!;
    const magnitude = values[RUN_MAGNITUDE]!;
    if (this.count === 0) {
      this.severity = severity;
      this.confidence = confidence;
    } else {
      this.severity = worseSeverity(this.severity, severity);
      if (confidence > this.confidence) this.confidence = confidence;
    }
    this.count++;
    this.packetCount++;
    // the edge is not moved here: a bigint sum per occurrence was ~64 MB of garbage per 300 MB of replayed PTP
    // (every Sync and Follow_Up stale); edgeNow() brings it up to date only when an occurrence passes it
    this.prevTs = tsNs;
    this.lastTs = tsNs;
    this.lastIndex = packetIndex;
    this.lastValues.set(values);
    if (packetIndex > this.maxIndex) this.maxIndex = packetIndex;
    if (magnitude === magnitude && (!this.hasWorst || magnitude > this.worstMagnitude)) {
      this.hasWorst = true;
      this.worstMagnitude = magnitude;
      this.worstTs = tsNs;
      this.worstIndex = packetIndex;
      this.worstValues.set(values);
    }
    let k = 0;
    while (k < this.totalsKinds && this.totalsSeen[k] !== totals) k++;
    if (k === this.totalsKinds) {
      this.totalsSeen[k] = totals;
      this.totalsTimes[k] = 0;
      this.totalsKinds++;
    }
    this.totalsTimes[k]!++;
    return true;
  }

  /**
   * The burst edge, one gap after the previous occurrence. `edge` is kept from an earlier previous occurrence
   * (at most this one: `prevTs` only grows within a run), so an occurrence at or before it is within the true
   * edge too and only one past it needs the sum: the same decisions as an edge moved with every occurrence.
   */
  private edgeNow(): bigint {
    this.edge = this.prevTs + this.gap;
    return this.edge;
  }

  /** Hands pending continuations to the aggregator (called by it, and by the run when it breaks). */
  flush(): void {
    if (this.count === 0) return;
    this.host.mergeRun(this.key, this);
    this.count = 0;
    this.packetCount = 0;
    this.maxIndex = 0;
    this.hasWorst = false;
    this.worstMagnitude = -Infinity;
    this.totalsKinds = 0;
  }

  /** The aggregator closed the key's anomaly (after a flush): the next occurrence opens a new one. */
  stop(): void {
    this.active = false;
  }

  last(): Occurrence {
    return this.make(this.lastTs, this.lastIndex, this.lastValues.slice());
  }

  worst(): Occurrence | undefined {
    return this.hasWorst ? this.make(this.worstTs, this.worstIndex, this.worstValues.slice()) : undefined;
  }
}
