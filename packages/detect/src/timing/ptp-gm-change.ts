import { ptpIdentityHex, PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { AnnounceData, compareAnnounce, FOREIGN_MASTER_TIME_WINDOW, isQualifiedAt, readAnnounce } from './ptp-bmca.js';
import { intervalSeconds, isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';

export { AnnounceData, compareAnnounce, isTelecomDomain } from './ptp-bmca.js';

/**
 * `ptp_gm_change` (anomalies.md; IEEE 1588-2019 §9.3): the grandmaster changes within the capture —
 * every change, including a return to an earlier grandmaster. Two views, one finding per change:
 *
 *  - **port**: the grandmasterIdentity in one master port's Announce changes (the port's own BMCA chose
 *    another grandmaster, or it lost its reference and announces itself);
 *  - **BMCA**: the grandmaster a slave of the domain would select changes — the best Announce data set
 *    (§9.3.4 data set comparison: priority1, clockClass, clockAccuracy, offsetScaledLogVariance,
 *    priority2, grandmasterIdentity, then stepsRemoved and the sender's port identity) among the ports
 *    that are qualified foreign masters (FOREIGN_MASTER_THRESHOLD = 2 Announce messages within the sliding
 *    FOREIGN_MASTER_TIME_WINDOW = 4 announce intervals, §9.3.2.4.5 — not 2 in total: one Announce after a
 *    silence does not qualify a port again). This is how a second master
 *    announcing a better clock (a spoofed Announce) shows, even though no port changed its own data.
 *
 * When one Announce changes both (the port that wins the BMCA changes its grandmaster) it is one
 * finding. The BMCA view starts after the first window of the domain (every master has been heard), so
 * the initial choice is not a change. The capture shows what the masters announce, not which one the
 * slave followed: BMCA findings carry a lower confidence.
 */

interface DomainState {
  firstTsNs: bigint;
  settled: boolean;
  bestGmHi: number;
  bestGmLo: number;
  hasBest: boolean;
  bestPort: PtpPort<AnnounceData> | undefined;
}

class GmChangeDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.ANNOUNCE];
  private readonly ports = new PtpPortTable(() => new AnnounceData());
  private readonly domains = new Map<number, DomainState>();

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p) || p.ptp.messageType !== PtpMessageType.ANNOUNCE || p.ptp.clockClass < 0) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const a = port.state;
    const m = p.ptp;
    const oldHi = a.gmHi;
    const oldLo = a.gmLo;
    const portChanged = a.seen && (m.grandmasterIdentityHi !== oldHi || m.grandmasterIdentityLo !== oldLo);
    readAnnounce(p, a);

    let dom = this.domains.get(port.domain);
    if (dom === undefined) {
      dom = { firstTsNs: p.tsNs, settled: false, bestGmHi: 0, bestGmLo: 0, hasBest: false, bestPort: undefined };
      this.domains.set(port.domain, dom);
    }
    // a.lastSec/lastNs: p.tsNs split by readAnnounce
    const best = this.best(port.domain, p.tsNs, a.lastSec, a.lastNs);
    const prevBest = dom.bestPort;
    const bmcaChanged =
      dom.settled &&
      best !== undefined &&
      dom.hasBest &&
      (best.state.gmHi !== dom.bestGmHi || best.state.gmLo !== dom.bestGmLo);
    const fromHi = dom.bestGmHi;
    const fromLo = dom.bestGmLo;
    if (best !== undefined) {
      dom.bestGmHi = best.state.gmHi;
      dom.bestGmLo = best.state.gmLo;
      dom.hasBest = true;
      dom.bestPort = best;
    }
    if (!dom.settled) {
      const interval = intervalSeconds(a.logInterval) ?? 1;
      if (Number(p.tsNs - dom.firstTsNs) >= FOREIGN_MASTER_TIME_WINDOW * interval * 1e9) dom.settled = true;
    }

    if (portChanged) {
      const selected = bmcaChanged && best === port;
      this.report(ctx, p, port, oldHi, oldLo, 'port', selected, undefined);
      if (selected || !bmcaChanged) return;
    }
    if (bmcaChanged && best !== undefined) this.report(ctx, p, best, fromHi, fromLo, 'bmca', true, prevBest);
  }

  /** The best current master port of a domain (§9.3.2.4.5 qualification, §9.3.4 comparison). */
  private best(domain: number, nowNs: bigint, nowSec: number, nowSub: number): PtpPort<AnnounceData> | undefined {
    let best: PtpPort<AnnounceData> | undefined;
    for (const q of this.ports.ports) {
      const d = q.state;
      if (q.domain !== domain || !isQualifiedAt(d, nowNs, nowSec, nowSub)) continue;
      if (best === undefined || compareAnnounce(d, q, best.state, best) < 0) best = q;
    }
    return best;
  }

  private report(
    ctx: DetectContext,
    p: DecodedPacket,
    port: PtpPort<AnnounceData>,
    fromHi: number,
    fromLo: number,
    view: 'port' | 'bmca',
    selected: boolean,
    previousPort: PtpPort<AnnounceData> | undefined,
  ): void {
    const a = port.state;
    const from = ptpIdentityHex(fromHi, fromLo);
    const to = ptpIdentityHex(a.gmHi, a.gmLo);
    const evidence: Record<string, unknown> = {
      from_grandmaster: from,
      to_grandmaster: to,
      view,
      announcing_port: port.id,
      domain: port.domain,
      priority1: a.priority1,
      clock_class: a.clockClass,
      clock_accuracy: a.clockAccuracy,
      offset_scaled_log_variance: a.variance,
      priority2: a.priority2,
      steps_removed: a.stepsRemoved,
      selected_by_bmca: selected,
    };
    if (previousPort !== undefined && previousPort !== port) evidence.previous_port = previousPort.id;
    ctx.report({
      type: 'ptp_gm_change',
      source: 'timing',
      severity: 'major',
      confidence: view === 'port' ? 1 : 0.8,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `ptp_gm_change|${port.domain}|${view}|${port.id}|${to}`,
      description:
        view === 'port'
          ? `PTP port ${port.id} now announces grandmaster ${to} (was ${from}), clockClass ${a.clockClass}`
          : `Best master of PTP domain ${port.domain} changed: grandmaster ${to} via port ${port.id} (was ${from}), clockClass ${a.clockClass}`,
      evidence,
    });
  }

  finish(): void {}
}

export const ptpGmChangeDetector: DetectorDefinition = {
  name: 'ptp-gm-change',
  types: ['ptp_gm_change'],
  thresholds: {},
  reference: 'IEEE 1588-2019 §9.3 (BMCA: §9.3.2.4.5 foreign masters, §9.3.4 data set comparison)',
  create: () => new GmChangeDetector(),
};
