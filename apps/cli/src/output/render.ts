import type { Anomaly } from '@l1t/contracts';
import { summaryJson, type FileResult } from '@l1t/pipeline';

export interface RunSummary {
  session_id: string | null;
  session_name: string;
  files: number;
  files_failed: number;
  anomalies: number;
  by_type: Record<string, number>;
  by_severity: Record<string, number>;
  duration_ms: number;
  stored: boolean;
}

/** The per-file object of `--format json` (and of the API's decode summary). */
export function fileJson(r: FileResult): Record<string, unknown> {
  return {
    id: r.fileId,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    format: r.format,
    format_detail: r.formatDetail,
    status: r.status,
    anomaly_count: r.counts.anomalyCount,
    summary: summaryJson(r),
    error: r.error ?? null,
    warning: r.warning ?? null,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: r.durationMs,
  };
}

/**
 * Run totals from the files' counts (streamed or not). A file id seen twice (the same content under two
 * names) counts once, as its rows are stored once: the total is what the session row and the store say.
 */
export function summarize(
  results: FileResult[],
  base: Omit<RunSummary, 'files' | 'files_failed' | 'anomalies' | 'by_type' | 'by_severity'>,
): RunSummary {
  const byType: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  let anomalies = 0;
  const last = new Map<string, FileResult>();
  for (const r of results) last.set(r.fileId, r);
  for (const r of last.values()) {
    anomalies += r.counts.anomalyCount;
    for (const [k, n] of Object.entries(r.counts.byType)) byType[k] = (byType[k] ?? 0) + n;
    for (const [k, n] of Object.entries(r.counts.bySeverity)) bySeverity[k] = (bySeverity[k] ?? 0) + n;
  }
  return {
    ...base,
    files: results.length,
    files_failed: results.filter((r) => r.status === 'failed').length,
    anomalies,
    by_type: byType,
    by_severity: bySeverity,
  };
}

const SEVERITY_ORDER = ['critical', 'major', 'minor', 'info'];

/** Worst first, then earliest. */
export function worseFirst(a: Anomaly, b: Anomaly): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || (a.timestamp < b.timestamp ? -1 : 1)
  );
}

/**
 * The `limit` worst findings of a run, kept while they stream by (the table shows no more): memory bounded by
 * twice the limit whatever the number of findings.
 */
export class WorstAnomalies {
  private items: Anomaly[] = [];
  constructor(readonly limit = 50) {}
  add(a: Anomaly): void {
    this.items.push(a);
    if (this.items.length >= 2 * this.limit) this.trim();
  }
  list(): Anomaly[] {
    this.trim();
    return this.items;
  }
  private trim(): void {
    this.items.sort(worseFirst);
    this.items.length = Math.min(this.items.length, this.limit);
  }
}

/** Left-aligned in a column of `n` characters; never cut (a file or type name must stay whole to be used). */
function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A column as wide as its header and its longest value. */
const widthOf = (header: string, values: readonly string[]): number =>
  values.reduce((w, v) => Math.max(w, v.length), header.length);

/** Summary lines of a file beside its row: what was recognised but not analysed, and warnings. */
function notAnalysedLines(r: FileResult): string[] {
  const list = r.summary.details.not_analysed;
  if (!Array.isArray(list)) return [];
  return (list as { note: string }[])
    .filter((n) => !r.warning?.includes(n.note))
    .slice(0, 5)
    .map((n) => `  note: ${n.note}`);
}

/** The readable summary of `--format table`: `worst` are the run's worst findings (at most `maxAnomalies`). */
export function renderTable(results: FileResult[], summary: RunSummary, worst: Anomaly[], maxAnomalies = 50): string {
  const lines: string[] = [];
  const fileWidth = widthOf(
    'FILE',
    results.map((r) => r.name),
  );
  lines.push(
    `${pad('FILE', fileWidth)} ${pad('FORMAT', 10)} ${pad('STATUS', 8)} ${'RECORDS'.padStart(10)} ${'ANOMALIES'.padStart(9)}`,
  );
  for (const r of results) {
    lines.push(
      `${pad(r.name, fileWidth)} ${pad(r.format, 10)} ${pad(r.status, 8)} ${String(r.summary.records).padStart(10)} ${String(r.counts.anomalyCount).padStart(9)}`,
    );
    if (r.error) lines.push(`  error: ${r.error}`);
    if (r.warning) lines.push(`  warning: ${r.warning}`);
    lines.push(...notAnalysedLines(r));
  }
  const shown = [...worst].sort(worseFirst).slice(0, maxAnomalies);
  if (shown.length > 0) {
    const typeWidth = widthOf(
      'TYPE',
      shown.map((a) => a.type),
    );
    lines.push(
      '',
      `${pad('SEVERITY', 9)} ${pad('TYPE', typeWidth)} ${pad('TIME (UTC)', 31)} ${'PACKET'.padStart(8)}  DESCRIPTION`,
    );
    for (const a of shown) {
      lines.push(
        `${pad(a.severity, 9)} ${pad(a.type, typeWidth)} ${pad(a.timestamp, 31)} ${String(a.packet_index).padStart(8)}  ${a.description}`,
      );
    }
    if (summary.anomalies > shown.length)
      lines.push(`… and ${summary.anomalies - shown.length} more (use --format jsonl for all)`);
  }
  lines.push(
    '',
    `${summary.files} file(s), ${summary.files_failed} failed, ${summary.anomalies} anomalies in ${summary.duration_ms} ms` +
      (summary.stored
        ? `; session "${summary.session_name}" (${summary.session_id}) stored`
        : '; not stored (--no-store)'),
  );
  return lines.join('\n') + '\n';
}
