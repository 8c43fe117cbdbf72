import type { FlowKey } from '@l1t/contracts';
import type { TimingSeries } from '../views/timing-view.js';

/** Per-flow and per-plane/direction state of the rx-window detector (rx-window.ts); created once, reused. */

/** Learning buffer per plane/direction (messages held until the numerology and reference are known). */
export const LEARN_CAPACITY = 512;

/** One coalesced occurrence being built (per flow and type, for one slot). */
export class PendingOcc {
  count = 0;
  slotSerial = 0;
  index = 0;
  tsNs = 0n;
  offset = 0;
  excess = 0;
  worstExcess = 0;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  symbolId = 0;
}

export class RxFlow {
  onTime = 0;
  early = 0;
  late = 0;
  unjudged = 0;
  lastTsNs = 0n;
  readonly pending = [new PendingOcc(), new PendingOcc()];
  // KPI bucket (framework/kpi-buckets.ts): offsets as advance (or delay for UL U-plane) and the margin to the window
  winIndex = -1;
  winTsNs = 0n;
  winN = 0;
  /** [sum of offsets, smallest margin] of the KPI bucket, units of 1/6144 ns (a typed array: no boxing). */
  readonly win = Float64Array.of(0, Infinity);
  /** The file page's timing series of this flow: null until asked, undefined past the view's limit. */
  view: TimingSeries | undefined | null = null;
  constructor(
    readonly index: number,
    readonly key: FlowKey,
    readonly name: string,
  ) {}
}

/** Messages of one plane/direction buffered while learning. */
export class LearnBuffer {
  n = 0;
  readonly ts = new BigInt64Array(LEARN_CAPACITY);
  readonly index = new Float64Array(LEARN_CAPACITY);
  readonly flow: (RxFlow | undefined)[] = new Array<RxFlow | undefined>(LEARN_CAPACITY).fill(undefined);
  readonly radio = new Uint8Array(LEARN_CAPACITY * 4);
  ready = false;
  /** Reference offset (units of 1/6144 ns): 0 in absolute mode, the median in relative mode. */
  reference = 0;
  /** Messages the reference was computed from (relative mode). */
  referencePackets = 0;
}

/** Median of the non-NaN values (0 when there are none). */
export function medianOf(values: Float64Array): { median: number; n: number } {
  const v = values.filter((x) => !Number.isNaN(x)).sort();
  const n = v.length;
  if (n === 0) return { median: 0, n };
  return { median: n % 2 ? v[n >> 1]! : (v[n / 2 - 1]! + v[n / 2]!) / 2, n };
}
