/** Evidence keys that state a limit rather than an observation: shown in the threshold column. */
export const THRESHOLD_KEY =
  /(threshold|limit|window|expected|budget|allowed|^min_|^max_|_min$|_max$|bound|tolerance)/i;

/** One row of the evidence table: an observation and the limit it is judged against, when there is one. */
export interface EvidenceRow {
  observed?: [string, unknown];
  limit?: [string, unknown];
}

const UNIT = /_(ms|us|ns|s|db|dbfs|dbm|ppm|ratio|pct|prbs?|packets?|messages?|intervals?)$/i;

/** What a limit key limits: `threshold_ms` → unit `ms`; `expected_seq` → `seq`; `max_gap_ms` → `gap_ms`. */
function limitSubject(key: string): { base: string; unit: string | undefined } {
  const base = key
    .replace(/^(expected|min|max|allowed|threshold|limit)_/i, '')
    .replace(/_(threshold|limit|min|max|allowed|budget|bound|tolerance)(?=_|$)/gi, '');
  return { base, unit: UNIT.exec(key)?.[1]?.toLowerCase() };
}

/**
 * Pairs each limit with the observation it bounds, by key (issue 16: pairing by position set `gap_ms`
 * beside `interval_ms`'s neighbour): first the same subject (`expected_seq` ↔ `got_seq`/`seq`,
 * `max_gap_ms` ↔ `gap_ms`), then the one observation with the same unit (`threshold_ms` ↔ `gap_ms` when it is
 * the only `_ms` observation). Observations without a limit and limits without an observation get rows of
 * their own; order is the evidence's.
 */
export function pairEvidence(evidence: Record<string, unknown>): EvidenceRow[] {
  const entries = Object.entries(evidence);
  const observed = entries.filter(([k]) => !THRESHOLD_KEY.test(k));
  const limits = entries.filter(([k]) => THRESHOLD_KEY.test(k));
  const partner = new Map<string, [string, unknown]>();
  const taken = new Set<string>();
  for (const l of limits) {
    const { base, unit } = limitSubject(l[0]);
    const free = observed.filter(([k]) => !taken.has(k));
    let match =
      free.find(([k]) => k === base) ??
      free.find(([k]) => k === `got_${base}` || k === `observed_${base}` || k === `actual_${base}`);
    if (!match && unit) {
      const sameUnit = free.filter(([k]) => UNIT.exec(k)?.[1]?.toLowerCase() === unit);
      // A configured interval or period is the scale of the limit, not what it bounds (3 × interval_ms ≥ gap_ms).
      const measured = sameUnit.filter(([k]) => !/interval|period|rate|nominal/i.test(k));
      if (sameUnit.length === 1) match = sameUnit[0];
      else if (measured.length === 1) match = measured[0];
    }
    if (match) {
      partner.set(match[0], l);
      taken.add(match[0]);
    }
  }
  const rows: EvidenceRow[] = observed.map((o) => ({
    observed: o,
    ...(partner.has(o[0]) ? { limit: partner.get(o[0])! } : {}),
  }));
  const paired = new Set([...partner.values()].map(([k]) => k));
  for (const l of limits) if (!paired.has(l[0])) rows.push({ limit: l });
  return rows;
}
