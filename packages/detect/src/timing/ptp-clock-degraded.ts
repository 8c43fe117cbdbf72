import { isReservedClockClass, ptpIdentityHex, PtpMessageType, type DecodedPacket } from '@l1t/capture';
import type { Severity } from '@l1t/contracts';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { isPtp, PtpPortTable } from './ptp-ports.js';

/**
 * `ptp_clock_degraded` (anomalies.md; ITU-T G.8275.1 Table 2): the clockClass a master port announces
 * worsens — every step, e.g. 6 → 7 (holdover within specification), → 135 (T-BC holdover within
 * specification), → 140/150/160 (T-GM holdover out of specification, categories 1–3), → 165 (T-BC out of
 * specification), → 248 (free-running), → 255 (slave-only). The telecom classes are ordered so that a
 * larger number is a worse clock; values outside Table 2 are compared the same way (IEEE 1588-2019
 * §7.6.2.5: lower is better). A return to a better class is not a finding, nor a step into a reserved
 * class, nor the step back from a reserved class (Table 4; `ptp_malformed` reports it) to the valid class the port announced before it or a
 * better one: the port's quality did not change (a single Announce with class 1 between two with class 6
 * would otherwise make "1 → 6 (locked to PRTC)" a degradation). A reserved class a port starts with keeps
 * its place as the baseline: nothing valid came before it.
 *
 * Severity: free-run (248) and slave-only (255) — the O-RU is no longer traceable to a PRTC — are
 * `critical` (anomalies.md §Severity: PTP free-run); out-of-specification holdover classes are `major`;
 * holdover within specification (7, 135) is an in-spec transition, `info`.
 */
export const CLOCK_CLASS_MEANING: Readonly<Record<number, string>> = {
  6: 'locked to PRTC',
  7: 'T-GM holdover, within specification',
  135: 'T-BC holdover, within specification',
  140: 'T-GM holdover, out of specification (category 1)',
  150: 'T-GM holdover, out of specification (category 2)',
  160: 'T-GM holdover, out of specification (category 3)',
  165: 'T-BC holdover, out of specification',
  248: 'free-running',
  255: 'slave-only',
};

export function clockClassMeaning(c: number): string {
  return CLOCK_CLASS_MEANING[c] ?? 'not a G.8275.1 class';
}

/** G.8275.1 Table 2 holdover classes that are still within specification (the clock keeps its budget). */
const IN_SPEC_HOLDOVER = new Set([7, 135]);

/**
 * The severity of moving to `clockClass` (anomalies.md §Severity): an in-specification transition (to 7 or
 * 135, holdover within specification) is `info`, out-of-specification holdover `major`, free-run and
 * slave-only `critical`.
 */
export function degradedSeverity(clockClass: number): Severity {
  if (clockClass >= 248) return 'critical';
  return IN_SPEC_HOLDOVER.has(clockClass) ? 'info' : 'major';
}

class ClassState {
  clockClass = -1;
  /** The last class announced that Table 4 does not reserve (−1: none yet). */
  validClass = -1;
  gmHi = 0;
  gmLo = 0;
}

class ClockDegradedDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.ANNOUNCE];
  private readonly ports = new PtpPortTable(() => new ClassState());

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p) || p.ptp.messageType !== PtpMessageType.ANNOUNCE || p.ptp.clockClass < 0) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const s = port.state;
    const m = p.ptp;
    const from = s.clockClass;
    const fromHi = s.gmHi;
    const fromLo = s.gmLo;
    s.clockClass = m.clockClass;
    const validBefore = s.validClass;
    if (!isReservedClockClass(m.clockClass)) s.validClass = m.clockClass;
    const gmChanged = s.gmHi !== m.grandmasterIdentityHi || s.gmLo !== m.grandmasterIdentityLo;
    s.gmHi = m.grandmasterIdentityHi;
    s.gmLo = m.grandmasterIdentityLo;
    if (from < 0 || m.clockClass <= from) return;
    // a reserved class says nothing about the clock's quality (ptp_malformed reports it): no step into one,
    // and none back from one to the last valid class or better
    if (isReservedClockClass(m.clockClass)) return;
    if (isReservedClockClass(from) && validBefore >= 0 && m.clockClass <= validBefore) return;
    const to = m.clockClass;
    const gm = ptpIdentityHex(m.grandmasterIdentityHi, m.grandmasterIdentityLo);
    const evidence: Record<string, unknown> = {
      from_class: from,
      to_class: to,
      from_meaning: clockClassMeaning(from),
      to_meaning: clockClassMeaning(to),
      grandmaster: gm,
      clock_accuracy: m.clockAccuracy,
      offset_scaled_log_variance: m.offsetScaledLogVariance,
      time_source: m.timeSource,
      announcing_port: port.id,
      domain: port.domain,
    };
    if (gmChanged) evidence.previous_grandmaster = ptpIdentityHex(fromHi, fromLo);
    ctx.report({
      type: 'ptp_clock_degraded',
      source: 'timing',
      severity: degradedSeverity(to),
      confidence: 1,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `ptp_clock_degraded|${port.domain}|${port.id}|${to}`,
      description: `PTP port ${port.id} clockClass ${from} → ${to} (${clockClassMeaning(to)})`,
      evidence,
    });
  }

  finish(): void {}
}

export const ptpClockDegradedDetector: DetectorDefinition = {
  name: 'ptp-clock-degraded',
  types: ['ptp_clock_degraded'],
  thresholds: {},
  reference: 'ITU-T G.8275.1 Table 2 (clockClass); IEEE 1588-2019 §7.6.2.5',
  create: () => new ClockDegradedDetector(),
};
