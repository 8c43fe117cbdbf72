import { looksLikeUeEventLog, UeEventReader } from '@l1t/capture';
import { resolveUeThresholds, UeEventDetection } from '@l1t/detect';
import type { AnalyzerContext, AnalyzerOutput, DecodeSummary, FileAnalyzer } from '../analysis-types.js';
import type { TextLogKind } from './text-log-kinds.js';

/** UEs listed in the summary at most. */
const MAX_UES_LISTED = 50;

/**
 * A UE event text log (attach / detach / RRC lines, README §UE event logs) line by line: events to the UE
 * event detectors (`attach_failure`, `abnormal_detach`, `attach_storm`, `ue_behaviour_outlier`), every line
 * accounted for in the summary — events per procedure and outcome, blank lines, and unrecognised lines per
 * reason with examples (a line we cannot read is shown, not dropped). Findings carry the line number as
 * `packet_index`.
 */
export class UeEventLogAnalyzer implements FileAnalyzer {
  private readonly reader: UeEventReader;
  private readonly detection: UeEventDetection;
  private readonly perKind: Record<string, number> = {};
  private readonly ues = new Set<string>();
  private uesBeyond = 0;
  private first: bigint | undefined;
  private last: bigint | undefined;
  private backwards = 0;

  constructor(ctx: AnalyzerContext) {
    this.detection = new UeEventDetection(resolveUeThresholds(ctx.profile?.thresholds));
    this.reader = new UeEventReader((e) => {
      const k = `${e.procedure} ${e.outcome}`;
      this.perKind[k] = (this.perKind[k] ?? 0) + 1;
      if (this.ues.size < MAX_UES_LISTED) this.ues.add(e.ue);
      else if (!this.ues.has(e.ue)) this.uesBeyond++;
      if (this.last !== undefined && e.tsNs < this.last) this.backwards++;
      if (this.first === undefined || e.tsNs < this.first) this.first = e.tsNs;
      if (this.last === undefined || e.tsNs > this.last) this.last = e.tsNs;
      this.detection.onEvent(e);
    });
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  finish(): AnalyzerOutput {
    this.reader.end();
    const r = this.detection.finish();
    const c = this.reader.counts;
    const summary: DecodeSummary = {
      records: c.lines,
      unknownRecords: c.unrecognised,
      malformedRecords: c.cut_lines,
      ...(this.first !== undefined ? { firstTimestampNs: this.first, lastTimestampNs: this.last! } : {}),
      details: {
        record_kind: 'line',
        ue_events: c.events,
        events: this.perKind,
        blank_or_comment_lines: c.blank,
        unrecognised_lines: c.unrecognised,
        ...(c.unrecognised > 0
          ? {
              unrecognised_by_reason: this.reader.unrecognisedBy,
              unrecognised_examples: this.reader.examples.map((x) => `line ${x.line} (${x.reason}): ${x.text}`),
            }
          : {}),
        ues: [...this.ues],
        ...(this.uesBeyond > 0 ? { ues_not_listed: this.uesBeyond } : {}),
        ...(this.backwards ? { time_going_back_lines: this.backwards } : {}),
        ue_detectors:
          c.events > 0
            ? 'attach_failure, abnormal_detach, attach_storm, ue_behaviour_outlier'
            : 'none ran: no UE event line recognised',
      },
    };
    const notes = [
      ...(c.unrecognised > 0
        ? [`${c.unrecognised} line(s) not recognised as UE events (see unrecognised_examples)`]
        : []),
      ...r.notes,
    ];
    return { summary, anomalies: r.anomalies, metrics: [], ...(notes.length ? { warning: notes.join('; ') } : {}) };
  }
}

/** The text-log kind of UE event logs (recognised by content: most head lines are timestamped UE events). */
export const ueEventLogKind: TextLogKind = {
  kind: 'ue_events',
  recognise: looksLikeUeEventLog,
  create: (ctx) => new UeEventLogAnalyzer(ctx),
};
