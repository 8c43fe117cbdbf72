import { thresholdListing, type ThresholdListing } from '@l1t/pipeline';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import { writeOut, type CliIo } from '../io.js';

/**
 * `l1t analyze --list-thresholds [--format table|json|jsonl]`: every detector option a profile's
 * `thresholds.<type>.<option>` may set, with its default, unit and description. Needs no paths.
 */
export async function listThresholdsCommand(format: string | undefined, io: CliIo): Promise<number> {
  const rows = thresholdListing();
  const f = format ?? 'table';
  if (f === 'json') {
    await writeOut(io, JSON.stringify(rows, null, 2) + '\n');
  } else if (f === 'jsonl') {
    for (const r of rows) await writeOut(io, JSON.stringify(r) + '\n');
  } else if (f === 'table') {
    await writeOut(io, renderThresholds(rows));
  } else {
    throw new UsageError(`--format must be table, json or jsonl (got '${f}')`);
  }
  return EXIT_OK;
}

/** Aligned columns: type, option, default, unit, description. */
export function renderThresholds(rows: readonly ThresholdListing[]): string {
  const head = ['TYPE', 'OPTION', 'DEFAULT', 'UNIT', 'DESCRIPTION'];
  const cells = rows.map((r) => [r.type, r.option, String(r.default), r.unit ?? '', r.description]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(width[i]!)))
      .join('  ')
      .trimEnd() + '\n';
  return line(head) + cells.map(line).join('');
}
