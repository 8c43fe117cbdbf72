import { createWriteStream } from 'node:fs';
import type { Anomaly } from '@l1t/contracts';
import type { AnomalyQuery } from '@l1t/store';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import { writeOut, type CliIo } from '../io.js';
import { configFromEnv, openMigratedStores } from '../open-stores.js';

export interface ExportOptions {
  format?: string;
  out?: string;
  session?: string;
  file?: string;
  type?: string;
  severity?: string;
  limit?: string;
}

const CSV_COLUMNS = ['id', 'timestamp', 'type', 'source', 'severity', 'confidence', 'file', 'packet_index', 'packet_count', 'eaxc', 'plane', 'direction', 'frame_id', 'subframe_id', 'slot_id', 'symbol_id', 'description', 'evidence'] as const;

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // RFC 4180 quoting; a leading =,+,-,@ is prefixed so a spreadsheet never runs capture content as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(a: Anomaly): string {
  const flat: Record<string, unknown> = { ...a, ...a.flow, ...a.radio };
  return CSV_COLUMNS.map((c) => csvCell(flat[c])).join(',');
}

/** `l1t export anomalies [--format jsonl|json|csv] [--session ID] [--file ID] [--out F]`: the stored findings. */
export async function exportAnomaliesCommand(opts: ExportOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'jsonl';
  if (!['jsonl', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be jsonl, json or csv (got '${format}')`);
  const limit = opts.limit === undefined ? 1_000_000 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit must be a positive integer (got '${opts.limit}')`);
  const stores = await openMigratedStores(io, configFromEnv(io));
  const out = opts.out ? createWriteStream(opts.out) : undefined;
  const write = (text: string): Promise<void> =>
    out ? new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve()))) : writeOut(io, text);
  try {
    const base: AnomalyQuery = {
      ...(opts.session ? { sessionId: opts.session } : {}),
      ...(opts.file ? { fileId: opts.file } : {}),
      ...(opts.type ? { type: opts.type.split(',') } : {}),
      ...(opts.severity ? { severity: opts.severity.split(',') } : {}),
      sort: 'timestamp',
      order: 'asc',
    };
    if (format === 'csv') await write(CSV_COLUMNS.join(',') + '\n');
    if (format === 'json') await write('[');
    const page = 10_000;
    let written = 0;
    for (let offset = 0; written < limit; offset += page) {
      const { items } = await stores.anomalies.queryAnomalies({ ...base, limit: Math.min(page, limit - written), offset });
      for (const a of items) {
        if (format === 'jsonl') await write(JSON.stringify(a) + '\n');
        else if (format === 'csv') await write(csvRow(a) + '\n');
        else await write((written > 0 ? ',\n' : '\n') + JSON.stringify(a));
        written++;
      }
      if (items.length < page) break;
    }
    if (format === 'json') await write('\n]\n');
    io.stderr.write(`exported ${written} anomalies${opts.out ? ` to ${opts.out}` : ''}\n`);
  } finally {
    await new Promise<void>((resolve) => (out ? out.end(() => resolve()) : resolve()));
    await stores.close();
  }
  return EXIT_OK;
}
