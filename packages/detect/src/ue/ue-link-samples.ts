import type { RadioKey } from '@l1t/contracts';

/**
 * Inputs of the UE link detectors (`bler_high`, `harq_failure`, `beam_failure`, `rach_failure`,
 * `ul_power_limited`, `timing_advance_jump`): what a decoded DIAG record says, without its layout. The
 * pipeline maps each decoded (log code, version) to these (see /tmp/h/ue-contract.md while it is being
 * built; diag-analyzer.ts for the mapping in use). Every sample carries its capture time (UTC ns) and the
 * 1-based record index of the log, the serving cell when the record or the log around it says which.
 */

/** The cell a sample belongs to: LTE by (EARFCN, PCI), NR by (NR-ARFCN, PCI). */
export interface UeCellRef {
  rat: 'lte' | 'nr';
  pci: number;
  /** LTE E-ARFCN. */
  earfcn?: number | undefined;
  /** NR-ARFCN. */
  arfcn?: number | undefined;
}

/**
 * A cell reference with every key present, in one order (`earfcn` undefined for NR, `arfcn` for LTE): cell
 * refs made by object literals of three shapes (`{rat, pci, earfcn}`, `{rat, pci, arfcn}`, `{rat, earfcn,
 * pci}`) made the detectors' and KPI windows' cell comparisons polymorphic, and deoptimised them (issue 13:
 * "wrong map" / "not a Smi" in sameCell under --trace-deopt). What reads a ref is the same either way: a key
 * holding undefined reads as a missing one, and refs are never spread into output.
 */
export function ueCellRef(
  rat: 'lte' | 'nr',
  pci: number,
  earfcn: number | undefined,
  arfcn: number | undefined,
): UeCellRef {
  return { rat, pci, earfcn, arfcn };
}
// Both kinds of ref made once at load, so the shape's E-ARFCN and ARFCN fields hold numbers and undefined from
// the start: V8 gives a field the representation of its first values (small integers) and widens it at the
// first other one — an LTE ref without an E-ARFCN, some time into the log — which deoptimised the compiled code
// that had relied on it (the KPI windows' window() and onPdschConfig(), --trace-generalization: issue 13).
ueCellRef('lte', 0, 0, undefined);
ueCellRef('nr', 0, undefined, 0);

interface SampleBase {
  tsNs: bigint;
  /** 1-based record index in the log. */
  recordIndex: number;
  /** Serving cell (undefined when neither the record nor the log before it says which). */
  cell?: UeCellRef | undefined;
  /** C-RNTI, when the record carries it. */
  rnti?: number | undefined;
}

/**
 * One DL transport block reception (LTE 0xB173 PDSCH stat per TB; NR 0xB888 MAC PDSCH status per TB).
 * Initial transmission or retransmission, and whether its CRC passed (ACK) or failed (NACK).
 */
export interface PdschTbSample extends SampleBase {
  harqId: number;
  /** Redundancy version 0–3. */
  rv: number;
  /**
   * True for a retransmission (LTE: the log's retransmission flag or RV ≠ 0 when it has none; NR: NDI not
   * toggled). Initial transmissions are what BLER counts (TS 36.213 §7.2.3: the target is on first
   * transmissions).
   */
  isRetx: boolean;
  /** CRC of the TB: true = decoded (ACK), false = NACK. */
  crcPass: boolean;
  /**
   * The log itself says the HARQ process gave up on this TB (NR 0xB888 "HARQ failure" / max retransmissions
   * reached). Undefined when the record has no such field (LTE): the detector then counts transmissions.
   */
  harqFailure?: boolean | undefined;
  /** Transmission number of this TB in its HARQ process (0 = first), when the log gives it. */
  retxNumber?: number | undefined;
  mcs?: number | undefined;
  tbSizeBytes?: number | undefined;
}

/**
 * One PUSCH power observation (LTE 0xB16E PUSCH power control record, 0xB064 MAC UL TB power headroom
 * report, 0xB139 when it has power; NR 0xB883). The power headroom is what decides (TS 36.213 §5.1.1.2,
 * TS 38.213 §7.7: PH = Pcmax − PUSCH power the loop asks for; ≤ 0 dB means the UE transmits at Pcmax).
 * `retx` feeds the UL BLER estimate (a retransmission = the previous attempt was NACKed).
 */
export interface PuschPowerSample extends SampleBase {
  /** Pcmax − required PUSCH power (dB); negative when the loop asks for more than Pcmax. */
  headroomDb: number;
  /** PUSCH transmit power (dBm), when logged. */
  txPowerDbm?: number | undefined;
  /** Configured maximum output power Pcmax (dBm, TS 36.101 §6.2.5 / TS 38.101-1 §6.2.4), when logged. */
  pcmaxDbm?: number | undefined;
  /** True when this transmission is a HARQ retransmission; undefined when the record does not say. */
  retx?: boolean | undefined;
}

/** Outcome of one random access attempt (TS 36.321 §5.1, TS 38.321 §5.1). */
export type RachAttemptResult =
  | 'success'
  /** No Random Access Response within the RAR window (Msg2 failure). */
  | 'no_rar'
  /** Contention resolution failed / timer expired (Msg4 failure). */
  | 'contention_lost'
  /** Attempt aborted or failed for a reason the log names otherwise. */
  | 'failure';

/** One RACH attempt (LTE 0xB062 MAC RACH attempt; NR 0xB88A). */
export interface RachAttemptSample extends SampleBase {
  result: RachAttemptResult;
  /** Preamble transmission counter of this attempt (1 = first), when logged. */
  attempt?: number | undefined;
  /** preambleTransMax configured (0xB061/0xB063 config, NR RACH config), when known. */
  preambleTransMax?: number | undefined;
  /** 'contention_based' | 'contention_free', when logged. */
  contention?: 'contention_based' | 'contention_free' | undefined;
  preamble?: number | undefined;
  /** Timing advance the RAR gave (Msg2), in TA units; when logged (also feed a TimingAdvanceSample). */
  rarTa?: number | undefined;
}

/**
 * One timing advance update (LTE 0xB062 RAR TA (absolute, 11 bits) or MAC TA command CE (relative, 6 bits
 * with 31 = no change, TS 36.321 §6.1.3.5); NR 0xB88A / MAC CE). Values in TA units (16·Ts LTE,
 * 16·64·Tc/2^µ NR: TS 38.213 §4.2).
 */
export interface TimingAdvanceSample extends SampleBase {
  kind: 'absolute' | 'relative';
  /** absolute: NTA in TA units (0–1282 LTE, 0–3846 NR); relative: the command's adjustment (value − 31). */
  value: number;
}

/** One NR beam management event (0xB975 serving cell beam management, TS 38.321 §5.17). */
export interface BeamEventSample extends SampleBase {
  /** BFI counter after this report (BFI_COUNTER). */
  bfiCount?: number | undefined;
  /** beamFailureInstanceMaxCount configured, when known. */
  bfiMaxCount?: number | undefined;
  /**
   * What the record says happened: a beam failure instance indication, beam failure detected (counter
   * reached its maximum), recovery started / succeeded / failed. Undefined for a plain report.
   */
  event?: 'bfi' | 'bfd' | 'bfr_start' | 'bfr_success' | 'bfr_failure' | undefined;
  /** Serving SSB index, when reported. */
  ssbIndex?: number | undefined;
}

/** Cell key of a UE sample, as the serving-cell detectors write it: `EARFCN/PCI` (LTE) or `ARFCN/PCI` (NR). */
export function cellKey(c: UeCellRef | undefined): string {
  if (!c) return 'unknown cell';
  return `${c.rat === 'nr' ? (c.arfcn ?? '?') : (c.earfcn ?? '?')}/${c.pci}`;
}

/** The anomaly's `radio` fields of a sample: cell, pci, earfcn/arfcn, rnti where known. */
export function ueRadioKey(cell: UeCellRef | undefined, rnti: number | undefined): RadioKey | undefined {
  if (!cell && rnti === undefined) return undefined;
  return {
    ...(cell ? { cell: cellKey(cell), pci: cell.pci } : {}),
    ...(cell?.earfcn !== undefined ? { earfcn: cell.earfcn } : {}),
    ...(cell?.arfcn !== undefined ? { arfcn: cell.arfcn } : {}),
    ...(rnti !== undefined ? { rnti } : {}),
  };
}

/** `PCI 314 EARFCN 2300` / `PCI 5 ARFCN 632628` for descriptions. */
export function cellText(c: UeCellRef | undefined): string {
  if (!c) return 'unknown cell';
  return c.rat === 'nr' ? `PCI ${c.pci} ARFCN ${c.arfcn ?? '?'}` : `PCI ${c.pci} EARFCN ${c.earfcn ?? '?'}`;
}
