import { Buffer } from 'node:buffer';
import type { IsfScanCounts } from '@l1t/capture';
import {
  CaptureFormatError,
  CaptureTruncatedError,
  DiagDecoderRegistry,
  DIAG_LOG_DECODERS,
  DiagLogReader,
  DiagTally,
  diagTimeToUtcNs,
  DEFAULT_UTC_GPS_OFFSET_S,
  LTE_ML1_SCELL_MEAS_RESPONSE,
  LTE_RRC_OTA,
  LTE_ML1_RLM_REPORT,
  LTE_RRC_SERV_CELL_INFO,
  LTE_MAC_DL_TRANSPORT_BLOCK,
  LTE_MAC_UL_TRANSPORT_BLOCK,
  LTE_MAC_RACH_ATTEMPT,
  LTE_PDSCH_STAT_INDICATION,
  NR_ML1_SEARCHER_MEAS,
  LTE_PUCCH_CSF,
  LTE_PUSCH_CSF,
  LTE_PDSCH_DEMAPPER_CONFIG,
  NR_MAC_PDSCH_STATS,
  NR_MAC_UL_SCHEDULE,
  LTE_PUSCH_POWER_CONTROL,
  LTE_PUCCH_POWER_CONTROL,
  LTE_PUSCH_TX_REPORT,
  LTE_MAC_RACH_TRIGGER,
  NR_ML1_BEAM_MGMT,
  NR_MAC_RACH_TRIGGER,
  NR_MAC_RACH_ATTEMPT,
  NR_RRC_OTA,
  NR_RRC_SERV_CELL_INFO,
  NR_RRC_CONFIG_INFO,
  type DiagByteSearch,
  type DiagContainer,
  type DiagFields,
  type DiagPacket,
} from '@l1t/capture';
import {
  resolveUeThresholds,
  UeOutOfSyncDetection,
  UeRrcReestablishmentDetection,
  UeLinkDetection,
  UeServingCellDetection,
  ueCellRef,
  type RrcMessageSample,
  type ServingCellSample,
  type UeCellRef,
} from '@l1t/detect';
import { InputError, type AnalyzerContext, type AnalyzerOutput, type FileAnalyzer } from '../analysis-types.js';
import type { ReleasingAnalyzer } from '../analyze-file.js';
import { DiagKpiWindows } from './diag-kpi.js';
import { NrLinkSamples } from './diag-nr-link.js';
import {
  pdschTbSamples,
  puschPowerControlSamples,
  puschPowerSamples,
  rachSamples,
  taCommandSamples,
  type SampleBase,
} from './diag-link-samples.js';

/**
 * Reads a Qualcomm DIAG log (.qmdl/.mi2log HDLC stream, .qmdl2, .dlf) record by record, runs the decoder
 * of each (log code, version) and accounts for every record in the file summary: decoded, recognised but
 * not decoded (per pair, shown as `decode_status` and `not_analysed` notes), malformed, other DIAG
 * commands, bad frames. Serving-cell measurements (0xB193) feed the UE serving-cell detectors
 * (`rsrp_low`, `rsrp_drop`, `sinr_drop`, `rx_imbalance`) and 1-second KPI metrics.
 */
export class DiagAnalyzer implements FileAnalyzer, ReleasingAnalyzer {
  private readonly reader: DiagLogReader;
  private readonly registry = new DiagDecoderRegistry();
  private readonly tally = new DiagTally();
  private readonly offsetS: number;
  private readonly ue: UeServingCellDetection;
  private readonly rrc = new UeRrcReestablishmentDetection();
  private readonly rlm = new UeOutOfSyncDetection();
  /** bler_high, harq_failure, rach_failure, ul_power_limited, timing_advance_jump (diag-link-samples.ts). */
  private readonly link: UeLinkDetection;
  private readonly kpi: DiagKpiWindows;
  /**
   * NR beam reports, RACH triggers and attempts → beam_failure, rach_failure, timing_advance_jump, and (RACH
   * triggers for radio link failure, to the RRC detector) radio_link_failure (diag-nr-link.ts).
   */
  private readonly nr = new NrLinkSamples({
    beam: (s) => this.link.onBeamEvent(s),
    rach: (s) => {
      this.link.onRachAttempt(s);
      this.kpi.onRachAttempt(s);
    },
    ta: (s) => this.onTa(s),
    rlf: (s) => this.rrc.onRlfRachTrigger(s),
  });
  /** Decoded NR RACH triggers (0xB889): radio_link_failure reads their reason. */
  private nrRachTriggers = 0;
  private rlmReports = 0;
  /**
   * Set once a 0xB16E record gave PUSCH power against Pcmax: from then on `ul_power_limited` judges those
   * per-transmission values, and the 0xB064 power headroom reports (a MAC CE now and then, its level's lower
   * bound) only feed the KPIs — the detector's share of transmissions at Pcmax is not mixed from both.
   */
  private puschPowerLogged = false;
  /**
   * Serving cells announced by LTE 0xB0C2 and NR 0xB823 / 0xB825, by cell (at most {@link MAX_CELLS_LISTED}):
   * the text shown in the file summary. An NR cell named by both codes is listed once, with 0xB823's text
   * (it carries the PLMN and cell identity; 0xB825 the bandwidth and mode).
   */
  private readonly cellsSeen = new Map<string, string>();
  /** Serving cell of the latest 0xB193 record (RLM reports carry no cell). */
  private lastCell: { earfcn: number; pci: number } | undefined;
  /**
   * `lastCell` as a UeCellRef (ueCellRef: one shape for every ref), made when the cell changes rather than per MAC/PDSCH/CSF record (the
   * link samples and KPI windows only read it; one object also lets the KPI windows match it by identity).
   */
  private lastLteCell: UeCellRef | undefined;
  private rrcMessages = 0;
  /**
   * The fields of the last 0xB0C2 record whose cell text was listed: a log repeats the record for the same
   * cell, and its text (a template of six fields) and map look-up per record were ~1 % of the 400 MB
   * bench:diag profile (issue 13). Fields compared with ===, so a NaN never matches (the text is made again).
   */
  private readonly lastServCellInfo: Record<'pci' | 'earfcn' | 'band' | 'mcc' | 'mnc' | 'cell_identity', unknown> = {
    pci: NaN, // none yet: NaN equals no field value
    earfcn: NaN,
    band: NaN,
    mcc: NaN,
    mnc: NaN,
    cell_identity: NaN,
  };
  private servingCellSamples = 0;
  /** Decoded NR 0xB97F records (KPIs only: the serving-cell detectors are LTE's). */
  private nrMeasurements = 0;
  /** The serving NR cell of the first carrier of the latest 0xB97F record (0xB888 counters carry none). */
  private lastNrCell: UeCellRef | undefined;
  /** Span of the timestamps as 1.25 ms ticks and 1/65536 fractions (NaN: none yet); numbers, not a pair per record. */
  private firstTicks = NaN;
  private firstFraction = 0;
  private lastTicks = NaN;
  private lastFraction = 0;
  private zeroTimestamps = 0;
  private warning: string | undefined;
  private stopped = false;

  constructor(
    container: DiagContainer,
    private readonly ctx: AnalyzerContext,
  ) {
    this.reader = new DiagLogReader(container, { indexOf: bufferIndexOf });
    this.offsetS = ctx.profile?.timing?.utc_gps_offset_s ?? DEFAULT_UTC_GPS_OFFSET_S;
    const thresholds = resolveUeThresholds(ctx.profile?.thresholds);
    const sink = ctx.sink;
    // With a sink the findings and the KPI rows (most of a log's rows) leave as they close.
    this.ue = new UeServingCellDetection(thresholds, sink);
    this.link = new UeLinkDetection(thresholds);
    this.kpi = new DiagKpiWindows(sink && ((batch) => sink.metrics(batch)));
    for (const [code, handle] of this.handlers) {
      this.handlerSlot[code] = this.handlerList.length;
      this.handlerList.push(handle);
    }
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.guard(() => {
      this.reader.append(chunk);
      this.drain();
    });
  }

  /**
   * A frame read in place refers to its chunk only until the next frame is read, and every frame is handled
   * before push() returns: a consumed chunk is not referenced again.
   */
  releasedBefore(): number {
    return this.reader.container === 'diag_hdlc' ? this.reader.consumedOffset : 0;
  }

  finish(): AnalyzerOutput {
    if (!this.stopped) {
      this.guard(() => {
        this.reader.end();
        this.drain();
      });
    }
    const t = this.tally;
    const ue = this.ue.finish();
    const rlf = this.rrc.finish();
    const oos = this.rlm.finish();
    const summary = {
      records: t.records,
      unknownRecords: t.unknown + t.commands,
      malformedRecords: t.malformed + t.badFrames,
      ...(!Number.isNaN(this.firstTicks)
        ? { firstTimestampNs: diagTimeToUtcNs(this.firstTicks, this.firstFraction, this.offsetS) }
        : {}),
      ...(!Number.isNaN(this.lastTicks)
        ? { lastTimestampNs: diagTimeToUtcNs(this.lastTicks, this.lastFraction, this.offsetS) }
        : {}),
      details: {
        record_kind: this.reader.container === 'dlf' || this.reader.container === 'isf' ? 'dlf_record' : 'diag_frame',
        framing: this.reader.framing,
        ...isfDetails(this.reader.isfCounts),
        utc_gps_offset_s: this.offsetS,
        ...(this.zeroTimestamps ? { zero_timestamp_records: this.zeroTimestamps } : {}),
        serving_cell_samples: this.servingCellSamples,
        ...(this.nrMeasurements ? { nr_measurement_records: this.nrMeasurements } : {}),
        ...(this.cellsSeen.size ? { cells_seen: [...this.cellsSeen.values()] } : {}),
        rrc_messages: this.rrcMessages,
        rlm_reports: this.rlmReports,
        ue_detectors: ueDetectorsLine(
          this.servingCellSamples,
          this.rrcMessages + this.nrRachTriggers,
          this.rlmReports,
          this.link.ran(),
        ),
        ue_link_inputs: this.link.inputs,
        ...t.toJson(),
      },
    };
    return {
      summary,
      anomalies: [...rlf, ...oos, ...ue, ...this.link.finish()],
      metrics: this.kpi.finish(),
      ...(this.warning || isfWarning(this.reader.isfCounts)
        ? { warning: [this.warning, isfWarning(this.reader.isfCounts)].filter(Boolean).join('; ') }
        : {}),
    };
  }

  private drain(): void {
    // Nothing before the loop: V8 allocates a function's feedback vector only once it has run a while (inside
    // the first call's loop), so loads before the loop of the first call left no type feedback, and the
    // code compiled for the second call deoptimised on them ('Insufficient type feedback', issue 13) — one
    // recompilation of drain() and all it inlines. One next() call site, in the loop, for the same reason.
    for (;;) {
      const rec = this.reader.next();
      if (!rec) break;
      // A code without decoder is counted as not decoded without asking the registry (most records of a log:
      // no body view, no look-ups).
      const res =
        rec.kind === 'log' && HAS_DECODER[rec.packet.logCode] === 1
          ? this.registry.decode(rec.packet.logCode, rec.packet.body)
          : undefined;
      // Every record through one call site, and the zero-time count kept on every log record: code met first
      // after drain() was compiled (the first DIAG command or bad frame, the first record without time)
      // deoptimised it, as the loads before the loop did.
      this.tally.add(rec, res);
      if (rec.kind !== 'log') continue;
      const p = rec.packet;
      const zero = p.ticks === 0;
      this.zeroTimestamps += zero ? 1 : 0;
      if (zero) continue; // the modem's clock was not set: kept out of the file's time span
      // NaN compares false: the first record sets both ends.
      if (!(p.ticks >= this.firstTicks) || (p.ticks === this.firstTicks && p.fraction < this.firstFraction)) {
        this.firstTicks = p.ticks;
        this.firstFraction = p.fraction;
      }
      if (!(p.ticks <= this.lastTicks) || (p.ticks === this.lastTicks && p.fraction > this.lastFraction)) {
        this.lastTicks = p.ticks;
        this.lastFraction = p.fraction;
      }
      if (res?.status !== 'decoded') continue;
      const slot = this.handlerSlot[p.logCode]!;
      if (slot !== 0) this.handlerList[slot]!(res.fields!, p, rec.index);
    }
  }

  /** Lists a serving cell under `key`; `replace` lets a richer text take the place of an earlier one. */
  private cellSeen(key: string, text: string, replace = false): void {
    if (this.cellsSeen.has(key) ? replace : this.cellsSeen.size < MAX_CELLS_LISTED) this.cellsSeen.set(key, text);
  }

  /**
   * What a decoded record of each log code feeds, one small function per code called through this table
   * (issue 13): with the branches written out in drain(), V8 inlined every handler into drain(), and log
   * codes met for the first time deoptimised it — drain() was compiled 9 times in the first pass over the
   * 100 MB bench:diag input (--trace-opt), 6 times through the table; compiling is part of the CPU time a
   * cold process spends beyond a warm one. Through the table the call site sees a dozen targets: nothing is
   * inlined, a new code costs only its handler.
   */
  private readonly handlers: ReadonlyMap<number, (f: DiagFields, p: DiagPacket, recordIndex: number) => void> = new Map<
    number,
    (f: DiagFields, p: DiagPacket, recordIndex: number) => void
  >([
    [LTE_ML1_SCELL_MEAS_RESPONSE, (f, p, i) => this.servingCells(f, this.tsNs(p), i)],
    [
      LTE_RRC_SERV_CELL_INFO,
      (f) => {
        // The same cell as the record before: its text is listed already (or the list was full, and stays so).
        const c = this.lastServCellInfo;
        if (
          c.pci === f.pci &&
          c.earfcn === f.earfcn &&
          c.band === f.band &&
          c.mcc === f.mcc &&
          c.mnc === f.mnc &&
          c.cell_identity === f.cell_identity
        )
          return;
        c.pci = f.pci;
        c.earfcn = f.earfcn;
        c.band = f.band;
        c.mcc = f.mcc;
        c.mnc = f.mnc;
        c.cell_identity = f.cell_identity;
        const text = `PCI ${f.pci} EARFCN ${f.earfcn} (band ${f.band}, ${f.mcc}-${f.mnc}, cell ${f.cell_identity})`;
        this.cellSeen(text, text);
      },
    ],
    [
      NR_RRC_SERV_CELL_INFO,
      (f) =>
        this.cellSeen(
          `nr ${f.pci} ${f.dl_arfcn}`,
          `NR PCI ${f.pci} NR-ARFCN ${f.dl_arfcn} (band n${f.band}, ${f.mcc}-${f.mnc}, cell ${f.cell_identity})`,
          true,
        ),
    ],
    [
      NR_RRC_CONFIG_INFO,
      (f) => {
        // one entry per active component carrier (arrays of the same length, TS 38.331 CellGroupConfig)
        const pci = f.pci as number[];
        const arfcn = f.dl_arfcn as number[];
        const band = f.band as number[];
        const bw = f.dl_bandwidth_mhz as (number | null)[];
        for (let i = 0; i < pci.length; i++)
          this.cellSeen(
            `nr ${pci[i]} ${arfcn[i]}`,
            `NR PCI ${pci[i]} NR-ARFCN ${arfcn[i]} (band n${band[i]}${bw[i] === null ? '' : `, ${bw[i]} MHz`}, ${f.connectivity_mode ?? 'mode unknown'})`,
          );
      },
    ],
    [
      LTE_ML1_RLM_REPORT,
      (f, p, i) => {
        this.rlmReports++;
        this.rlm.onReport({
          tsNs: this.tsNs(p),
          recordIndex: i,
          outOfSyncCount: Math.max(0, ...(f.out_of_sync_count as number[])),
          outOfSyncBlerPct: Math.max(0, ...(f.out_of_sync_bler_pct as number[])),
          t310Status: Math.max(0, ...(f.t310_status as number[])),
          cell: this.lastCell,
        });
      },
    ],
    [
      NR_ML1_SEARCHER_MEAS,
      (f, p) => {
        this.nrMeasurements++;
        this.kpi.onNrServingCells(this.tsNs(p), f);
        this.lastNrCell = nrPrimaryCell(f) ?? this.lastNrCell;
      },
    ],
    [NR_ML1_BEAM_MGMT, (f, p, i) => this.nr.beamReport(f, this.tsNs(p), i, this.lastNrCell)],
    [
      NR_MAC_RACH_TRIGGER,
      (f, p, i) => {
        this.nrRachTriggers++;
        this.nr.rachTrigger(f, this.tsNs(p), i, this.lastNrCell);
      },
    ],
    [NR_MAC_RACH_ATTEMPT, (f, p, i) => this.nr.rachAttempt(f, this.tsNs(p), i, this.lastNrCell)],
    [NR_MAC_PDSCH_STATS, (f, p) => this.kpi.onNrPdschStats(this.tsNs(p), this.lastNrCell, f)],
    [NR_MAC_UL_SCHEDULE, (f, p) => this.kpi.onNrPuschGrants(this.tsNs(p), this.lastNrCell, f)],
    [LTE_PUCCH_CSF, (f, p) => this.csf(f, p)],
    [LTE_PUSCH_CSF, (f, p) => this.csf(f, p)],
    [
      LTE_PDSCH_DEMAPPER_CONFIG,
      (f, p) => {
        // The record names its PCI: the last measured cell when it is that one, else the PCI alone.
        const pci = f.pci as number;
        const cell: UeCellRef =
          this.lastCell?.pci === pci ? this.lastLteCell! : ueCellRef('lte', pci, undefined, undefined);
        this.kpi.onPdschConfig(this.tsNs(p), cell, f);
      },
    ],
    ...[...LINK_CODES].map(
      (code) => [code, (f: DiagFields, p: DiagPacket, i: number) => this.linkRecord(code, f, this.tsNs(p), i)] as const,
    ),
    [
      NR_RRC_OTA,
      (f, p, i) => {
        // NR RRCReestablishmentRequest and its answer → radio_link_failure (TS 38.331 §5.3.7)
        this.rrcMessages++;
        const channel = f.channel as string | null;
        const message = (f.message as string | null) ?? undefined;
        if (!this.rrc.needsMessage(channel, message)) return; // nothing for the detector: no sample, no bigint
        const m = this.nrRrcSample;
        m.tsNs = this.tsNs(p);
        m.recordIndex = i;
        m.pci = f.pci as number;
        m.arfcn = f.arfcn as number;
        m.channel = channel;
        m.message = message;
        this.rrc.onMessage(m);
      },
    ],
    [
      LTE_RRC_OTA,
      (f, p, i) => {
        this.rrcMessages++;
        const channel = f.channel as string | null;
        const message = f.message as string | undefined;
        if (!this.rrc.needsMessage(channel, message)) return; // as NR's
        const m = this.lteRrcSample;
        m.tsNs = this.tsNs(p);
        m.recordIndex = i;
        m.pci = f.pci as number;
        m.earfcn = f.earfcn as number;
        m.channel = channel;
        m.message = message;
        m.reestablishmentCause = f.reestablishment_cause as string | undefined;
        m.cRnti = f.c_rnti as number | undefined;
        m.failedPci = f.reestablishment_pci as number | undefined;
        this.rrc.onMessage(m);
      },
    ],
  ]);

  /**
   * {@link handlers} indexed for drain(): the slot of each log code (0: none) and the handlers by slot — a
   * typed-array load instead of a Map look-up per decoded record (issue 13).
   */
  private readonly handlerSlot = new Uint8Array(65536);
  private readonly handlerList: ((f: DiagFields, p: DiagPacket, recordIndex: number) => void)[] = [() => {}];
  /**
   * The RRC message handed to the RRC detector, one object per RAT refilled per message (the detector
   * copies what it keeps), with the keys the per-message object literals had, in their order.
   */
  private readonly lteRrcSample: RrcMessageSample = {
    tsNs: 0n,
    recordIndex: 0,
    pci: 0,
    earfcn: undefined,
    channel: null,
    message: undefined,
    reestablishmentCause: undefined,
    cRnti: undefined,
    failedPci: undefined,
  };
  private readonly nrRrcSample: RrcMessageSample = {
    tsNs: 0n,
    recordIndex: 0,
    rat: 'nr',
    pci: 0,
    arfcn: undefined,
    channel: null,
    message: undefined,
  };

  /**
   * The serving-cell sample handed to the serving-cell detector, refilled per cell (its onSample copies what
   * it keeps): an object per 0xB193 cell was a twentieth of the analysis's garbage (issue 13).
   */
  private readonly cellSample: ServingCellSample = {
    tsNs: 0n,
    recordIndex: 0,
    earfcn: 0,
    pci: 0,
    rsrp: null,
    rsrq: null,
    sinr: null,
    rsrpRx: [],
  };

  private tsNs(p: DiagPacket): bigint {
    return diagTimeToUtcNs(p.ticks, p.fraction, this.offsetS);
  }

  /** A PUCCH/PUSCH CSF report (0xB14D/0xB14E) to the KPI windows, on the last measured LTE cell. */
  private csf(f: DiagFields, p: DiagPacket): void {
    const cell: UeCellRef | undefined = this.lastLteCell;
    this.kpi.onCsf(this.tsNs(p), cell, f);
  }

  /** A decoded MAC/PDSCH record to the UE link detectors and the KPI windows (diag-link-samples.ts). */
  private linkRecord(logCode: number, f: DiagFields, tsNs: bigint, recordIndex: number): void {
    const cell: UeCellRef | undefined = this.lastLteCell;
    const base: SampleBase = { tsNs, recordIndex, cell };
    if (logCode === LTE_PDSCH_STAT_INDICATION)
      pdschTbSamples(f, base, (s) => {
        this.link.onPdschTb(s);
        this.kpi.onPdschTb(s);
      });
    else if (logCode === LTE_MAC_UL_TRANSPORT_BLOCK)
      puschPowerSamples(f, base, (s) => {
        if (!this.puschPowerLogged) this.link.onPuschPower(s);
        this.kpi.onPuschPower(s);
      });
    else if (logCode === LTE_PUSCH_POWER_CONTROL) {
      this.kpi.onUlPowerControl(tsNs, cell, f, true);
      puschPowerControlSamples(f, base, (s) => {
        this.puschPowerLogged = true;
        this.link.onPuschPower(s);
        this.kpi.onPuschPower(s);
      });
    } else if (logCode === LTE_PUCCH_POWER_CONTROL) this.kpi.onUlPowerControl(tsNs, cell, f, false);
    else if (logCode === LTE_PUSCH_TX_REPORT) {
      // the record names its PCI: the last measured cell when it is that one, else the PCI alone
      const pci = f.pci as number;
      this.kpi.onPuschTxReport(tsNs, cell?.pci === pci ? cell : ueCellRef('lte', pci, undefined, undefined), f);
    } else if (logCode === LTE_MAC_RACH_TRIGGER) this.kpi.onRachTrigger(tsNs, cell);
    else if (logCode === LTE_MAC_DL_TRANSPORT_BLOCK) taCommandSamples(f, base, this.onTa);
    else if (logCode === LTE_MAC_RACH_ATTEMPT)
      rachSamples(
        f,
        base,
        (s) => {
          this.link.onRachAttempt(s);
          this.kpi.onRachAttempt(s);
        },
        this.onTa,
      );
  }

  private readonly onTa = (s: Parameters<UeLinkDetection['onTimingAdvance']>[0]): void => {
    this.link.onTimingAdvance(s);
    this.kpi.onTimingAdvance(s);
  };

  /**
   * Each serving cell of a decoded 0xB193 record to the KPI windows (its 1-second KPIs, all of them) and the
   * UE detectors (SINR: the best chain's SNR).
   */
  private servingCells(f: DiagFields, tsNs: bigint, recordIndex: number): void {
    const serving = f.is_serving_cell as readonly boolean[];
    for (let i = 0; i < serving.length; i++) {
      if (!serving[i]) continue;
      this.servingCellSamples++;
      const earfcn = (f.earfcn as number[])[i]!;
      const pci = (f.pci as number[])[i]!;
      // PCell; a new object only when the cell changes (the link samples and KPI windows keep it)
      if (
        (f.serving_cell_index as number[])[i] === 0 &&
        (this.lastCell?.earfcn !== earfcn || this.lastCell.pci !== pci)
      ) {
        this.lastCell = { earfcn, pci };
        this.lastLteCell = ueCellRef('lte', pci, earfcn, undefined);
      }
      const sinr = bestOf((f.snr_rx as (number | null)[][])[i]!);
      this.kpi.onServingCell(tsNs, f, i, pci, earfcn, sinr);
      const s = this.cellSample;
      s.tsNs = tsNs;
      s.recordIndex = recordIndex;
      s.earfcn = earfcn;
      s.pci = pci;
      s.rsrp = (f.rsrp as (number | null)[])[i]!;
      s.rsrq = (f.rsrq as (number | null)[])[i]!;
      s.sinr = sinr;
      s.rsrpRx = (f.rsrp_rx as (number | null)[][])[i]!;
      this.ue.onSample(s);
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof CaptureFormatError)) throw err;
      this.stopped = true;
      // Nothing readable at all (e.g. a .qmdl2 whose stream is not HDLC): the file cannot be analysed.
      if (this.tally.records === 0)
        throw new InputError(this.ctx.fileName, err.byteOffset, `${err.recordType} ${err.reason}`);
      // Everything before the fault is kept (interfaces.md: exit 0 with a warning).
      this.warning =
        err instanceof CaptureTruncatedError
          ? `analysed up to offset ${err.byteOffset}: the last ${err.availableBytes} bytes are an unterminated ${err.recordType} (file cut short)`
          : `analysed up to offset ${err.byteOffset}: ${err.recordType} ${err.reason}`;
    }
  }
}

const MAX_CELLS_LISTED = 16;

/**
 * The HDLC reader's flag and escape search through Node's Buffer.prototype.indexOf (memchr) on the plain
 * Uint8Array chunks: 3× faster than Uint8Array.prototype.indexOf on the bench:diag input (capture's
 * DiagByteSearch says why the core does not do this itself); same positions, any start offset ≥ 0.
 */
const bufferIndexOf: DiagByteSearch = (bytes, byte, from) => Buffer.prototype.indexOf.call(bytes as Buffer, byte, from);

/** 1 for each log code (u16) the decoder table has a decoder for: the registry's own table, indexed. */
const HAS_DECODER = new Uint8Array(65536);
for (const d of DIAG_LOG_DECODERS) HAS_DECODER[d.logCode] = 1;

/** The highest of the measured values (null when none was measured): the best chain's SNR. */
function bestOf(values: readonly (number | null)[]): number | null {
  let best: number | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}

/** The first serving cell of a decoded 0xB97F record. */
function nrPrimaryCell(f: DiagFields): UeCellRef | undefined {
  const i = (f.is_serving_cell as readonly boolean[]).indexOf(true);
  return i < 0 ? undefined : ueCellRef('nr', (f.pci as number[])[i]!, undefined, (f.arfcn as number[])[i]!);
}

/** Log codes whose records feed the UE link detectors (diag-link-samples.ts). */
const LINK_CODES: ReadonlySet<number> = new Set([
  LTE_PDSCH_STAT_INDICATION,
  LTE_MAC_UL_TRANSPORT_BLOCK,
  LTE_MAC_DL_TRANSPORT_BLOCK,
  LTE_MAC_RACH_ATTEMPT,
  LTE_PUSCH_POWER_CONTROL,
  LTE_PUCCH_POWER_CONTROL,
  LTE_PUSCH_TX_REPORT,
  LTE_MAC_RACH_TRIGGER,
]);

/** Which UE detectors had input, for the summary: an empty list must not read as "all is well". */
/** `rlfInputs`: RRC messages (LTE 0xB0C0, NR 0xB821) and NR RACH triggers (0xB889). */
function ueDetectorsLine(servingCells: number, rlfInputs: number, rlmReports: number, link: string[]): string {
  const ran = [
    ...(servingCells > 0 ? ['rsrp_low', 'rsrp_drop', 'sinr_drop', 'rx_imbalance'] : []),
    ...(rlfInputs > 0 ? ['radio_link_failure'] : []),
    ...(rlmReports > 0 ? ['out_of_sync'] : []),
    ...link,
  ];
  return ran.length > 0
    ? ran.join(', ')
    : 'none ran: no decoded serving-cell measurement (0xB193), RRC message (0xB0C0, NR 0xB821), RLM report (0xB18A), PDSCH stat (0xB173), MAC transport block (0xB063/0xB064), RACH attempt (0xB062, NR 0xB88A) or NR beam report / RACH trigger (0xB975/0xB889)';
}

/** What an .isf scan read and what it could not (the format is closed: see capture's isf-scanner.ts). */
function isfDetails(c: IsfScanCounts | undefined): Record<string, unknown> {
  if (!c) return {};
  return {
    isf_scan: {
      items: c.items,
      bytes_not_understood: c.bytesNotUnderstood,
      gaps: c.gaps,
      note: 'QXDM .isf is a closed format: its DLF-shaped log items were found by scanning; the bytes between them (the per-item wrapper) were not decoded',
    },
  };
}

function isfWarning(c: IsfScanCounts | undefined): string | undefined {
  if (!c) return undefined;
  if (c.items === 0)
    return 'this .isf file cannot be decoded: no DLF-shaped log item was found in it (QXDM .isf is a closed format; export the log as .qmdl or .dlf from QXDM/QCAT)';
  return undefined;
}
