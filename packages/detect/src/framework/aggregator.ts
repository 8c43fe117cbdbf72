import type { AnomalyDraft, Severity } from '@l1t/contracts';
import { formatDurationNs, isoNs } from '../time-format.js';
import { DEFAULT_BURST_GAP_NS, type Occurrence } from './detector.js';
import { OccurrenceRun, type RunHost, type RunMerge, type RunOccurrenceFactory } from './occurrence-run.js';
import type { PacketContextEntry, PacketContextRing } from './packet-context.js';
import { policySeverity, worseSeverity } from './severity.js';

/**
 * Aggregation (anomalies.md: "a burst of the same fault on the same flow is one anomaly"). Occurrences
 * with the same `aggregationKey` less than the burst gap apart (default 1 s, per occurrence
 * `burstGapNs`) become one anomaly: `packet_count` is the sum, `timestamp`/`packet_index` those of the
 * earliest occurrence, `end_timestamp` of the latest, `evidence` the first occurrence's evidence plus
 * `occurrences`, `first`, `last`, `worst` (the occurrence of largest `magnitude`, when they carry one) and
 * `totals` (sums of the occurrences' `totals`), and `end_packet_index`,
 * the last frame involved, when it is after `packet_index`.
 *
 * Memory is bounded: one open burst per key; a burst closes once the capture time has moved more than
 * two burst gaps past its last occurrence (two, because a detector may report an occurrence a little
 * after its packet — a sequence gap becomes final only later), and the burst opened first is closed early
 * when more than `maxOpen` are open.
 */
export interface AggregatorOptions {
  /** Source of `packet_context`; without it anomalies carry none. */
  context?: PacketContextRing;
  maxOpen?: number;
}

interface Burst {
  first: Occurrence;
  last: Occurrence;
  firstTs: bigint;
  lastTs: bigint;
  gap: bigint;
  /** lastTs + gap and firstTs − gap, kept with them: the merge test without bigint arithmetic per occurrence. */
  lastEdge: bigint;
  firstEdge: bigint;
  occurrences: number;
  packetCount: number;
  severity: Severity;
  confidence: number;
  totals: Record<string, number> | undefined;
  context: PacketContextEntry[] | undefined;
  /** Largest frame number involved. */
  maxIndex: number;
  /** Occurrence of the largest `magnitude`, when occurrences carry one. */
  worst: Occurrence | undefined;
}

export class Aggregator implements RunHost {
  private readonly open = new Map<string, Burst>();
  /** Runs of repeated occurrences (occurrence-run.ts), by key: merged before a burst is swept or closed. */
  private readonly runs = new Map<string, OccurrenceRun>();
  private readonly closed: AnomalyDraft[] = [];
  private readonly maxOpen: number;
  private readonly context: PacketContextRing | undefined;
  /** Earliest time at which some open burst may close (sweeps before it are skipped). */
  private nextSweepNs: bigint | undefined;

  constructor(options: AggregatorOptions = {}) {
    this.context = options.context;
    this.maxOpen = options.maxOpen ?? 4096;
  }

  /** Number of bursts currently open. */
  /** Findings closed early because {@link maxOpen} were open at once. */
  forcedCloses = 0;

  get openCount(): number {
    return this.open.size;
  }

  add(o: Occurrence): void {
    const gap = o.burstGapNs ?? DEFAULT_BURST_GAP_NS;
    const end = o.endTsNs ?? o.tsNs;
    const b = this.open.get(o.aggregationKey);
    if (b !== undefined && o.tsNs <= b.lastEdge && end >= b.firstEdge) {
      b.occurrences++;
      b.packetCount += o.packetCount;
      b.severity = worseSeverity(b.severity, o.severity);
      if (o.confidence > b.confidence) b.confidence = o.confidence;
      if (o.tsNs < b.firstTs) {
        b.first = o;
        b.firstTs = o.tsNs;
        b.firstEdge = o.tsNs - b.gap;
      }
      if (end >= b.lastTs) {
        b.last = o;
        if (end !== b.lastTs) {
          b.lastTs = end;
          b.lastEdge = end + b.gap;
          // the burst closes two gaps after its last occurrence (a later close than any scheduled for it)
          this.scheduleSweep(b.lastEdge + b.gap);
        }
      }
      if (o.totals) b.totals = addTotals(b.totals ?? {}, o.totals);
      if (o.magnitude !== undefined && (b.worst === undefined || o.magnitude > (b.worst.magnitude ?? -Infinity)))
        b.worst = o;
      const endIndex = o.endPacketIndex ?? o.packetIndex;
      if (endIndex > b.maxIndex) b.maxIndex = endIndex;
      return;
    }
    if (b !== undefined) this.close(o.aggregationKey, b);
    const nb: Burst = {
      first: o,
      last: o,
      firstTs: o.tsNs,
      lastTs: end,
      gap,
      lastEdge: end + gap,
      firstEdge: o.tsNs - gap,
      occurrences: 1,
      packetCount: o.packetCount,
      severity: o.severity,
      confidence: o.confidence,
      totals: o.totals ? { ...o.totals } : undefined,
      context: (o.packetContext as PacketContextEntry[] | undefined) ?? this.context?.capture(o.packetIndex),
      maxIndex: Math.max(o.packetIndex, o.endPacketIndex ?? o.packetIndex),
      worst: o.magnitude !== undefined ? o : undefined,
    };
    this.open.set(o.aggregationKey, nb);
    this.scheduleSweep(nb.lastTs + 2n * gap);
    if (this.open.size > this.maxOpen) this.closeOldest();
  }

  /**
   * The run of repeated occurrences of `key` (occurrence-run.ts): `values` numbers per occurrence are kept for
   * `make` to build the run's last and worst occurrence. One run per key, made on the first call.
   */
  run(key: string, make: RunOccurrenceFactory, values: number): OccurrenceRun {
    let r = this.runs.get(key);
    if (r === undefined) {
      r = new OccurrenceRun(this, key, make, values);
      this.runs.set(key, r);
    }
    return r;
  }

  openGap(key: string): bigint | undefined {
    return this.open.get(key)?.gap;
  }

  /** A run's pending continuations into its key's open burst: what `add` of each, in order, would have done. */
  mergeRun(key: string, r: RunMerge): void {
    const b = this.open.get(key);
    // A run is active only while its key's burst is open (close() stops it): nothing else can reach here.
    if (b === undefined) return;
    b.occurrences += r.count;
    b.packetCount += r.packetCount;
    b.severity = worseSeverity(b.severity, r.severity);
    if (r.confidence > b.confidence) b.confidence = r.confidence;
    if (r.lastTs >= b.lastTs) {
      b.last = r.last();
      if (r.lastTs !== b.lastTs) {
        b.lastTs = r.lastTs;
        b.lastEdge = r.lastTs + b.gap;
        this.scheduleSweep(b.lastEdge + b.gap);
      }
    }
    for (let k = 0; k < r.totalsKinds; k++) {
      const t = r.totalsSeen[k];
      if (t === undefined) continue;
      const times = r.totalsTimes[k]!;
      const into = (b.totals ??= {});
      for (const name in t) into[name] = (into[name] ?? 0) + t[name]! * times;
    }
    if (r.hasWorst && (b.worst === undefined || r.worstMagnitude > (b.worst.magnitude ?? -Infinity)))
      b.worst = r.worst();
    if (r.maxIndex > b.maxIndex) b.maxIndex = r.maxIndex;
  }

  private flushRuns(): void {
    for (const r of this.runs.values()) r.flush();
  }

  /** Closes the bursts that can no longer grow at capture time `nowNs` (cheap when none can). */
  advance(nowNs: bigint): void {
    if (this.nextSweepNs === undefined || nowNs < this.nextSweepNs) return;
    this.flushRuns();
    this.nextSweepNs = undefined;
    for (const [key, b] of this.open) {
      const closeAt = b.lastTs + 2n * b.gap;
      if (nowNs >= closeAt) this.close(key, b);
      else this.scheduleSweep(closeAt);
    }
  }

  /** Closes every burst and returns all anomalies, ordered by packet index. */
  /** Findings closed so far, taken out (streaming: the caller stores them while the file is read). */
  drainClosed(): AnomalyDraft[] {
    return this.closed.length === 0 ? [] : this.closed.splice(0);
  }

  finish(): AnomalyDraft[] {
    this.flushRuns();
    for (const [key, b] of this.open) this.close(key, b);
    this.nextSweepNs = undefined;
    const out = this.closed.splice(0);
    out.sort((a, b) => a.packet_index - b.packet_index || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    return out;
  }

  private scheduleSweep(at: bigint): void {
    if (this.nextSweepNs === undefined || at < this.nextSweepNs) this.nextSweepNs = at;
  }

  /** Closes the burst opened first (Map order): O(1), so a flood of new keys stays linear. */
  private closeOldest(): void {
    this.flushRuns();
    this.forcedCloses++;
    for (const [key, b] of this.open) {
      this.close(key, b);
      return;
    }
  }

  private close(key: string, b: Burst): void {
    if (this.runs.size > 0) this.runs.get(key)?.stop();
    this.open.delete(key);
    this.closed.push(toDraft(b));
  }
}

function addTotals(into: Record<string, number>, add: Record<string, number>): Record<string, number> {
  // for…in, not Object.entries: no array of pairs per occurrence (totals are plain objects)
  for (const k in add) into[k] = (into[k] ?? 0) + add[k]!;
  return into;
}

function toDraft(b: Burst): AnomalyDraft {
  const f = b.first;
  const n = b.occurrences;
  let evidence: Record<string, unknown> = { ...f.evidence };
  let description = f.description;
  if (n > 1) {
    evidence = { ...evidence, occurrences: n, first: f.evidence, last: b.last.evidence };
    if (b.worst !== undefined) evidence.worst = { packet_index: b.worst.packetIndex, ...b.worst.evidence };
    description = `${description} (${n} occurrences over ${formatDurationNs(b.lastTs - b.firstTs)})`;
  }
  if (b.totals !== undefined) evidence.totals = b.totals;
  // The last frame involved, so that an export of the packets around the anomaly covers all of it.
  if (b.maxIndex > f.packetIndex) evidence.end_packet_index = b.maxIndex;
  const d: AnomalyDraft = {
    type: f.type,
    source: f.source,
    severity: policySeverity(f.type, b.severity, b.confidence, n),
    confidence: Math.min(1, Math.max(0, b.confidence)),
    timestamp: isoNs(b.firstTs),
    packet_index: Math.max(1, f.packetIndex),
    packet_count: Math.max(1, b.packetCount),
    description,
    evidence,
  };
  if (b.lastTs > b.firstTs) d.end_timestamp = isoNs(b.lastTs);
  if (f.flow !== undefined) d.flow = f.flow;
  if (f.radio !== undefined) d.radio = f.radio;
  if (b.context !== undefined && b.context.length > 0)
    d.packet_context = b.context as unknown as Record<string, unknown>[];
  return d;
}
