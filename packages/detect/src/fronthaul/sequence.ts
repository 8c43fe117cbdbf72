import type { FlowKey, RadioKey } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  Occurrence,
  ResolvedThresholds,
} from '../framework/detector.js';
import { radioOf, type FlowRef } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';
import { numberOption } from '../framework/thresholds.js';
import { kpiBucketRange } from '../framework/kpi-buckets.js';
import { isoNs } from '../time-format.js';
import { MAX_REORDER_HORIZON, SequenceFlow, type SeqHole } from './sequence-flow.js';
import { CaptureTimeBase, EXACT_REL_NS } from './air-time.js';
import { round3, sampleFactor } from '../framework/confidence.js';

/**
 * `seq_gap`, `seq_duplicate`, `seq_reorder` per flow (eAxC × plane × direction) on the 8-bit ecpriSeqid
 * SEQ_ID, modulo 256 (O-RAN WG4 CUS §5.4.4.4). Rules in {@link SequenceFlow}. Per flow it also counts
 * what the O-RU counters count: RX_TOTAL / RX_TOTAL_C and RX_SEQID_ERR / RX_SEQID_ERR_C (packets whose
 * sequence id was not the next expected one: the packet after a gap, a duplicate, a late packet), plus
 * SEQ_MISSING (ids finally missing), SEQ_GAPS, SEQ_DUPLICATES, SEQ_REORDERS.
 */
export const SEQUENCE_THRESHOLDS = {
  seq_gap: [
    {
      name: 'min_missing',
      default: 1,
      unit: 'ids',
      min: 1,
      max: 127,
      description: 'Report a gap only when at least this many sequence ids are finally missing',
    },
  ],
  seq_reorder: [
    {
      name: 'horizon',
      default: MAX_REORDER_HORIZON,
      unit: 'ids',
      min: 1,
      max: MAX_REORDER_HORIZON,
      description:
        'A late packet up to this many ids behind the highest seen fills a hole (reorder); missing ids become a final gap past it',
    },
  ],
} as const;

interface GapTag {
  flow: FlowKey;
  radio: RadioKey | undefined;
  label: string;
  plane: 'c' | 'u';
  /** Packets around the first packet after the gap, pinned now: the gap may become final much later. */
  context: Record<string, unknown>[] | undefined;
}

class FlowState {
  readonly seq: SequenceFlow;
  packets = 0;
  seqErr = 0;
  gaps = 0;
  missing = 0;
  duplicates = 0;
  reorders = 0;
  lastTsNs = 0n;
  /** The KPI bucket being filled: [secStartNs, secEndNs) (framework/kpi-buckets.ts). */
  secStartNs = -1n;
  secEndNs = -1n;
  /**
   * The same bounds in ns since the file's first packet, tested per message instead of the bigints when
   * exact (`secRelExact`; below -1n any time opens a bucket, as -Infinity does here).
   */
  secStartRel = -Infinity;
  secEndRel = -Infinity;
  secRelExact = true;
  secPackets = 0;
  secErr = 0;
  labels: Record<string, string> | undefined;

  constructor(
    readonly flow: FlowRef,
    readonly name: string,
    readonly plane: 'c' | 'u',
    horizon: number,
    onGap: (h: SeqHole, ids: number[]) => void,
  ) {
    this.seq = new SequenceFlow(horizon, onGap);
  }
}

class SequenceDetector implements Detector {
  /** Per flow of the stage's flow table (bounded by its cap; state of an evicted flow is closed first). */
  private readonly flows = new FlowStates<FlowState>((flow) => {
    const state: FlowState = new FlowState(flow, flow.name, flow.plane, this.horizon, (h, ids) =>
      this.gap(state, h, ids),
    );
    return state;
  });
  private readonly horizon: number;
  private readonly minMissing: number;
  /** The context of the current call, for gaps finalized inside `observe`. */
  private ctx: DetectContext | undefined;
  /** Capture time since the file's first packet (`ctx.clock.firstTsNs`), for the KPI bucket test. */
  private readonly time = new CaptureTimeBase();

  constructor(thresholds: ResolvedThresholds) {
    this.horizon = numberOption(thresholds, 'seq_reorder', 'horizon', MAX_REORDER_HORIZON);
    this.minMissing = numberOption(thresholds, 'seq_gap', 'min_missing', 1);
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m: o } = msg;
    const f = this.flows.get(msg.flow);
    if (!this.time.hasBase) this.time.setBase(ctx.clock.firstTsNs);
    const rel = this.time.relNs(p.tsNs);
    // the bucket's bounds as numbers: the same test as on the bigints while both sides are exact (issue 14)
    if (
      f.secRelExact && rel > -EXACT_REL_NS && rel < EXACT_REL_NS
        ? rel >= f.secEndRel || rel < f.secStartRel
        : p.tsNs >= f.secEndNs || p.tsNs < f.secStartNs
    )
      this.nextSecond(f, p.tsNs, ctx);
    f.packets++;
    f.secPackets++;
    f.lastTsNs = p.tsNs;
    this.ctx = ctx;
    const obs = f.seq.observe(o.sequenceId, o.eBit, o.subsequenceId, p.index, p.tsNs);
    switch (obs.verdict) {
      case 'in_order':
      case 'first':
      case 'fragment':
        return;
      case 'gap_opened':
        f.seqErr++;
        f.secErr++;
        f.seq.lastHole!.tag = gapTag(msg, ctx);
        return;
      case 'duplicate': {
        f.seqErr++;
        f.secErr++;
        f.duplicates++;
        ctx.report(
          this.occurrence(
            msg,
            f.packets,
            'seq_duplicate',
            'minor',
            {
              seq: o.sequenceId,
              highest_seq: obs.previousHigh,
              behind: obs.behind,
            },
            `Duplicate sequence id ${o.sequenceId} on ${msg.flow.label}`,
          ),
        );
        return;
      }
      case 'reorder': {
        f.seqErr++;
        f.secErr++;
        f.reorders++;
        const what = obs.filledHole
          ? 'late packet filled a hole'
          : obs.afterFinalGap
            ? 'arrived after its gap was reported'
            : 'older than the flow start';
        ctx.report(
          this.occurrence(
            msg,
            f.packets,
            'seq_reorder',
            'minor',
            {
              seq: o.sequenceId,
              highest_seq: obs.previousHigh,
              behind: obs.behind,
              horizon: this.horizon,
              filled_gap: obs.filledHole,
              after_reported_gap: obs.afterFinalGap,
            },
            `Sequence id ${o.sequenceId} arrived ${obs.behind} behind ${obs.previousHigh} on ${msg.flow.label} (${what})`,
          ),
        );
        return;
      }
    }
  }

  /** A flow evicted from the stage's table: its pending holes become final, its counters are written. */
  onFlowEvicted(flow: FlowRef, ctx: DetectContext): void {
    const f = this.flows.peek(flow);
    if (f === undefined) return;
    this.close(f, ctx);
    this.flows.delete(flow);
  }

  finish(ctx: DetectContext): void {
    for (const f of this.flows.values()) this.close(f, ctx);
  }

  private close(f: FlowState, ctx: DetectContext): void {
    this.ctx = ctx;
    f.seq.end();
    const c = f.plane === 'c' ? '_C' : '';
    const count = ctx.count?.bind(ctx);
    if (count) {
      count(f.name, `RX_TOTAL${c}`, f.packets);
      count(f.name, `RX_SEQID_ERR${c}`, f.seqErr);
      count(f.name, 'SEQ_MISSING', f.missing);
      count(f.name, 'SEQ_GAPS', f.gaps);
      count(f.name, 'SEQ_DUPLICATES', f.duplicates);
      count(f.name, 'SEQ_REORDERS', f.reorders);
    }
    this.flushSecond(f, ctx);
    ctx.metric({
      timestamp: isoNs(f.lastTsNs),
      source: 'fronthaul',
      name: 'seq_missing',
      labels: metricLabels(f),
      value: f.missing,
    });
  }

  /**
   * Per flow and KPI bucket of capture time: `rx_total` / `rx_total_c` and `rx_seqid_err` / `rx_seqid_err_c`
   * (the O-RU counters as a time series). Runs once per flow and bucket, not per packet.
   */
  private nextSecond(f: FlowState, tsNs: bigint, ctx: DetectContext): void {
    this.flushSecond(f, ctx);
    // The KPI bucket of this time (framework/kpi-buckets.ts: 10 ms in the first second, then 100 ms, then 1 s).
    const first = ctx.clock.firstTsNs;
    const rel = Number(tsNs - first);
    const [start, end] = kpiBucketRange(rel);
    f.secStartNs = first + BigInt(start);
    f.secEndNs = first + BigInt(end);
    f.secStartRel = start;
    f.secEndRel = end;
    f.secRelExact = rel > -EXACT_REL_NS && rel < EXACT_REL_NS;
  }

  private flushSecond(f: FlowState, ctx: DetectContext): void {
    if (f.secPackets === 0) return;
    const c = f.plane === 'c' ? '_c' : '';
    const timestamp = isoNs(f.secStartNs);
    const labels = metricLabels(f);
    ctx.metric({ timestamp, source: 'fronthaul', name: `rx_total${c}`, labels, value: f.secPackets });
    ctx.metric({ timestamp, source: 'fronthaul', name: `rx_seqid_err${c}`, labels, value: f.secErr });
    f.secPackets = 0;
    f.secErr = 0;
  }

  private gap(f: FlowState, h: SeqHole, ids: number[]): void {
    const missing = ids.length;
    f.missing += missing;
    if (missing < this.minMissing) return;
    f.gaps++;
    const tag = h.tag as GapTag;
    const planeText = tag.plane === 'c' ? 'C-plane' : 'U-plane';
    const evidence: Record<string, unknown> = {
      expected_seq: h.fromAbs & 0xff,
      got_seq: h.after.seq,
      missing,
      min_missing: this.minMissing,
      missing_ids: ids.length <= 16 ? ids : [...ids.slice(0, 16), `… ${ids.length - 16} more`],
      last_seq: h.before.seq,
      last_packet_index: h.before.index,
      last_timestamp: isoNs(h.before.tsNs),
      filled_late: h.toAbs - h.fromAbs + 1 - missing,
    };
    const o: Occurrence = {
      type: 'seq_gap',
      source: 'fronthaul',
      // Lost U-plane data is lost IQ on the air; lost C-plane means its U-plane cannot be processed (anomalies.md §Severity).
      severity: 'critical',
      // a flow established over many ids makes a hole a loss, not a flow seen from its middle or mixed up
      confidence: round3(0.99 * sampleFactor(f.packets, 256, 0.7)),
      tsNs: h.after.tsNs,
      packetIndex: h.after.index,
      packetCount: 1,
      flow: tag.flow,
      aggregationKey: `seq_gap|${f.name}`,
      description: `${missing} ${planeText} packet${missing === 1 ? '' : 's'} missing on ${tag.label} (seq ${h.before.seq} → ${h.after.seq})`,
      evidence,
      totals: { missing },
    };
    if (tag.radio) o.radio = tag.radio;
    if (tag.context) o.packetContext = tag.context;
    this.ctx?.report(o);
  }

  private occurrence(
    msg: FronthaulMessage,
    packets: number,
    type: 'seq_duplicate' | 'seq_reorder',
    severity: 'minor',
    evidence: Record<string, unknown>,
    description: string,
  ): Occurrence {
    const o: Occurrence = {
      type,
      source: 'fronthaul',
      severity,
      confidence: round3(0.95 * sampleFactor(packets, 256, 0.7)),
      tsNs: msg.p.tsNs,
      packetIndex: msg.p.index,
      packetCount: 1,
      flow: msg.flow.key,
      aggregationKey: `${type}|${msg.flow.name}`,
      description,
      evidence,
    };
    const radio = radioOf(msg.m);
    if (radio) o.radio = radio;
    return o;
  }
}

function metricLabels(f: FlowState): Record<string, string> {
  if (f.labels === undefined) {
    const [plane, direction, eaxc] = f.name.split('|') as [string, string, string];
    f.labels = { flow: f.name, plane, direction, eaxc: eaxc.slice('eaxc='.length) };
  }
  return f.labels;
}

function gapTag(msg: FronthaulMessage, ctx: DetectContext): GapTag {
  const f = msg.flow;
  return {
    flow: f.key,
    radio: radioOf(msg.m),
    label: `eAxC ${f.eaxc} ${f.dl ? 'DL' : 'UL'}${f.name.slice(f.name.indexOf('|eaxc=') + 6 + String(f.eaxc).length)}`,
    plane: f.plane,
    context: ctx.pinContext?.(msg.p.index),
  };
}

export const sequenceDetector: DetectorDefinition = {
  name: 'sequence',
  types: ['seq_gap', 'seq_duplicate', 'seq_reorder'],
  thresholds: SEQUENCE_THRESHOLDS,
  reference: 'O-RAN WG4 CUS §5.4.4.4 (ecpriSeqid); eCPRI v2.0 §3.2.4.1',
  create: ({ thresholds }) => new SequenceDetector(thresholds),
};
