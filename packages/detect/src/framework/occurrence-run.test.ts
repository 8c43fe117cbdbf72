import type { AnomalyDraft, Severity } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregator.js';
import type { Occurrence } from './detector.js';
import { RUN_CONFIDENCE, RUN_FIRST_VALUE, RUN_MAGNITUDE } from './occurrence-run.js';

/** Deterministic numbers (xorshift32) in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const TOTALS_A: Record<string, number> = Object.freeze({ a: 1, b: 0 });
const TOTALS_B: Record<string, number> = Object.freeze({ a: 0, b: 1 });
const SEVERITIES: Severity[] = ['minor', 'major', 'critical'];

/**
 * What a detector keeps of one occurrence (the run's `values`): confidence and magnitude where the run reads
 * them, then value, sequence, severity, totals kind.
 */
const VALUE = RUN_FIRST_VALUE;
const SEQ = RUN_FIRST_VALUE + 1;
const SEV = RUN_FIRST_VALUE + 2;
const KIND = RUN_FIRST_VALUE + 3;
const VALUES = RUN_FIRST_VALUE + 4;

function occurrence(key: string, tsNs: bigint, packetIndex: number, v: Float64Array): Occurrence {
  return {
    type: 'test_fault',
    source: 'timing',
    severity: SEVERITIES[v[SEV]!]!,
    confidence: v[RUN_CONFIDENCE]!,
    tsNs,
    packetIndex,
    packetCount: 1,
    aggregationKey: key,
    description: `fault ${v[SEQ]}`,
    evidence: { value: v[VALUE], seq: v[SEQ] },
    magnitude: v[RUN_MAGNITUDE]!,
    totals: v[KIND] === 0 ? TOTALS_A : TOTALS_B,
  };
}

interface Event {
  key: string;
  tsNs: bigint;
  index: number;
  v: Float64Array;
  /** Capture time of the packet after it: the detection sweeps there (aggregator.advance). */
  sweepAt: bigint | undefined;
}

/** Occurrences of a few keys: runs of close ones, gaps beyond the burst gap, time going back, equal values. */
function events(seed: number, n: number): Event[] {
  const rand = rng(seed);
  const out: Event[] = [];
  let t = 1_700_000_000_000_000_000n;
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.85)
      t += BigInt(Math.floor(rand() * 200e6)); // within the 1 s burst gap
    else if (r < 0.95)
      t += BigInt(Math.floor(1e9 + rand() * 3e9)); // beyond it
    else t -= BigInt(Math.floor(rand() * 2e9)); // back in time
    const value = Math.round((rand() - 0.5) * 40); // ties in magnitude are common
    const v = new Float64Array(VALUES);
    v[VALUE] = value;
    v[SEQ] = i;
    v[SEV] = Math.floor(rand() * 3);
    v[RUN_CONFIDENCE] = rand() < 0.5 ? 0.8 : 1;
    v[RUN_MAGNITUDE] = Math.abs(value);
    v[KIND] = rand() < 0.3 ? 1 : 0;
    out.push({ key: `k${Math.floor(rand() * 3)}`, tsNs: t, index: i + 1, v, sweepAt: rand() < 0.2 ? t : undefined });
  }
  return out;
}

function run(evs: Event[], maxOpen: number, batched: boolean): AnomalyDraft[] {
  const agg = new Aggregator({ maxOpen });
  const drafts: AnomalyDraft[] = [];
  for (const e of evs) {
    if (batched) {
      const r = agg.run(e.key, (ts, index, v) => occurrence(e.key, ts, index, v), VALUES);
      const sev = SEVERITIES[e.v[SEV]!]!;
      if (!r.extend(e.tsNs, e.index, sev, e.v[KIND] === 0 ? TOTALS_A : TOTALS_B, e.v)) {
        const o = occurrence(e.key, e.tsNs, e.index, e.v.slice());
        agg.add(o);
        r.started(o);
      }
    } else agg.add(occurrence(e.key, e.tsNs, e.index, e.v.slice()));
    if (e.sweepAt !== undefined) {
      agg.advance(e.sweepAt);
      drafts.push(...agg.drainClosed());
    }
  }
  drafts.push(...agg.finish());
  return drafts;
}

/** An aggregator (default 1 s burst gap) whose key 'k' has a run started by one occurrence at t0 = 10 s. */
function runStartedAt10s() {
  const agg = new Aggregator();
  const key = 'k';
  const r = agg.run(key, (ts, index, v) => occurrence(key, ts, index, v), VALUES);
  const v = new Float64Array(VALUES);
  v[VALUE] = 3;
  v[SEV] = 1;
  v[RUN_CONFIDENCE] = 1;
  v[RUN_MAGNITUDE] = 3;
  const t0 = 10_000_000_000n;
  const first = occurrence(key, t0, 1, v.slice());
  agg.add(first);
  r.started(first);
  return { agg, r, v, t0 };
}

describe('OccurrenceRun (repeated occurrences merged without a report each)', () => {
  it.each([1, 2, 3, 4, 5, 6])('gives the anomalies of one add() per occurrence (seed %i)', (seed) => {
    const evs = events(seed, 3000);
    for (const maxOpen of [4096, 2, 1]) {
      const one = run(evs, maxOpen, false);
      const batched = run(evs, maxOpen, true);
      expect(batched).toEqual(one);
      // the sequence has long bursts of several keys (and forced closes when maxOpen is small)
      expect(one.length).toBeGreaterThan(20);
      if (maxOpen === 4096) expect(Math.max(...one.map((a) => a.packet_count))).toBeGreaterThan(10);
    }
  });

  it('keeps nothing back: each run is merged before a sweep may close its anomaly', () => {
    const { agg, r, v, t0 } = runStartedAt10s();
    for (let i = 1; i <= 10; i++)
      expect(r.extend(t0 + BigInt(i) * 100_000_000n, i + 1, 'major', TOTALS_A, v)).toBe(true);
    // 2 s after the last one the anomaly closes: with all 11 occurrences in it
    agg.advance(t0 + 1_000_000_000n + 2_000_000_000n);
    const closed = agg.drainClosed();
    expect(closed).toHaveLength(1);
    expect([closed[0]!.packet_count, closed[0]!.evidence['occurrences']]).toEqual([11, 11]);
    expect(closed[0]!.evidence['totals']).toEqual({ a: 11, b: 0 });
    // the run stopped with its anomaly: the next occurrence is reported again
    expect(r.extend(t0 + 3_500_000_000n, 20, 'major', TOTALS_A, v)).toBe(false);
  });

  it('continues a run one burst gap after the previous occurrence, however far from the first', () => {
    const { agg, r, v, t0 } = runStartedAt10s(); // burst gap 1 s
    // 600 ms apart: each within 1 s of the one before, the fifth 3 s after the first
    for (let i = 1; i <= 5; i++)
      expect(r.extend(t0 + BigInt(i) * 600_000_000n, i + 1, 'major', TOTALS_A, v)).toBe(true);
    // 1.5 s after the last one: past the edge, reported again (the run is merged first)
    expect(r.extend(t0 + 4_500_000_000n, 7, 'major', TOTALS_A, v)).toBe(false);
    expect(agg.finish().map((a) => a.packet_count)).toEqual([6]);
  });
});
