/**
 * TDEV — time deviation (ITU-T G.8260 Appendix I, I.3; G.810 §B.3), estimated from N samples x_i taken
 * every τ0, for τ = nτ0 (1 ≤ n ≤ N/3):
 *
 *   TDEV(nτ0) = sqrt( 1 / (6n²(N − 3n + 1)) · Σ_{j=1}^{N−3n+1} [ Σ_{i=j}^{n+j−1} (x_{i+2n} − 2x_{i+n} + x_i) ]² )
 *
 * The inner sum is three block sums of n samples, so with prefix sums P each term costs O(1) and each τ
 * O(N). The samples are shifted by their first value first: prefix sums of large offsets (a TAI capture
 * clock is 37 s off) would lose the nanoseconds in double precision; TDEV does not see a constant.
 *
 * Known answers (tests): a linear phase ramp gives 0 (second differences vanish); white phase noise of
 * standard deviation σ gives σ/√n — the inner sum has 3n independent terms of weights 1, −2, 1, variance
 * n·σ²·(1 + 4 + 1) = 6nσ², divided by 6n² gives σ²/n.
 */
export function tdev(x: ArrayLike<number>, n: number): number | undefined {
  return tdevOfPrefix(prefixSums(x), n);
}

/**
 * TDEV at several n of one series: the prefix sums are built once, in `scratch` when given (at least
 * x.length + 1 long; its contents are overwritten).
 */
export function tdevMany(x: ArrayLike<number>, ns: readonly number[], scratch?: Float64Array): (number | undefined)[] {
  const p = prefixSums(x, scratch);
  return ns.map((n) => tdevOfPrefix(p, n));
}

function tdevOfPrefix(p: Float64Array, n: number): number | undefined {
  const N = p.length - 1;
  if (n < 1 || 3 * n > N) return undefined;
  const terms = N - 3 * n + 1;
  let acc = 0;
  for (let j = 0; j < terms; j++) {
    const a = p[j + n]! - p[j]!;
    const b = p[j + 2 * n]! - p[j + n]!;
    const c = p[j + 3 * n]! - p[j + 2 * n]!;
    const s = c - 2 * b + a;
    acc += s * s;
  }
  return Math.sqrt(acc / (6 * n * n * terms));
}

/** P[k] = Σ_{i<k} (x_i − x_0). */
function prefixSums(x: ArrayLike<number>, scratch?: Float64Array): Float64Array {
  const p = scratch !== undefined ? scratch.subarray(0, x.length + 1) : new Float64Array(x.length + 1);
  p[0] = 0;
  const x0 = x.length > 0 ? x[0]! : 0;
  for (let i = 0; i < x.length; i++) p[i + 1] = p[i]! + (x[i]! - x0);
  return p;
}
