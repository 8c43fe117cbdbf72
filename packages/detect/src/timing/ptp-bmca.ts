import type { DecodedPacket } from '@l1t/capture';
import { intervalSeconds, type PtpPort } from './ptp-ports.js';

/**
 * The parts of the best master clock algorithm (IEEE 1588-2019 §9.3) that a capture can replay: the
 * Announce data set of each master port, foreign-master qualification (§9.3.2.4.5) and the data set
 * comparison (§9.3.4). Shared by `ptp_gm_change` (the best master changes) and `ptp_competing_masters`
 * (two grandmasters qualified at once).
 */

/** §9.3.2.4.5 FOREIGN_MASTER_TIME_WINDOW (announce intervals) and FOREIGN_MASTER_THRESHOLD (messages). */
export const FOREIGN_MASTER_TIME_WINDOW = 4;
export const FOREIGN_MASTER_THRESHOLD = 2;

export class AnnounceData {
  seen = false;
  gmHi = 0;
  gmLo = 0;
  priority1 = 0;
  clockClass = 0;
  clockAccuracy = 0;
  variance = 0;
  priority2 = 0;
  stepsRemoved = 0;
  /** Announce messages received. */
  count = 0;
  lastTsNs = 0n;
  /** Capture time of the Announce before the last one (for the qualification window); -1n before. */
  prevTsNs = -1n;
  /**
   * prevTsNs + the §9.3.2.4.5 window of the last Announce's interval: qualified while now ≤ this. Kept with
   * prevTsNs so that {@link isQualified}, asked for every port on every Announce, is one comparison.
   */
  qualifiedUntilNs = -1n;
  lastIndex = 0;
  logInterval = 0x7f;
}

/** G.8275.1 domains (§6.2.1: 24–43, default 24) use the alternate BMCA of G.8275.1 §6.3, without priority1. */
export function isTelecomDomain(domain: number): boolean {
  return domain >= 24 && domain <= 43;
}

/** Copies an Announce (valid, with a body) into the port's data set. */
export function readAnnounce(p: DecodedPacket, d: AnnounceData): void {
  const m = p.ptp;
  d.gmHi = m.grandmasterIdentityHi;
  d.gmLo = m.grandmasterIdentityLo;
  d.priority1 = m.grandmasterPriority1;
  d.clockClass = m.clockClass;
  d.clockAccuracy = m.clockAccuracy;
  d.variance = m.offsetScaledLogVariance;
  d.priority2 = m.grandmasterPriority2;
  d.stepsRemoved = m.stepsRemoved;
  d.logInterval = m.logMessageInterval;
  d.prevTsNs = d.count > 0 ? d.lastTsNs : -1n;
  if (d.prevTsNs >= 0n) d.qualifiedUntilNs = d.prevTsNs + qualificationWindowNs(d.logInterval);
  d.lastTsNs = p.tsNs;
  d.lastIndex = p.index;
  d.count++;
  d.seen = true;
}

/**
 * §9.3.2.4.5: a foreign master is qualified when FOREIGN_MASTER_THRESHOLD (2) of its Announce messages
 * fall within FOREIGN_MASTER_TIME_WINDOW (4) announce intervals ending now — the window slides, so one
 * Announce after a long silence does not qualify it again. A slave-only port (clockClass 255) never is.
 */
export function isQualified(d: AnnounceData, nowNs: bigint): boolean {
  if (!d.seen || d.prevTsNs < 0n || d.clockClass === 255) return false;
  return nowNs <= d.qualifiedUntilNs;
}

/** FOREIGN_MASTER_TIME_WINDOW announce intervals in ns, per logInterval −10..10 (an unspecified one counts 1 s). */
const WINDOW_NS = Array.from({ length: 21 }, (_, i) => windowNs(i - 10));

function windowNs(logInterval: number): bigint {
  // Whole ns for every Integer8 interval (4 × 2^−10 s = 3 906 250 ns); floor keeps `diff ≤ window` exact otherwise.
  return BigInt(Math.floor(FOREIGN_MASTER_TIME_WINDOW * (intervalSeconds(logInterval) ?? 1) * 1e9));
}

function qualificationWindowNs(logInterval: number): bigint {
  return WINDOW_NS[logInterval + 10] ?? windowNs(logInterval);
}

/** The §9.3.4 steps, in order, as the finding names them. */
export type BmcaStep =
  | 'priority1'
  | 'clockClass'
  | 'clockAccuracy'
  | 'offsetScaledLogVariance'
  | 'priority2'
  | 'grandmasterIdentity'
  | 'stepsRemoved'
  | 'portIdentity';

/**
 * The first §9.3.4 step at which `a` and `b` differ and its sign (negative: `a` is better). Ports are
 * compared by grandmaster data first (Figure 34), then stepsRemoved and the sender's port identity
 * (Figure 35). In a G.8275.1 domain priority1 takes no part (G.8275.1 §6.3.1: the alternate BMCA does not
 * compare it), so a spoofed priority1 of 0 alone does not win there.
 */
export function decidingStep(
  a: AnnounceData,
  ap: PtpPort<unknown>,
  b: AnnounceData,
  bp: PtpPort<unknown>,
): { step: BmcaStep; sign: number } {
  if (a.gmHi !== b.gmHi || a.gmLo !== b.gmLo) {
    if (!isTelecomDomain(ap.domain) && a.priority1 !== b.priority1)
      return { step: 'priority1', sign: a.priority1 - b.priority1 };
    if (a.clockClass !== b.clockClass) return { step: 'clockClass', sign: a.clockClass - b.clockClass };
    if (a.clockAccuracy !== b.clockAccuracy) return { step: 'clockAccuracy', sign: a.clockAccuracy - b.clockAccuracy };
    if (a.variance !== b.variance) return { step: 'offsetScaledLogVariance', sign: a.variance - b.variance };
    if (a.priority2 !== b.priority2) return { step: 'priority2', sign: a.priority2 - b.priority2 };
    return { step: 'grandmasterIdentity', sign: a.gmHi - b.gmHi || a.gmLo - b.gmLo };
  }
  if (a.stepsRemoved !== b.stepsRemoved) return { step: 'stepsRemoved', sign: a.stepsRemoved - b.stepsRemoved };
  return { step: 'portIdentity', sign: ap.clockHi - bp.clockHi || ap.clockLo - bp.clockLo || ap.port - bp.port };
}

/** §9.3.4 data set comparison: negative when `a` is better than `b`. */
export function compareAnnounce(a: AnnounceData, ap: PtpPort<unknown>, b: AnnounceData, bp: PtpPort<unknown>): number {
  return decidingStep(a, ap, b, bp).sign;
}
