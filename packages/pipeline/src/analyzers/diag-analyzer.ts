import {
  CaptureFormatError,
  CaptureTruncatedError,
  DiagDecoderRegistry,
  DiagLogReader,
  DiagTally,
  diagTimeToUtcNs,
  DEFAULT_UTC_GPS_OFFSET_S,
  type DiagContainer,
} from '@l1t/capture';
import { InputError, type AnalyzerContext, type AnalyzerOutput, type FileAnalyzer } from '../analysis-types.js';
import type { ReleasingAnalyzer } from '../analyze-file.js';

/**
 * Reads a Qualcomm DIAG log (.qmdl/.mi2log HDLC stream, .qmdl2, .dlf) record by record, runs the decoder
 * of each (log code, version) and accounts for every record in the file summary: decoded, recognised but
 * not decoded (per pair, shown as `decode_status`), malformed, other DIAG commands, bad frames. No UE
 * detector runs yet, so the summary says what was decoded instead of a bare "0 anomalies".
 */
export class DiagAnalyzer implements FileAnalyzer, ReleasingAnalyzer {
  private readonly reader: DiagLogReader;
  private readonly registry = new DiagDecoderRegistry();
  private readonly tally = new DiagTally();
  private readonly offsetS: number;
  private first: [number, number] | undefined;
  private last: [number, number] | undefined;
  private zeroTimestamps = 0;
  private warning: string | undefined;
  private stopped = false;

  constructor(
    container: DiagContainer,
    private readonly ctx: AnalyzerContext,
  ) {
    this.reader = new DiagLogReader(container);
    this.offsetS = ctx.profile?.timing?.utc_gps_offset_s ?? DEFAULT_UTC_GPS_OFFSET_S;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.guard(() => {
      this.reader.append(chunk);
      this.drain();
    });
  }

  /** HDLC frames are copied into the reader's frame buffer, so a consumed chunk is not referenced again. */
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
    const summary = {
      records: t.records,
      unknownRecords: t.unknown + t.commands,
      malformedRecords: t.malformed + t.badFrames,
      ...(this.first ? { firstTimestampNs: diagTimeToUtcNs(this.first[0], this.first[1], this.offsetS) } : {}),
      ...(this.last ? { lastTimestampNs: diagTimeToUtcNs(this.last[0], this.last[1], this.offsetS) } : {}),
      details: {
        record_kind: this.reader.container === 'dlf' ? 'dlf_record' : 'diag_frame',
        framing: this.reader.framing,
        utc_gps_offset_s: this.offsetS,
        ...(this.zeroTimestamps ? { zero_timestamp_records: this.zeroTimestamps } : {}),
        ...t.toJson(),
      },
    };
    return { summary, anomalies: [], metrics: [], ...(this.warning ? { warning: this.warning } : {}) };
  }

  private drain(): void {
    for (let rec = this.reader.next(); rec; rec = this.reader.next()) {
      if (rec.kind !== 'log') {
        this.tally.add(rec, undefined);
        continue;
      }
      const p = rec.packet;
      this.tally.add(rec, this.registry.decode(p.logCode, p.body));
      if (p.ticks === 0) {
        this.zeroTimestamps++; // the modem's clock was not set: kept out of the file's time span
        continue;
      }
      if (!this.first || p.ticks < this.first[0] || (p.ticks === this.first[0] && p.fraction < this.first[1]))
        this.first = [p.ticks, p.fraction];
      if (!this.last || p.ticks > this.last[0] || (p.ticks === this.last[0] && p.fraction > this.last[1]))
        this.last = [p.ticks, p.fraction];
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
