import type { AnomalyDraft } from '@l1t/contracts';
import { isoNs } from '../time-format.js';

/** One decoded RRC OTA message (LTE 0xB0C0, NR 0xB821) as the RRC detector sees it. */
export interface RrcMessageSample {
  tsNs: bigint;
  recordIndex: number;
  /** `nr` for an NR RRC message (0xB821); LTE when absent. */
  rat?: 'lte' | 'nr' | undefined;
  /** Cell of the packet header. */
  pci: number;
  /** LTE E-ARFCN (LTE messages). */
  earfcn?: number | undefined;
  /** NR-ARFCN (NR messages). */
  arfcn?: number | undefined;
  /** Logical channel (`UL-CCCH`, `DL-CCCH` …) and message name (TS 36.331 c1 alternative). */
  channel: string | null;
  message: string | undefined;
  /** RRCConnectionReestablishmentRequest contents, when it is one (the NR request's are not decoded). */
  reestablishmentCause?: string | undefined;
  cRnti?: number | undefined;
  /** physCellId of the request: the cell where the failure happened. */
  failedPci?: number | undefined;
}

/** How long the network's answer to a re-establishment request is awaited (T301 is at most 2 s). */
const ANSWER_WINDOW_NS = 5_000_000_000n;

interface Pending {
  first: RrcMessageSample;
  last: RrcMessageSample;
  count: number;
}

const TRIGGER: Record<string, string> = {
  otherFailure: 'radio link failure (or integrity failure)',
  handoverFailure: 'handover failure',
  reconfigurationFailure: 'reconfiguration failure',
};

/** Re-establishment requests (UL-CCCH): LTE RRCConnectionReestablishmentRequest, NR RRCReestablishmentRequest. */
const REQUESTS = new Set(['rrcConnectionReestablishmentRequest', 'rrcReestablishmentRequest']);

/** The network's answers that end a request, per RAT: channel, message → outcome. */
const ANSWERS: Readonly<Record<'lte' | 'nr', Readonly<Record<string, string>>>> = {
  lte: {
    'DL-CCCH rrcConnectionReestablishment': 're-established (RRCConnectionReestablishment)',
    'DL-CCCH rrcConnectionReestablishmentReject': 'rejected (RRCConnectionReestablishmentReject): connection dropped',
  },
  // TS 38.331 §5.3.7: RRCReestablishment comes on SRB1 (DL-DCCH); the network may instead answer with
  // RRCSetup (a new connection: the old one is not kept) or RRCReject (DL-CCCH)
  nr: {
    'DL-DCCH rrcReestablishment': 're-established (RRCReestablishment)',
    'DL-CCCH rrcSetup': 'not re-established: the network answered with RRCSetup (a new connection)',
    'DL-CCCH rrcReject': 'rejected (RRCReject): connection dropped',
  },
};

/**
 * `radio_link_failure` from the RRC messages of a DIAG log: the UE starts RRC connection re-establishment
 * (TS 36.331 §5.3.7.2) when it declares radio link failure (§5.3.11: T310 expiry after N310 out-of-sync,
 * random access problem, RLC max retransmissions), on handover failure or on reconfiguration failure; its
 * RRCConnectionReestablishmentRequest says which (`reestablishmentCause`). One finding per request (the
 * same request logged twice at the same time counts once), critical, with the outcome the log shows:
 * RRCConnectionReestablishment (the connection survived), RRCConnectionReestablishmentReject (dropped),
 * or no answer within 5 s. NR (0xB821) the same way (TS 38.331 §5.3.7, §5.3.10): RRCReestablishmentRequest,
 * answered by RRCReestablishment, RRCSetup or RRCReject; its cause is not decoded (the finding says so).
 */
export class UeRrcReestablishmentDetection {
  private readonly anomalies: AnomalyDraft[] = [];
  private pending: Pending | undefined;

  onMessage(m: RrcMessageSample): void {
    if (this.pending && m.tsNs - this.pending.last.tsNs > ANSWER_WINDOW_NS)
      this.close('no answer in the log within 5 s', undefined);
    if (m.channel === 'UL-CCCH' && m.message !== undefined && REQUESTS.has(m.message)) {
      const p = this.pending;
      if (p && p.last.tsNs === m.tsNs && p.last.cRnti === m.cRnti) {
        p.count++; // the same request logged twice
        return;
      }
      if (p) this.close('the UE asked again before an answer', undefined);
      this.pending = { first: m, last: m, count: 1 };
      return;
    }
    const p = this.pending;
    if (p && (m.rat ?? 'lte') === (p.first.rat ?? 'lte')) {
      const outcome = ANSWERS[m.rat ?? 'lte'][`${m.channel} ${m.message}`];
      if (outcome) this.close(outcome, m);
    }
  }

  finish(): AnomalyDraft[] {
    if (this.pending) this.close('no answer before the end of the log', undefined);
    return this.anomalies;
  }

  private close(outcome: string, answer: RrcMessageSample | undefined): void {
    const p = this.pending!;
    this.pending = undefined;
    const r = p.first;
    const cause = r.reestablishmentCause ?? 'unknown';
    const trigger = TRIGGER[cause] ?? `cause ${cause}`;
    const failedPci = r.failedPci ?? r.pci;
    this.anomalies.push({
      type: 'radio_link_failure',
      source: 'ue',
      severity: 'critical',
      confidence: cause === 'otherFailure' ? 0.9 : 0.8,
      timestamp: isoNs(r.tsNs),
      ...(answer ? { end_timestamp: isoNs(answer.tsNs) } : {}),
      packet_index: r.recordIndex,
      packet_count: p.count + (answer ? 1 : 0),
      radio: {
        cell: `${(r.rat === 'nr' ? r.arfcn : r.earfcn) ?? '?'}/${failedPci}`,
        pci: failedPci,
        ...(r.rat === 'nr'
          ? r.arfcn !== undefined
            ? { arfcn: r.arfcn }
            : {}
          : r.earfcn !== undefined
            ? { earfcn: r.earfcn }
            : {}),
        ...(r.cRnti !== undefined ? { rnti: r.cRnti } : {}),
      },
      description: `${r.rat === 'nr' ? 'NR ' : ''}RRC re-establishment after ${trigger} on PCI ${failedPci}${r.cRnti !== undefined ? ` (C-RNTI ${r.cRnti})` : ''}: ${outcome}`,
      evidence: {
        reestablishment_cause: cause,
        outcome,
        ...(answer
          ? { answer_after_ms: Number((answer.tsNs - r.tsNs) / 1000n) / 1000, answer_record: answer.recordIndex }
          : {}),
        request_records: p.count,
      },
    });
  }
}
