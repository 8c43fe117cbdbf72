import { looksLikeLinuxptpLog, parseLinuxptpLine, type LinuxptpProgram } from '@l1t/capture';
import { LinuxptpDetection, LOG_TIME_BASIS, resolveLinuxptpThresholds } from '@l1t/detect';
import type { AnalyzerContext, AnalyzerOutput, DecodeSummary, FileAnalyzer } from '../analysis-types.js';
import type { TextLogKind } from './text-log-kinds.js';

/** A line longer than this is not a linuxptp line (they are < 1 KiB: print.c's buffer): counted, not kept. */
const MAX_LINE_CHARS = 4096;

/**
 * A linuxptp log (ptp4l, phc2sys, ts2phc output, verbose or syslog form) line by line: each line parsed
 * (`@l1t/capture` linuxptp), fed to the log detectors, and accounted for in the summary (servo samples per
 * program, port transitions, lines that are not linuxptp's). Findings carry the line number as
 * `packet_index`; times are the programs' monotonic clock (the log has no date), said in the summary.
 */
export class LinuxptpLogAnalyzer implements FileAnalyzer {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private line = 0;
  private readonly detection: LinuxptpDetection;
  private readonly perProgram: Partial<Record<LinuxptpProgram, number>> = {};
  private readonly kinds: Record<string, number> = {};
  private otherText = 0;
  private longLines = 0;
  private firstS: number | undefined;
  private lastS: number | undefined;
  private backwards = 0;

  constructor(ctx: AnalyzerContext) {
    this.detection = new LinuxptpDetection(resolveLinuxptpThresholds(ctx.profile?.thresholds));
  }

  push(chunk: Uint8Array): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.pending = lines.pop()!;
    if (this.pending.length > MAX_LINE_CHARS) {
      this.pending = this.pending.slice(0, MAX_LINE_CHARS); // the rest of an over-long line is not read
    }
    for (const l of lines) this.onLine(l);
  }

  finish(): AnalyzerOutput {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest.length > 0) this.onLine(rest);
    const r = this.detection.finish();
    const linuxptpLines = Object.values(this.perProgram).reduce((a, b) => a + b, 0);
    const summary: DecodeSummary = {
      records: this.line,
      unknownRecords: this.otherText,
      malformedRecords: this.longLines,
      details: {
        record_kind: 'line',
        linuxptp_lines: linuxptpLines,
        lines_per_program: this.perProgram,
        messages: this.kinds,
        ...(this.otherText ? { other_text_lines: this.otherText } : {}),
        ...(this.backwards ? { time_going_back_lines: this.backwards } : {}),
        time_basis: LOG_TIME_BASIS,
        ...(this.firstS !== undefined ? { first_monotonic_s: this.firstS, last_monotonic_s: this.lastS } : {}),
        port_transitions: r.transitions
          .slice(0, 50)
          .map((t) => `line ${t.line}: ${t.port} ${t.from} → ${t.to} on ${t.event}`),
        servo_offset_metrics: r.reports.map((x) => ({
          servo: x.port,
          locked_samples: x.samples,
          max_abs_offset_ns: x.maxAbsTeNs,
          mean_offset_ns: Math.round(x.meanTeNs * 10) / 10,
          g8271_1: x.verdicts.find((v) => v.standard === 'G.8271.1')?.pass ?? null,
          g8273_2_class: x.g8273Class,
          note: 'servo offsets, not a measured time error',
        })),
      },
    };
    if (this.firstS !== undefined) summary.firstTimestampNs = BigInt(Math.round(this.firstS * 1e6)) * 1000n;
    if (this.lastS !== undefined) summary.lastTimestampNs = BigInt(Math.round(this.lastS * 1e6)) * 1000n;
    return { summary, anomalies: r.anomalies, metrics: r.metrics };
  }

  private onLine(raw: string): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.length >= MAX_LINE_CHARS) {
      this.longLines++;
      return;
    }
    const l = parseLinuxptpLine(text);
    if (!l) {
      if (text.trim() !== '') this.otherText++;
      return;
    }
    this.perProgram[l.program] = (this.perProgram[l.program] ?? 0) + 1;
    this.kinds[l.event.kind] = (this.kinds[l.event.kind] ?? 0) + 1;
    if (this.lastS !== undefined && l.monoS < this.lastS) this.backwards++;
    this.firstS ??= l.monoS;
    this.lastS = this.lastS === undefined ? l.monoS : Math.max(this.lastS, l.monoS);
    this.detection.onLine(l, this.line);
  }
}

/** The text-log kind of linuxptp logs (recognised by content: most head lines are `ptp4l[…]:` lines). */
export const linuxptpLogKind: TextLogKind = {
  kind: 'linuxptp',
  recognise: looksLikeLinuxptpLog,
  create: (ctx) => new LinuxptpLogAnalyzer(ctx),
};
