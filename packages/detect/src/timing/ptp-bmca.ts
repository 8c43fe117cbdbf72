import type { DecodedPacket } from '@l1t/capture';
import { intervalSeconds, type PtpPort } from './ptp-ports.js';
import { captureSeconds, nsBetween, splitSubsecondNs } from './capture-seconds.js';

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
  lastSec = 0;
  lastNs = 0;
  /** Capture time of the Announce before the last one (for the qualification window); -1n before. */
  prevTsNs = -1n;
  /** prevTsNs ≥ 0n, tested once per Announce instead of once per qualification test. */
  hasPrev = false;
  /** prevTsNs split (capture-seconds.ts), and the §9.3.2.4.5 window of the last Announce's interval (ns). */
  prevSec = 0;
  prevNs = 0;
  windowNs = 0;
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
  d.hasPrev = d.prevTsNs >= 0n;
  if (d.hasPrev) {
    // The split of the previous Announce, kept from it: no bigint sum per Announce (issue 14).
    d.prevSec = d.lastSec;
    d.prevNs = d.lastNs;
    d.windowNs = qualificationWindowNs(d.logInterval);
  }
  d.lastTsNs = p.tsNs;
  d.lastSec = captureSeconds(p.tsNs);
  d.lastNs = splitSubsecondNs();
  d.lastIndex = p.index;
  d.count++;
  d.seen = true;
}

/**
 * §9.3.2.4.5: a foreign master is qualified when FOREIGN_MASTER_THRESHOLD (2) of its Announce messages
 * fall within FOREIGN_MASTER_TIME_WINDOW (4) announce intervals ending now — the window slides, so one
 * Announce after a long silence does not qualify it again. A slave-only port (clockClass 255) never is.
 * `nowSec`/`nowSub`: `nowNs` split (capture-seconds.ts) by the caller, who tests every port of a domain at the
 * same Announce — no split and no bigint comparison per port and test (issue 14).
 */
export function isQualifiedAt(d: AnnounceData, nowNs: bigint, nowSec: number, nowSub: number): boolean {
  if (!d.seen || !d.hasPrev || d.clockClass === 255) return false;
  // now ≤ prev + window ⇔ now − prev ≤ window: nsSince is exact within 104 days, and beyond (a rounded
  // difference of more than 2^53 ns) still on the same side of a window of at most 4·2^10 s.
  return nsBetween(d.prevTsNs, d.prevSec, d.prevNs, nowNs, nowSec, nowSub) <= d.windowNs;
}

/** FOREIGN_MASTER_TIME_WINDOW announce intervals in ns, per logInterval −10..10 (an unspecified one counts 1 s). */
const WINDOW_NS = Array.from({ length: 21 }, (_, i) => windowNs(i - 10));

function windowNs(logInterval: number): number {
  // Whole ns for every Integer8 interval (4 × 2^−10 s = 3 906 250 ns); floor keeps `diff ≤ window` exact otherwise.
  return Math.floor(FOREIGN_MASTER_TIME_WINDOW * (intervalSeconds(logInterval) ?? 1) * 1e9);
}

function qualificationWindowNs(logInterval: number): number {
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

/** The §9.3.4 steps in the order they are compared (index: {@link decidingStepIndex}). */
const STEPS: readonly BmcaStep[] = [
  'priority1',
  'clockClass',
  'clockAccuracy',
  'offsetScaledLogVariance',
  'priority2',
  'grandmasterIdentity',
  'stepsRemoved',
  'portIdentity',
];

/**
 * The index in {@link STEPS} of the first §9.3.4 step at which `a` and `b` differ. Ports are compared by
 * grandmaster data first (Figure 34), then stepsRemoved and the sender's port identity (Figure 35). In a
 * G.8275.1 domain priority1 takes no part (G.8275.1 §6.3.1: the alternate BMCA does not compare it), so a
 * spoofed priority1 of 0 alone does not win there. A number, not an object: `ptp_gm_change` compares the
 * qualified ports on every Announce.
 */
function decidingStepIndex(a: AnnounceData, ap: PtpPort<unknown>, b: AnnounceData): number {
  if (a.gmHi !== b.gmHi || a.gmLo !== b.gmLo) {
    if (!isTelecomDomain(ap.domain) && a.priority1 !== b.priority1) return 0;
    if (a.clockClass !== b.clockClass) return 1;
    if (a.clockAccuracy !== b.clockAccuracy) return 2;
    if (a.variance !== b.variance) return 3;
    if (a.priority2 !== b.priority2) return 4;
    return 5;
  }
  if (a.stepsRemoved !== b.stepsRemoved) return 6;
  return 7;
}

/** `a` against `b` at one step (negative: `a` is better). */
function stepSign(step: number, a: AnnounceData, ap: PtpPort<unknown>, b: AnnounceData, bp: PtpPort<unknown>): number {
  switch (step) {
    case 0:
      return a.priority1 - b.priority1;
    case 1:
      return a.clockClass - b.clockClass;
    case 2:
      return a.clockAccuracy - b.clockAccuracy;
    case 3:
      return a.variance - b.variance;
    case 4:
      return a.priority2 - b.priority2;
    case 5:
      return a.gmHi - b.gmHi || a.gmLo - b.gmLo;
    case 6:
      return a.stepsRemoved - b.stepsRemoved;
    default:
      return ap.clockHi - bp.clockHi || ap.clockLo - bp.clockLo || ap.port - bp.port;
  }
}

/** The first §9.3.4 step at which `a` and `b` differ and its sign (negative: `a` is better). */
export function decidingStep(
  a: AnnounceData,
  ap: PtpPort<unknown>,
  b: AnnounceData,
  bp: PtpPort<unknown>,
): { step: BmcaStep; sign: number } {
  const i = decidingStepIndex(a, ap, b);
  return { step: STEPS[i]!, sign: stepSign(i, a, ap, b, bp) };
}

/** §9.3.4 data set comparison: negative when `a` is better than `b`. */
export function compareAnnounce(a: AnnounceData, ap: PtpPort<unknown>, b: AnnounceData, bp: PtpPort<unknown>): number {
  return stepSign(decidingStepIndex(a, ap, b), a, ap, b, bp);
}
