import type { DecodedPacket, OranMessage, PacketKind } from '@l1t/capture';
import type { AnomalyDraft, FlowKey, MetricDraft, Profile, RadioKey, Severity } from '@l1t/contracts';
import type { FlowRef } from './flow.js';
import type { SlotStats } from './slot-stats.js';
import type { FileViews } from '../views/file-views-types.js';
import type { FileViewCollector } from '../views/file-view-collector.js';
import type { PtpExchange } from '../timing/ptp-exchanges.js';
import type { OccurrenceRun, RunOccurrenceFactory } from './occurrence-run.js';

/**
 * The detector framework (issue "Detect the fronthaul and timing anomalies"): one module per detector,
 * each a {@link DetectorDefinition} with its documented threshold options and spec clause, creating a
 * {@link Detector} per file. The fronthaul stage (`fronthaul-detection.ts`) hands a detector, in file order,
 * every packet (`onPacket`, timing detectors), every O-RAN message of every PDU — concatenated ones too —
 * with its resolved flow (`onMessage`), and every closed U-plane slot with its IQ statistics (`onSlot`).
 */

/** A documented, named threshold option of one anomaly type (profile `thresholds.<type>.<name>`). */
export interface ThresholdOption {
  name: string;
  default: number | boolean | string;
  unit?: string;
  description: string;
  /** Optional bounds of a numeric option (inclusive), checked when a profile overrides it. */
  min?: number;
  max?: number;
}

/** Thresholds resolved for one file: defaults overridden by the profile, per anomaly type. */
export type ResolvedThresholds = Readonly<Record<string, Readonly<Record<string, number | boolean | string>>>>;

/** One occurrence of a fault, before aggregation into bursts. */
export interface Occurrence {
  type: string;
  source: 'fronthaul' | 'timing' | 'ue';
  /** Default severity of the type (anomalies.md §Severity); the aggregator may raise it for bursts. */
  severity: Severity;
  confidence: number;
  /** Capture time of the packet where the fault becomes observable (ns since epoch). */
  tsNs: bigint;
  /** 1-based frame number of that packet. */
  packetIndex: number;
  /** Packets this occurrence covers (missing packets are counted in evidence, not here). */
  packetCount: number;
  flow?: FlowKey;
  radio?: RadioKey;
  /** Identity of the "same fault on the same flow" for aggregation, e.g. `seq_gap|u|dl|eaxc=1`. */
  aggregationKey: string;
  description: string;
  /** Measured values next to the thresholds they crossed. */
  evidence: Record<string, unknown>;
  /** Optional: capture time of the last packet involved, when the occurrence itself spans time. */
  endTsNs?: bigint;
  /** Optional: frame number of the last packet involved, when the occurrence spans several packets. */
  endPacketIndex?: number;
  /**
   * Optional: the packet context taken earlier with {@link DetectContext.pinContext} (for findings that
   * become final long after their packet, e.g. a sequence gap). Default: taken when reported.
   */
  packetContext?: Record<string, unknown>[];
  /** Optional: counts the aggregator sums over a burst into `evidence.totals` (e.g. `{ missing: 3 }`). */
  totals?: Record<string, number>;
  /**
   * Optional: how bad this occurrence is (larger is worse, e.g. |time error| in ns). A burst then also keeps
   * the evidence of its worst occurrence as `evidence.worst` (with its frame as `worst.packet_index`).
   */
  magnitude?: number;
  /**
   * Optional: occurrences of one key closer than this (ns) are one burst. Default
   * {@link DEFAULT_BURST_GAP_NS} (1 s).
   */
  burstGapNs?: bigint;
}

/** Default burst gap of the aggregator: occurrences of one key less than 1 s apart are one anomaly. */
export const DEFAULT_BURST_GAP_NS = 1_000_000_000n;

/** What the capture clock has done so far (the stage watches every packet's timestamp). */
export interface CaptureClock {
  /** Timestamp of the first packet (0n before any). */
  readonly firstTsNs: bigint;
  /** Latest timestamp seen, and the frame number of that packet. */
  readonly lastTsNs: bigint;
  readonly lastIndex: number;
  /**
   * True once a packet's timestamp differed from the first one. A capture whose timestamps are all zero
   * or identical (a rewritten or synthetic file) says nothing about timing: detectors do not judge it.
   */
  readonly advanced: boolean;
  /** Packets seen so far. */
  readonly packets: number;
  /**
   * The clock says nothing about timing: it has not advanced over several packets, or it stands at zero
   * (1970-01-01). Timing is not judged on a frozen clock.
   */
  readonly frozen: boolean;
}

/** What a detector may call while it runs. */
export interface DetectContext {
  readonly profile: Profile | undefined;
  readonly thresholds: ResolvedThresholds;
  /** The capture clock as far as the stage has seen it. */
  readonly clock: CaptureClock;
  /**
   * The flow of message `m` of packet `p`, resolved in the stage's flow table (the same ref the stage hands
   * to `onMessage`): for a detector that reports per packet with the packet's flow. `undefined` when the
   * table is full.
   */
  flowOf(p: DecodedPacket, m: OranMessage): FlowRef | undefined;
  /**
   * The PTP two-way exchange (Sync/Follow_Up, Delay_Req, Delay_Resp) that the current packet completes, paired
   * once per packet by the driver for every detector that needs it (ptp-exchanges.ts); `undefined` otherwise.
   * The object is reused: valid during the current packet's calls only.
   */
  ptpExchange(): PtpExchange | undefined;
  /** Reports one occurrence; bursts of the same key are merged into one anomaly by the aggregator. */
  report(o: Occurrence): void;
  /**
   * Says what was not judged or which limit was reached (shown in the file summary's warnings). Optional so
   * hand-made test contexts need not provide it.
   */
  warn?(message: string): void;
  /**
   * Optional: the run of repeated occurrences of `aggregationKey` (occurrence-run.ts) — for a detector that
   * reports the same fault on every message of a stream: the first through `report`, the following ones as
   * numbers kept for `make`, merged into the same anomaly without an object and a `report` each. Without it
   * (hand-made test contexts) every occurrence is reported.
   */
  occurrenceRun?(aggregationKey: string, make: RunOccurrenceFactory, values: number): OccurrenceRun;
  /** Emits one KPI sample (stored in ClickHouse `metrics`). */
  metric(m: MetricDraft): void;
  /**
   * Adds `value` to the per-flow counter `name` of `flow` (e.g. `u|dl|eaxc=1`, `RX_SEQID_ERR`) in
   * {@link DetectionResult.counters}. Optional so hand-made test contexts need not provide it.
   */
  count?(flow: string, name: string, value: number): void;
  /**
   * The packets around frame `packetIndex` (normally the current packet), to hand over later as
   * {@link Occurrence.packetContext}; packets after it are appended as they arrive. Optional.
   */
  pinContext?(packetIndex: number): Record<string, unknown>[];
}

/**
 * One O-RAN message as the stage hands it over (reused: valid during the call only). `m` is one of
 * `p.oranMessages[0 .. p.oranCount)` with a complete application header.
 */
export interface FronthaulMessage {
  readonly p: DecodedPacket;
  readonly m: OranMessage;
  /** Position of the message in its eCPRI PDU (0 = first; > 0 only with concatenation). */
  readonly position: number;
  readonly flow: FlowRef;
}

/**
 * A running detector for one file. Each hook is optional and called only on detectors that have it, so a
 * PTP packet costs a fronthaul detector nothing. Hooks are the hot path: no allocation per call.
 */
export interface Detector {
  /**
   * The packet kinds `onPacket` is called for (default: every packet). The driver keeps one list of detectors
   * per kind and picks a packet's list by its kind, so a PTP packet costs the fronthaul detectors nothing and
   * an eCPRI packet the PTP detectors nothing (issue 14 item 3). The capture clock (`ctx.clock`) still sees
   * every packet: a detector that needs the last packet of the file reads it there.
   */
  readonly packetKinds?: readonly PacketKind[];
  /**
   * For a PTP detector: the messageTypes (IEEE 1588-2019 §13.3.2.2, 0–15) whose valid messages `onPacket`
   * is called for (default: every PTP packet). The driver keeps one list per messageType, so a Follow_Up
   * costs the Announce detectors nothing (issue 14: PTP-only traffic). A PTP packet whose header was cut
   * short (`ptp.valid` false) still reaches every PTP detector. Only for a detector that ignores every
   * other message, state included.
   */
  readonly ptpMessageTypes?: readonly number[];
  /** Every packet of its {@link packetKinds} (timing detectors, malformed-packet findings). */
  onPacket?(p: DecodedPacket, ctx: DetectContext): void;
  /**
   * The planes whose O-RAN messages `onMessage` is called for (default: both). The driver keeps one list
   * per plane, so a U-plane message — most of a fronthaul capture — costs a C-plane detector nothing
   * (issue 14). Only for a detector that ignores every message of the other plane, state included.
   */
  readonly messagePlanes?: readonly ('c' | 'u')[];
  /** Every O-RAN message with a complete header (of its {@link messagePlanes}), with its flow (fronthaul detectors). */
  onMessage?(msg: FronthaulMessage, ctx: DetectContext): void;
  /** A U-plane flow's slot closed (its statistics object is reused after the call). */
  onSlot?(slot: SlotStats, ctx: DetectContext): void;
  /** A flow leaves the flow table (evicted to make room): close its state. Its id may then be reused. */
  onFlowEvicted?(flow: FlowRef, ctx: DetectContext): void;
  /** End of file: report what is still pending (gaps never filled, open bursts, final counters). */
  finish(ctx: DetectContext): void;
}

/** {@link Detector.packetKinds} of a detector of PTP messages (its `onPacket` sees no other packet). */
export const PTP_PACKETS: readonly PacketKind[] = Object.freeze(['ptp'] as const);
/** {@link Detector.packetKinds} of a detector of eCPRI messages (no PTP or other packet reaches it). */
export const ECPRI_PACKETS: readonly PacketKind[] = Object.freeze(['ecpri'] as const);
/** {@link Detector.messagePlanes} of a detector of C-plane messages (no U-plane message reaches it). */
export const C_PLANE_MESSAGES: readonly ('c' | 'u')[] = Object.freeze(['c'] as const);

/** One detector module: what it finds, its options, where the rule comes from. */
export interface DetectorDefinition {
  name: string;
  /** Anomaly types it reports (names of anomalies.md). */
  types: readonly string[];
  /** Options per anomaly type it reports (keys of the profile's `thresholds.<type>`). */
  thresholds: Readonly<Record<string, readonly ThresholdOption[]>>;
  /** Spec clause(s) the rule implements. */
  reference: string;
  create(ctx: {
    profile: Profile | undefined;
    thresholds: ResolvedThresholds;
    /** The file analysis page's views, for a detector that feeds them (rx-window: judged offsets). */
    views?: FileViewCollector;
  }): Detector;
}

/** The result of running every detector over one file. */
export interface DetectionResult {
  anomalies: AnomalyDraft[];
  metrics: MetricDraft[];
  /** Per-flow counters (RX_ON_TIME, RX_EARLY, RX_LATE, RX_SEQID_ERR …) for the file summary. */
  counters: Record<string, Record<string, number>>;
  /**
   * Detectors that threw and were switched off (name: message), limits reached (flow table full), and what
   * was not judged (a clock that never advanced).
   */
  warnings?: string[];
  /** What the file analysis page shows (per-flow table, timing histograms and scatter, PRB heatmaps). */
  views?: FileViews;
}

/** Where a streaming detection hands over what is final, in batches, while the file is still read. */
export interface DetectionSink {
  anomalies(batch: AnomalyDraft[]): void;
  metrics(batch: MetricDraft[]): void;
}
