import {
  CaptureFormatError,
  CaptureTruncatedError,
  createCaptureReader,
  createPacketDecoder,
  DecodedPacket,
  firstChunkSplit,
  type CaptureReader,
  type PacketDecoder,
} from '@l1t/capture';
import { createFronthaulDetection, type FronthaulDetection } from '@l1t/detect';
import {
  InputError,
  type AnalyzerContext,
  type AnalyzerOutput,
  type DecodeSummary,
  type DraftSink,
  type FileAnalyzer,
} from '../analysis-types.js';
import type { ReleasingAnalyzer } from '../analyze-file.js';
import { decodeOptionsFromProfile } from '../decode-options.js';
import { PacketTally } from './packet-tally.js';
import { captureVerdict } from './capture-verdict.js';
import { UnanalysedTally } from './unanalysed-tally.js';
import { DetectedValuesCollector, profileSettings } from './detected-values.js';

/**
 * Findings about lengths say nothing about the wire when the capture itself cut the frame (snaplen):
 * such a frame is counted in `snaplen_truncated_packets`, not reported as malformed.
 */
const LENGTH_CODES: ReadonlySet<string> = new Set([
  'truncated',
  'payload_size_beyond_frame',
  'payload_too_short',
  'section_overrun',
  'ext_len_overrun',
  'section_count_mismatch',
  'ud_comp_len_mismatch',
]);

function dropLengthFindings(p: DecodedPacket): void {
  const f = p.findings;
  let kept = 0;
  for (let i = 0; i < f.count; i++) {
    const it = f.items[i]!;
    if (LENGTH_CODES.has(it.code)) continue;
    if (kept !== i) {
      const dst = f.items[kept]!;
      dst.type = it.type;
      dst.code = it.code;
      dst.byteOffset = it.byteOffset;
      dst.value = it.value;
    }
    kept++;
  }
  f.count = kept;
}

/**
 * Reads a pcap/pcapng capture record by record, decodes every packet into one reused DecodedPacket
 * (`createPacketDecoder` with the profile's options) and feeds the fronthaul detection (every registered
 * detector sees each packet once, in file order). The container reader keeps memory bounded by one
 * record; the detection by its per-flow state.
 *
 * The profile's `thresholds` are resolved here: an unknown type or option throws (the CLI checks the
 * profile first and reports a usage error).
 */
export class CaptureAnalyzer implements FileAnalyzer, ReleasingAnalyzer {
  private readonly reader: CaptureReader;
  private readonly decoder: PacketDecoder;
  private readonly detection: FronthaulDetection;
  private readonly packet = new DecodedPacket();
  private readonly tally = new PacketTally();
  private readonly unanalysed = new UnanalysedTally();
  /** What the packets showed of the profile's settings (issue 16): `details.detected`. */
  private readonly detected = new DetectedValuesCollector();
  /** A packet's timestamp differed from the first one (a capture whose clock never moves is not timed). */
  private clockAdvanced = false;
  private readonly summary: DecodeSummary = { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} };
  private truncatedPackets = 0;
  /** Input offset up to which the last packet's bytes reach (its record header is not counted). */
  private lastPacketEnd = 0;
  private warning: string | undefined;
  private stopped = false;
  /** The file views are wanted (AnalyzerContext.views): in the output, with their PRB heatmaps. */
  private readonly views: boolean;

  constructor(
    format: 'pcap' | 'pcapng',
    private readonly ctx: AnalyzerContext,
  ) {
    this.reader = createCaptureReader(format);
    this.views = ctx.views !== false;
    // The detectors read per-section IQ totals, never the per-PRB dB values (decode-only work); the file
    // views' PRB heatmap reads each PRB's sum of squares, kept by the same SIMD pass (prbSums) — only when
    // the views are wanted: without them the heatmaps are not drawn and nothing reads the sums.
    this.decoder = createPacketDecoder({
      ...decodeOptionsFromProfile(ctx.profile),
      prbIq: false,
      prbSums: this.views,
    });
    // With a sink, closed findings and metrics leave in batches while the file is read (bounded memory).
    // The views are collected either way: the summary's detected timing mode and references come from them.
    const detection: Parameters<typeof createFronthaulDetection>[0] & { sink?: DraftSink } = {
      profile: ctx.profile,
      ...(ctx.sink ? { sink: ctx.sink } : {}),
      ...(this.views ? {} : { heatmaps: false }),
    };
    this.detection = createFronthaulDetection(detection);
  }

  /**
   * Nothing before the end of the last packet read is referenced any more: the reader drops consumed
   * chunks, keeps only the record in progress, and nothing here keeps a packet's bytes. After a fatal
   * container error no pushed byte is read again.
   */
  releasedBefore(): number {
    return this.stopped ? Infinity : this.lastPacketEnd;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    const split = this.summary.records === 0 ? firstChunkSplit(chunk.length) : 0;
    if (split > 0) {
      // The first chunk goes to the reader in two parts (first-chunk-split.ts): its chunk-end paths — no
      // whole record left (`next()` reads `ended`), a record assembled across chunks (ByteQueue's scratch,
      // first written then) — run on the first few dozen records, before V8 optimises drain() with the
      // reader inlined (--trace-deopt --trace-opt on the 300 MB bench:analyze shapes: step() deopts 2 -> 0
      // on fh_ks and fh_1x1, drain() deopts 1-2 -> 0 and compiles 3 -> 2 on fh_ks; issue 14).
      this.reader.append(chunk.subarray(0, split));
      this.drain();
      if (this.stopped) return;
      chunk = chunk.subarray(split);
    }
    this.reader.append(chunk);
    this.drain();
  }

  finish(): AnalyzerOutput {
    if (!this.stopped) {
      this.reader.end();
      this.drain();
    }
    const result = this.detection.finish();
    const info = this.reader.fileInfo();
    this.summary.details = {
      ...this.summary.details,
      link_types: info?.linkTypes ?? [],
      link_type_supported: info?.linkTypeSupported ?? true,
      snaplen: info?.snapLen,
      sections: info?.sectionCount ?? 0,
      interfaces: info?.interfaceCount ?? 0,
      snaplen_truncated_packets: this.truncatedPackets,
      ...this.tally.details(),
      flow_counters: result.counters,
      detected: this.detected.values(result.views?.timing),
      profile_settings: profileSettings(this.ctx.profile),
      ...(result.warnings ? { detector_warnings: result.warnings } : {}),
    };
    const verdict = captureVerdict({
      records: this.summary.records,
      analysed: this.unanalysed.analysed,
      notAnalysed: this.unanalysed.list(),
      clockAdvanced: this.clockAdvanced,
      firstTimestampNs: this.summary.firstTimestampNs,
    });
    Object.assign(this.summary.details, verdict.details);
    const warning = [this.warning, ...verdict.warnings].filter((w) => w !== undefined).join('; ');
    return {
      summary: this.summary,
      anomalies: result.anomalies,
      metrics: result.metrics,
      ...(warning ? { warning } : {}),
      ...(this.views && result.views && result.views.flows.length > 0 ? { views: result.views } : {}),
    };
  }

  private drain(): void {
    const p = this.packet;
    try {
      for (let rec = this.reader.next(); rec !== undefined; rec = this.reader.next()) {
        if (rec.kind === 'packet') {
          const s = this.summary;
          s.records++;
          if (s.firstTimestampNs === undefined) s.firstTimestampNs = rec.tsNs;
          else if (!this.clockAdvanced && rec.tsNs !== s.firstTimestampNs) this.clockAdvanced = true;
          s.lastTimestampNs = rec.tsNs;
          if (rec.truncated) this.truncatedPackets++;
          this.lastPacketEnd = rec.byteOffset + rec.capLen;
          // `rec.data` is valid until the next reader call: decode and detect before asking for more.
          this.decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, p);
          if (rec.truncated && p.findings.count > 0) dropLengthFindings(p);
          this.tally.add(p);
          this.unanalysed.add(p);
          this.detected.observe(p);
          if (p.findings.count > 0) s.malformedRecords++;
          this.detection.onPacket(p);
        } else if (rec.kind === 'unknown') {
          this.summary.unknownRecords++;
        }
      }
    } catch (err) {
      this.stopped = true;
      if (!(err instanceof CaptureFormatError)) throw err;
      // Nothing readable at all: the container header is corrupt, the file cannot be analysed (exit 3).
      if (this.summary.records === 0 && !(err instanceof CaptureTruncatedError && err.byteOffset > 0)) {
        throw new InputError(this.ctx.fileName, err.byteOffset, `${err.recordType} ${err.reason}`);
      }
      // Everything before the fault is kept; the file is analysed up to it (interfaces.md: exit 0, warning).
      this.warning = `analysed up to offset ${err.byteOffset}: ${err.recordType} ${err.reason}`;
    }
  }
}
