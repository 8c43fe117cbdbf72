import { formatMac, type DecodedPacket, type EcpriMessage } from '@l1t/capture';
import {
  ECPRI_PACKETS,
  type DetectContext,
  type Detector,
  type DetectorDefinition,
  type ResolvedThresholds,
  type ThresholdOption,
} from '../framework/detector.js';
import { flowKeyOf } from '../framework/flow.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import { marginConfidence } from '../framework/confidence.js';

/**
 * `ecpri_delay_budget` (anomalies.md; eCPRI v2.0 §3.2.4.6 one-way delay measurement, message type 5):
 *
 *   Request (action 0x00; or 0x01 + Follow_Up 0x05 carrying the time stamp): t1, compensation tCV1
 *   Response (action 0x02, same Measurement ID, back to the requester):     t2, compensation tCV2
 *   one-way delay  tD = (t2 − tCV2) − (t1 + tCV1)
 *
 * Compensation values are ns × 2^16. A measurement started by the O-DU measures the DL transport delay
 * T12 (O-DU → O-RU), one started by the O-RU the UL delay T34 (O-RU → O-DU), as O-RAN WG4 CUS §2.3
 * names them. The O-DU is recognised as the sender of C-plane (and DL U-plane) messages; before that is
 * known the direction is reported as `unknown`. Remote requests (0x03/0x04) only ask the peer to start a
 * measurement and carry no delay.
 *
 * Budget: the profile's `timing.ecpri_delay_budget_us`, else the `budget_us` option. Each measurement also
 * emits the metric `ecpri_one_way_delay_us` (labels `direction`).
 */
export const ECPRI_DELAY_BUDGET_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'budget_us',
    default: 100,
    unit: 'µs',
    description:
      'One-way delay budget (strictly above it is reported) when the profile has no timing.ecpri_delay_budget_us.',
  },
];

const ACTION_REQUEST = 0;
const ACTION_REQUEST_FOLLOW_UP = 1;
const ACTION_RESPONSE = 2;
const ACTION_FOLLOW_UP = 5;
const MAX_DU_MACS = 16;

class Pending {
  active = false;
  /** t1 known (a Request, or a Follow_Up after a Request with Follow_Up). */
  stamped = false;
  requester = -1;
  responder = -1;
  t1Sec = 0;
  t1Ns = 0;
  cv1Ns = 0;
  index = 0;
  tsNs = 0n;
}

function macAt(d: Uint8Array, o: number): number {
  if (o < 0 || o + 6 > d.length) return -1;
  return (
    d[o]! * 0x100_0000_0000 +
    d[o + 1]! * 0x1_0000_0000 +
    ((d[o + 2]! << 24) >>> 0) +
    (d[o + 3]! << 16) +
    (d[o + 4]! << 8) +
    d[o + 5]!
  );
}

function compensationNs(m: EcpriMessage): number {
  return (m.compensationHi * 0x1_0000_0000 + m.compensationLo) / 65536;
}

class EcpriDelayBudgetDetector implements Detector {
  readonly packetKinds = ECPRI_PACKETS;
  private readonly pending: Pending[] = Array.from({ length: 256 }, () => new Pending());
  private readonly duMacs: number[] = [];
  private readonly budgetUs: number;

  constructor(t: ResolvedThresholds, profileBudgetUs: number | undefined) {
    this.budgetUs = profileBudgetUs ?? numberOption(t, 'ecpri_delay_budget', 'budget_us', 100);
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (p.kind !== 'ecpri') return;
    if (p.hasOran && (p.oran.plane === 'c' || p.oran.dataDirection === 1)) {
      this.learnDu(macAt(p.data, p.link.srcMacOffset));
      return;
    }
    for (let i = 0; i < p.ecpri.count; i++) {
      const m = p.ecpri.messages[i]!;
      if (m.messageType === 5 && m.measurementId >= 0 && m.actionType >= 0) this.onDelayMessage(p, m, ctx);
    }
  }

  private learnDu(mac: number): void {
    if (mac < 0 || this.duMacs.length >= MAX_DU_MACS) return;
    for (let i = 0; i < this.duMacs.length; i++) if (this.duMacs[i] === mac) return;
    this.duMacs.push(mac);
  }

  private isDu(mac: number): boolean {
    for (let i = 0; i < this.duMacs.length; i++) if (this.duMacs[i] === mac) return true;
    return false;
  }

  private onDelayMessage(p: DecodedPacket, m: EcpriMessage, ctx: DetectContext): void {
    const src = macAt(p.data, p.link.srcMacOffset);
    const dst = macAt(p.data, p.link.dstMacOffset);
    const slot = this.pending[m.measurementId & 0xff]!;
    switch (m.actionType) {
      case ACTION_REQUEST:
      case ACTION_REQUEST_FOLLOW_UP:
        slot.active = true;
        slot.requester = src;
        slot.responder = dst;
        slot.index = p.index;
        slot.tsNs = p.tsNs;
        slot.stamped = m.actionType === ACTION_REQUEST && m.timestampSec >= 0;
        if (slot.stamped) this.stamp(slot, m);
        return;
      case ACTION_FOLLOW_UP:
        if (slot.active && slot.requester === src && m.timestampSec >= 0) {
          this.stamp(slot, m);
          slot.stamped = true;
        }
        return;
      case ACTION_RESPONSE:
        if (!slot.active || !slot.stamped || slot.requester !== dst || m.timestampSec < 0) return;
        slot.active = false;
        this.measured(p, m, slot, ctx);
        return;
      default:
        return;
    }
  }

  private stamp(slot: Pending, m: EcpriMessage): void {
    slot.t1Sec = m.timestampSec;
    slot.t1Ns = m.timestampNs;
    slot.cv1Ns = compensationNs(m);
  }

  private measured(p: DecodedPacket, m: EcpriMessage, req: Pending, ctx: DetectContext): void {
    const cv2 = compensationNs(m);
    const delayNs = (m.timestampSec - req.t1Sec) * 1e9 + (m.timestampNs - req.t1Ns) - cv2 - req.cv1Ns;
    const delayUs = delayNs / 1000;
    const direction = this.isDu(req.requester) ? 'T12' : this.isDu(req.responder) ? 'T34' : 'unknown';
    ctx.metric({
      timestamp: isoNs(p.tsNs),
      source: 'timing',
      name: 'ecpri_one_way_delay_us',
      labels: { direction },
      value: Math.round(delayUs * 1000) / 1000,
    });
    if (!(delayUs > this.budgetUs)) return;
    const flow = flowKeyOf(p);
    const requester = formatMac(p.data, p.link.dstMacOffset);
    ctx.report({
      type: 'ecpri_delay_budget',
      source: 'timing',
      severity: 'major',
      // margin: how far past the budget, on the budget's scale
      confidence: marginConfidence(delayUs - this.budgetUs, this.budgetUs, 0.7, 0.29),
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 2,
      flow,
      aggregationKey: `ecpri_delay_budget|${direction}|${requester ?? ''}`,
      description: `eCPRI one-way delay ${direction === 'unknown' ? '' : `${direction} `}${delayUs.toFixed(1)} µs exceeds the budget of ${this.budgetUs} µs`,
      evidence: {
        delay_us: Math.round(delayUs * 1000) / 1000,
        budget_us: this.budgetUs,
        direction,
        measurement_id: m.measurementId,
        t1: `${req.t1Sec}.${String(req.t1Ns).padStart(9, '0')}`,
        t2: `${m.timestampSec}.${String(m.timestampNs).padStart(9, '0')}`,
        t_cv1_ns: req.cv1Ns,
        t_cv2_ns: cv2,
        request_packet_index: req.index,
        request_timestamp: isoNs(req.tsNs),
        requester_mac: requester,
      },
    });
  }

  finish(): void {}
}

export const ecpriDelayBudgetDetector: DetectorDefinition = {
  name: 'ecpri-delay-budget',
  types: ['ecpri_delay_budget'],
  thresholds: { ecpri_delay_budget: ECPRI_DELAY_BUDGET_OPTIONS },
  reference: 'eCPRI v2.0 §3.2.4.6 (one-way delay measurement); O-RAN WG4 CUS §2.3 (T12, T34)',
  create: ({ profile, thresholds }) => new EcpriDelayBudgetDetector(thresholds, profile?.timing?.ecpri_delay_budget_us),
};
