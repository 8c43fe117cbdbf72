/**
 * Limits a time-error report is judged against.
 *
 *  - ITU-T G.8271.1 §7.3 (Table 1), network limit at reference point C (the T-TSC's input in a
 *    fronthaul chain): |TE| ≤ 1.1 µs.
 *  - ITU-T G.8273.2 §7.1, T-BC/T-TSC noise generation, Tables 7-1 to 7-4 (constant temperature):
 *      class A: max|TE| 100 ns, cTE 50 ns, dTE_L MTIE 40 ns, dTE_L TDEV 4 ns
 *      class B: max|TE|  70 ns, cTE 20 ns, dTE_L MTIE 40 ns, dTE_L TDEV 4 ns
 *      class C: max|TE|  30 ns, cTE 10 ns, dTE_L MTIE 10 ns, dTE_L TDEV 2 ns
 *      class D: max|TE_L| 5 ns (0.1 Hz low-pass)
 *    dTE_L limits hold for observation intervals up to 1000 s; cTE is a 1000 s average and the table's
 *    max|TE| is measured over 1000 s — a shorter capture is judged on what it holds and the verdict says so.
 */
export const G8271_1_MAX_ABS_TE_NS = 1100;
export const G8273_2_OBSERVATION_S = 1000;

export type Criterion = 'max_abs_te' | 'cte' | 'dte_l_mtie' | 'dte_l_tdev' | 'max_abs_te_l';

export const G8273_2_CLASSES: ReadonlyArray<{
  cls: 'A' | 'B' | 'C' | 'D';
  limits: Partial<Record<Criterion, number>>;
}> = [
  { cls: 'A', limits: { max_abs_te: 100, cte: 50, dte_l_mtie: 40, dte_l_tdev: 4 } },
  { cls: 'B', limits: { max_abs_te: 70, cte: 20, dte_l_mtie: 40, dte_l_tdev: 4 } },
  { cls: 'C', limits: { max_abs_te: 30, cte: 10, dte_l_mtie: 10, dte_l_tdev: 2 } },
  { cls: 'D', limits: { max_abs_te_l: 5 } },
];

export interface Verdict {
  standard: 'G.8271.1' | 'G.8273.2';
  class: string | null;
  criterion: Criterion;
  limitNs: number;
  valueNs: number;
  pass: boolean;
}

/** The measured values each criterion reads (dTE_L ones: the largest over τ ≤ 1000 s). */
export type CriterionValues = Record<Criterion, number | undefined>;

export function judge(values: CriterionValues): Verdict[] {
  const out: Verdict[] = [];
  const te = values.max_abs_te;
  if (te !== undefined)
    out.push({
      standard: 'G.8271.1',
      class: null,
      criterion: 'max_abs_te',
      limitNs: G8271_1_MAX_ABS_TE_NS,
      valueNs: te,
      pass: te <= G8271_1_MAX_ABS_TE_NS,
    });
  for (const { cls, limits } of G8273_2_CLASSES) {
    for (const [criterion, limit] of Object.entries(limits) as [Criterion, number][]) {
      const v = values[criterion];
      if (v === undefined) continue;
      // cTE is signed: its limit bounds the magnitude.
      out.push({ standard: 'G.8273.2', class: cls, criterion, limitNs: limit, valueNs: v, pass: Math.abs(v) <= limit });
    }
  }
  return out;
}

/**
 * The strictest G.8273.2 class every criterion of which passes, or null. Class D states only max|TE_L|
 * (its other limits are for further study), so D is claimed only when class C's limits hold too.
 */
export function bestClass(verdicts: readonly Verdict[]): 'A' | 'B' | 'C' | 'D' | null {
  const passes = (cls: string): boolean => {
    const rows = verdicts.filter((v) => v.standard === 'G.8273.2' && v.class === cls);
    return rows.length > 0 && rows.every((v) => v.pass);
  };
  if (passes('D') && passes('C')) return 'D';
  for (const cls of ['C', 'B', 'A'] as const) if (passes(cls)) return cls;
  return null;
}
