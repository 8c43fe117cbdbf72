import type { AnomalyDraft } from '@l1t/contracts';
import { isoNs } from '../time-format.js';
import type { UeCellRef } from './ue-link-samples.js';

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

/**
 * An NR MAC RACH trigger (0xB889) whose reason is radio link failure: TS 38.331 §5.3.10.3 — on RLF the UE
 * starts re-establishment (§5.3.7), whose RRCReestablishmentRequest goes in Msg3 of a random access the MAC
 * starts for it (TS 38.321 §5.1.1).
 */
export interface RlfRachTriggerSample {
  tsNs: bigint;
  recordIndex: number;
  /** The NR cell the MAC logs it on (the last beam report's / measured serving cell), when known. */
  cell: UeCellRef | undefined;
  rnti?: number | undefined;
}

/** How long the network's answer to a re-establishment request is awaited (T301 is at most 2 s). */
const ANSWER_WINDOW_NS = 5_000_000_000n;
/**
 * A MAC RLF trigger and an NR re-establishment request on the same cell this close are one failure: the
 * request rides the random access the trigger starts, and T301 (at most 2 s: UE-TimersAndConstants, TS 38.331 §6.3.2) bounds it.
 */
const MAC_RLF_WINDOW_NS = 2_000_000_000n;
/** Unmatched MAC RLF triggers held at once (each is at most 2 s old; a bound against a flood). */
const MAX_MAC_TRIGGERS = 64;

interface Pending {
  first: RrcMessageSample;
  last: RrcMessageSample;
  count: number;
  /** NR MAC RLF triggers of this request's failure (0xB889). */
  mac: RlfRachTriggerSample[];
}

interface MacTriggers {
  first: RlfRachTriggerSample;
  last: RlfRachTriggerSample;
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
 *
 * NR also logs the MAC side (0xB889 RACH trigger, reason radio link failure: {@link onRlfRachTrigger}). A
 * trigger within 2 s of an NR request on the same cell (PCI; an unknown cell matches) is that request's
 * failure: no second finding, the request's finding names radio link failure as its trigger and lists the
 * trigger records. Triggers with no request within 2 s (the log left RRC out, or re-establishment never got
 * to Msg3) are one finding per cell and 2-s burst, from the first trigger.
 */
export class UeRrcReestablishmentDetection {
  private readonly anomalies: AnomalyDraft[] = [];
  private pending: Pending | undefined;
  /** NR MAC RLF triggers not (yet) matched to a request, oldest first. */
  private readonly macTriggers: MacTriggers[] = [];
  /** The latest NR request's finding once closed, for a MAC trigger logged after it. */
  private lastNr: { p: Pending; outcome: string; answer: RrcMessageSample | undefined; index: number } | undefined;

  /**
   * Whether a message of this channel and name would change anything: a re-establishment request always, any
   * message while a request awaits its answer or NR MAC triggers await their request — otherwise
   * {@link onMessage} reads nothing of it but its time. The DIAG analyzer asks first, so that most RRC
   * messages (every 0xB0C0 record: a fifth of the decoded records of the bench:diag input) make no bigint
   * timestamp and fill no sample (issue 13).
   */
  needsMessage(channel: string | null, message: string | undefined): boolean {
    return (
      this.pending !== undefined ||
      this.macTriggers.length > 0 ||
      (channel === 'UL-CCCH' && message !== undefined && REQUESTS.has(message))
    );
  }

  /**
   * `m` is read during the call only (the DIAG analyzer refills one object per message: 175 k 0xB0C0
   * records on the 100 MB bench:diag input, issue 13); a request or answer kept is copied.
   */
  onMessage(m: RrcMessageSample): void {
    this.expireMacTriggers(m.tsNs);
    if (this.pending && m.tsNs - this.pending.last.tsNs > ANSWER_WINDOW_NS)
      this.close('no answer in the log within 5 s', undefined);
    if (m.channel === 'UL-CCCH' && m.message !== undefined && REQUESTS.has(m.message)) {
      const p = this.pending;
      if (p && p.last.tsNs === m.tsNs && p.last.cRnti === m.cRnti) {
        p.count++; // the same request logged twice
        return;
      }
      if (p) this.close('the UE asked again before an answer', undefined);
      const mac: RlfRachTriggerSample[] = [];
      if (m.rat === 'nr')
        for (let i = 0; i < this.macTriggers.length; i++) {
          const t = this.macTriggers[i]!;
          if (!sameNrCell(t.first.cell, m) || m.tsNs - t.first.tsNs > MAC_RLF_WINDOW_NS) continue;
          mac.push(t.first, ...(t.last !== t.first ? [t.last] : []));
          this.macTriggers.splice(i--, 1);
        }
      const kept = { ...m };
      this.pending = { first: kept, last: kept, count: 1, mac };
      return;
    }
    const p = this.pending;
    if (p && (m.rat ?? 'lte') === (p.first.rat ?? 'lte')) {
      const outcome = ANSWERS[m.rat ?? 'lte'][`${m.channel} ${m.message}`];
      if (outcome) this.close(outcome, { ...m });
    }
  }

  /** An NR MAC RACH trigger with reason radio link failure (0xB889). */
  onRlfRachTrigger(t: RlfRachTriggerSample): void {
    this.expireMacTriggers(t.tsNs);
    const p = this.pending;
    if (p && p.first.rat === 'nr' && sameNrCell(t.cell, p.first) && abs(t.tsNs - p.first.tsNs) <= MAC_RLF_WINDOW_NS) {
      p.mac.push(t); // logged after its request: the same failure
      return;
    }
    const c = this.lastNr;
    if (c && sameNrCell(t.cell, c.p.first) && abs(t.tsNs - c.p.first.tsNs) <= MAC_RLF_WINDOW_NS) {
      c.p.mac.push(t); // logged after its request was answered: that finding, rebuilt with it
      this.anomalies[c.index] = this.finding(c.p, c.outcome, c.answer);
      return;
    }
    const same = this.macTriggers.find(
      (q) => sameCellRef(q.first.cell, t.cell) && t.tsNs - q.last.tsNs <= MAC_RLF_WINDOW_NS,
    );
    if (same) {
      same.last = t;
      same.count++;
      return;
    }
    if (this.macTriggers.length >= MAX_MAC_TRIGGERS) this.macAlone(this.macTriggers.shift()!);
    this.macTriggers.push({ first: t, last: t, count: 1 });
  }

  finish(): AnomalyDraft[] {
    if (this.pending) this.close('no answer before the end of the log', undefined);
    for (const t of this.macTriggers.splice(0)) this.macAlone(t);
    return this.anomalies;
  }

  /** Triggers whose 2 s passed with no request: findings of their own. */
  private expireMacTriggers(nowNs: bigint): void {
    while (this.macTriggers.length > 0 && nowNs - this.macTriggers[0]!.last.tsNs > MAC_RLF_WINDOW_NS)
      this.macAlone(this.macTriggers.shift()!);
  }

  private macAlone(t: MacTriggers): void {
    const { first, last, count } = t;
    const cell = first.cell;
    this.anomalies.push({
      type: 'radio_link_failure',
      source: 'ue',
      severity: 'critical',
      confidence: 0.7,
      timestamp: isoNs(first.tsNs),
      ...(count > 1 ? { end_timestamp: isoNs(last.tsNs) } : {}),
      packet_index: first.recordIndex,
      packet_count: count,
      ...(cell || first.rnti !== undefined
        ? {
            radio: {
              ...(cell ? { cell: `${cell.arfcn ?? '?'}/${cell.pci}`, pci: cell.pci } : { cell: 'unknown cell' }),
              ...(cell?.arfcn !== undefined ? { arfcn: cell.arfcn } : {}),
              ...(first.rnti !== undefined ? { rnti: first.rnti } : {}),
            },
          }
        : {}),
      description: `NR MAC random access for radio link failure (0xB889 RACH trigger)${cell ? ` on PCI ${cell.pci}` : ''}${first.rnti !== undefined ? ` (C-RNTI ${first.rnti})` : ''}: no RRCReestablishmentRequest (0xB821) in the log within 2 s`,
      evidence: {
        rach_reason: 'radio_link_failure',
        trigger_records: count,
        reestablishment_request: 'not in the log within 2 s',
      },
    });
  }

  private close(outcome: string, answer: RrcMessageSample | undefined): void {
    const p = this.pending!;
    this.pending = undefined;
    this.anomalies.push(this.finding(p, outcome, answer));
    if (p.first.rat === 'nr') this.lastNr = { p, outcome, answer, index: this.anomalies.length - 1 };
  }

  private finding(p: Pending, outcome: string, answer: RrcMessageSample | undefined): AnomalyDraft {
    const r = p.first;
    const cause = r.reestablishmentCause ?? 'unknown';
    // the NR request's cause is not decoded; the MAC's trigger of its random access names it
    const macRlf = p.mac.length > 0 && cause === 'unknown';
    const trigger = macRlf ? 'radio link failure (0xB889 MAC RACH trigger)' : (TRIGGER[cause] ?? `cause ${cause}`);
    const failedPci = r.failedPci ?? r.pci;
    return {
      type: 'radio_link_failure',
      source: 'ue',
      severity: 'critical',
      confidence: cause === 'otherFailure' || macRlf ? 0.9 : 0.8,
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
        ...(p.mac.length > 0 ? { mac_rlf_trigger_records: p.mac.map((t) => t.recordIndex) } : {}),
      },
    };
  }
}

const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** A MAC trigger's cell and an NR RRC message's cell agree: same PCI (and NR-ARFCN when both know it); unknown matches. */
function sameNrCell(cell: UeCellRef | undefined, m: RrcMessageSample): boolean {
  if (!cell) return true;
  return cell.pci === m.pci && (cell.arfcn === undefined || m.arfcn === undefined || cell.arfcn === m.arfcn);
}

function sameCellRef(a: UeCellRef | undefined, b: UeCellRef | undefined): boolean {
  return a?.pci === b?.pci && a?.arfcn === b?.arfcn;
}
