/**
 * Cross-source relation: which findings of *another* source (fronthaul, timing, UE) happened within a window
 * of a finding, on one time axis. A UE log's clock is the phone's (GPS-derived, DIAG 1.25 ms ticks) and a
 * capture's clock is the capture host's, so a session may state a clock offset: it is added to the UE side's
 * timestamps before comparing (positive = the UE clock runs behind the capture clock).
 *
 * Pure: works on the anomaly JSON (nanosecond ISO timestamps, interfaces.md) so the API, the CLI and the
 * report share one definition.
 */

/** What the rule needs of a finding. */
export interface TimedFinding {
  id: string;
  source: string;
  timestamp: string;
  end_timestamp?: string;
}

export interface RelationOptions {
  /** Half-width of the window around the anchor's span, in ms (default 50). */
  windowMs: number;
  /** Added to the timestamps of UE-side findings before comparing, in ms (default 0). */
  ueClockOffsetMs: number;
}

export const DEFAULT_RELATION: RelationOptions = { windowMs: 50, ueClockOffsetMs: 0 };

/** A related finding and how far it is from the anchor: 0 when the spans overlap, else the gap (signed). */
export interface RelatedFinding<T extends TimedFinding> {
  finding: T;
  /** Signed distance in ms from the anchor's span to the finding's span (negative: before it). */
  deltaMs: number;
}

const NS_PER_MS = 1_000_000n;
const ISO_NS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Nanoseconds since the Unix epoch of an ISO UTC timestamp with up to nine decimals; undefined if not one. */
export function isoToNs(iso: string): bigint | undefined {
  const m = ISO_NS.exec(iso);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}Z`);
  if (!Number.isFinite(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * NS_PER_MS + BigInt(frac);
}

interface Span {
  from: bigint;
  to: bigint;
}

function spanOf(f: TimedFinding, offsetNs: bigint): Span | undefined {
  const from = isoToNs(f.timestamp);
  if (from === undefined) return undefined;
  const end = f.end_timestamp ? isoToNs(f.end_timestamp) : undefined;
  const shift = f.source === 'ue' ? offsetNs : 0n;
  return { from: from + shift, to: (end !== undefined && end > from ? end : from) + shift };
}

/** Signed gap between two spans in ns: 0 when they overlap, negative when `b` ends before `a` starts. */
function gapNs(a: Span, b: Span): bigint {
  if (b.to < a.from) return b.to - a.from;
  if (b.from > a.to) return b.from - a.to;
  return 0n;
}

/**
 * The findings of other sources than the anchor's within `windowMs` of its span (after the UE clock offset),
 * nearest first. Findings of the anchor's own source, the anchor itself and findings without a readable
 * timestamp are left out.
 */
export function relatedAcrossSources<T extends TimedFinding>(
  anchor: TimedFinding,
  candidates: readonly T[],
  options: Partial<RelationOptions> = {},
): RelatedFinding<T>[] {
  const o = { ...DEFAULT_RELATION, ...options };
  const offsetNs = BigInt(Math.round(o.ueClockOffsetMs * 1e6));
  const windowNs = BigInt(Math.round(o.windowMs * 1e6));
  const a = spanOf(anchor, offsetNs);
  if (!a) return [];
  const out: RelatedFinding<T>[] = [];
  for (const c of candidates) {
    if (c.id === anchor.id || c.source === anchor.source) continue;
    const s = spanOf(c, offsetNs);
    if (!s) continue;
    const gap = gapNs(a, s);
    if (gap > windowNs || gap < -windowNs) continue;
    out.push({ finding: c, deltaMs: Number(gap) / 1e6 });
  }
  return out.sort(
    (x, y) => Math.abs(x.deltaMs) - Math.abs(y.deltaMs) || x.finding.timestamp.localeCompare(y.finding.timestamp),
  );
}

/** One store query of candidates: the sources it covers and their raw (stored) time range, ISO with ms. */
export interface CandidateRange {
  sources: string[];
  from: string;
  to: string;
}

/**
 * What to ask the store for, in stored (unshifted) time: the anchor's span widened by the window (and by
 * `lookbackMs` before it, so that a long aggregated finding that started earlier and still overlaps is
 * fetched too), once for the UE side — moved by the clock offset — and once for the capture sources. Two
 * narrow ranges rather than one wide one: an offset of hours between unrelated clocks must not turn the
 * query into the whole session.
 */
export function candidateRanges(
  anchor: TimedFinding,
  options: Partial<RelationOptions> = {},
  lookbackMs = 600_000,
): CandidateRange[] {
  const o = { ...DEFAULT_RELATION, ...options };
  const a = spanOf(anchor, 0n);
  if (!a) return [];
  const fromMs = Number(a.from / NS_PER_MS);
  const toMs = Number(a.to / NS_PER_MS);
  const pad = o.windowMs + 1;
  // Into the UE clock: a UE time t is compared as t + offset; into the capture clock: minus it.
  const toUe = anchor.source === 'ue' ? 0 : -o.ueClockOffsetMs;
  const toCapture = anchor.source === 'ue' ? o.ueClockOffsetMs : 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const range = (sources: string[], shift: number): CandidateRange => ({
    sources,
    from: iso(fromMs + shift - pad - lookbackMs),
    to: iso(toMs + shift + pad + 1),
  });
  return [range(['ue'], toUe), range(['fronthaul', 'timing'], toCapture)];
}
