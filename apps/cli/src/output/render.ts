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
    anomaly_count: r.anomalies.length,
    summary: summaryJson(r),
    error: r.error ?? null,
    warning: r.warning ?? null,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: r.durationMs,
  };
}

export function summarize(results: FileResult[], base: Omit<RunSummary, 'files' | 'files_failed' | 'anomalies' | 'by_type' | 'by_severity'>): RunSummary {
  const byType: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  let anomalies = 0;
  for (const r of results)
    for (const a of r.anomalies) {
      anomalies++;
      byType[a.type] = (byType[a.type] ?? 0) + 1;
      bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
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

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n - 1) + '…' : s + ' '.repeat(n - s.length);
}

/** The readable summary of `--format table`. */
export function renderTable(results: FileResult[], summary: RunSummary, maxAnomalies = 50): string {
  const lines: string[] = [];
  lines.push(`${pad('FILE', 40)} ${pad('FORMAT', 10)} ${pad('STATUS', 8)} ${'RECORDS'.padStart(10)} ${'ANOMALIES'.padStart(9)}`);
  for (const r of results) {
    lines.push(
      `${pad(r.name, 40)} ${pad(r.format, 10)} ${pad(r.status, 8)} ${String(r.summary.records).padStart(10)} ${String(r.anomalies.length).padStart(9)}`,
    );
    if (r.error) lines.push(`  error: ${r.error}`);
    if (r.warning) lines.push(`  warning: ${r.warning}`);
  }
  const all: Anomaly[] = results.flatMap((r) => r.anomalies);
  if (all.length > 0) {
    all.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || (a.timestamp < b.timestamp ? -1 : 1));
    lines.push('', `${pad('SEVERITY', 9)} ${pad('TYPE', 22)} ${pad('TIME (UTC)', 31)} ${'PACKET'.padStart(8)}  DESCRIPTION`);
    for (const a of all.slice(0, maxAnomalies)) {
      lines.push(`${pad(a.severity, 9)} ${pad(a.type, 22)} ${pad(a.timestamp, 31)} ${String(a.packet_index).padStart(8)}  ${a.description}`);
    }
    if (all.length > maxAnomalies) lines.push(`… and ${all.length - maxAnomalies} more (use --format jsonl for all)`);
  }
  lines.push(
    '',
    `${summary.files} file(s), ${summary.files_failed} failed, ${summary.anomalies} anomalies in ${summary.duration_ms} ms` +
      (summary.stored ? `; session "${summary.session_name}" (${summary.session_id}) stored` : '; not stored (--no-store)'),
  );
  return lines.join('\n') + '\n';
}
