import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { anomalyCsvHeader, anomalyCsvRow } from '@l1t/contracts';
import { anomalyPcapFromFile, InputError, type AnomalyPcap } from '@l1t/pipeline';
import type { AnomalyQuery } from '@l1t/store';
import { EXIT_INPUT, EXIT_OK, ReportedExit, UsageError } from '../cli-errors.js';
import { writeBytesOut, writeOut, type CliIo } from '../io.js';
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

/** `l1t export anomalies [--format jsonl|json|csv] [--session ID] [--file ID] [--out F]`: the stored findings. */
export async function exportAnomaliesCommand(opts: ExportOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'jsonl';
  if (!['jsonl', 'json', 'csv'].includes(format))
    throw new UsageError(`--format must be jsonl, json or csv (got '${format}')`);
  const limit = opts.limit === undefined ? 1_000_000 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0)
    throw new UsageError(`--limit must be a positive integer (got '${opts.limit}')`);
  const stores = await openMigratedStores(io, configFromEnv(io));
  const out = opts.out ? createWriteStream(opts.out) : undefined;
  const write = (text: string): Promise<void> =>
    out
      ? new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())))
      : writeOut(io, text);
  try {
    const base: AnomalyQuery = {
      ...(opts.session ? { sessionId: opts.session } : {}),
      ...(opts.file ? { fileId: opts.file } : {}),
      ...(opts.type ? { type: opts.type.split(',') } : {}),
      ...(opts.severity ? { severity: opts.severity.split(',') } : {}),
      sort: 'timestamp',
      order: 'asc',
    };
    if (format === 'csv') await write(anomalyCsvHeader());
    if (format === 'json') await write('[');
    const page = 10_000;
    let written = 0;
    for (let offset = 0; written < limit; offset += page) {
      const { items } = await stores.anomalies.queryAnomalies({
        ...base,
        limit: Math.min(page, limit - written),
        offset,
      });
      for (const a of items) {
        if (format === 'jsonl') await write(JSON.stringify(a) + '\n');
        else if (format === 'csv') await write(anomalyCsvRow(a));
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

/**
 * `l1t export incidents [--format jsonl|json] [--session ID] [--file ID] [--out F]`: the stored incidents
 * (reference/anomalies.md §Incidents), earliest first, each with its member finding ids — the grouping that
 * goes with `l1t export anomalies`.
 */
export async function exportIncidentsCommand(
  opts: Pick<ExportOptions, 'format' | 'out' | 'session' | 'file'>,
  io: CliIo,
): Promise<number> {
  const format = opts.format ?? 'jsonl';
  if (!['jsonl', 'json'].includes(format)) throw new UsageError(`--format must be jsonl or json (got '${format}')`);
  const stores = await openMigratedStores(io, configFromEnv(io));
  const out = opts.out ? createWriteStream(opts.out) : undefined;
  const write = (text: string): Promise<void> =>
    out
      ? new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())))
      : writeOut(io, text);
  try {
    const page = 1_000;
    let written = 0;
    if (format === 'json') await write('[');
    for (let offset = 0; ; offset += page) {
      const { items } = await stores.anomalies.queryIncidents({
        ...(opts.session ? { sessionId: opts.session } : {}),
        ...(opts.file ? { fileId: opts.file } : {}),
        limit: page,
        offset,
      });
      for (const i of items) {
        await write(format === 'jsonl' ? JSON.stringify(i) + '\n' : (written > 0 ? ',\n' : '\n') + JSON.stringify(i));
        written++;
      }
      if (items.length < page) break;
    }
    if (format === 'json') await write('\n]\n');
    io.stderr.write(`exported ${written} incidents${opts.out ? ` to ${opts.out}` : ''}\n`);
  } finally {
    await new Promise<void>((resolve) => (out ? out.end(() => resolve()) : resolve()));
    await stores.close();
  }
  return EXIT_OK;
}

export interface ExportPcapOptions {
  anomaly: string;
  out?: string;
  margin?: string;
  maxPackets?: string;
}

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer (got '${value}')`);
  return n;
}

/**
 * `l1t export pcap --anomaly ID --out F [--margin N]`: the packets of a stored anomaly ± N packets
 * (default 5), re-read from the original capture, as a small pcapng whose section comment names the
 * anomaly. The capture must still be where it was analysed (its path in the file record).
 */
export async function exportPcapCommand(opts: ExportPcapOptions, io: CliIo): Promise<number> {
  const margin = nonNegativeInt('--margin', opts.margin, 5);
  const maxPackets = nonNegativeInt('--max-packets', opts.maxPackets, 10_000);
  if (maxPackets === 0) throw new UsageError('--max-packets must be at least 1');
  // Like `tshark -w -`: the slice goes to stdout for a pipe (`| wireshark -k -i -`), never to a terminal.
  const toStdout = opts.out === undefined || opts.out === '-';
  if (toStdout && io.stdout.isTTY)
    throw new UsageError('standard output is a terminal: give --out FILE (or pipe the pcapng to a program)');
  const stores = await openMigratedStores(io, configFromEnv(io));
  try {
    const a = await stores.anomalies.getAnomaly(opts.anomaly);
    if (!a) throw new UsageError(`no stored anomaly with id '${opts.anomaly}'`);
    const file = a.file_id ? await stores.metadata.getFile(a.file_id) : undefined;
    const fail = (reason: string): never => {
      io.stderr.write(`l1t: ${a.file}: ${reason}\n`);
      throw new ReportedExit(EXIT_INPUT);
    };
    if (!file) return fail('the file record of this anomaly is not in the metadata store');
    if (!file.path)
      return fail('the capture was analysed from standard input or an upload without a path: nothing to re-read');
    if (file.format !== 'pcap' && file.format !== 'pcapng') return fail(`not a capture (${file.format})`);
    let pcap: AnomalyPcap | undefined;
    try {
      pcap = await anomalyPcapFromFile(a, file.path, { margin, maxPackets, expectedSize: file.size });
    } catch (err) {
      if (err instanceof InputError) return fail(err.reason);
      const code = (err as NodeJS.ErrnoException).code;
      if (code) return fail(`cannot read ${file.path} (${code})`);
      throw err;
    }
    if (!pcap) return fail(`frames ${a.packet_index}±${margin} are not in ${file.path}`);
    if (toStdout) await writeBytesOut(io, pcap.bytes);
    else await writeFile(opts.out!, pcap.bytes);
    io.stderr.write(
      `wrote ${pcap.packets} packets (frames ${pcap.first}-${pcap.last}) of ${file.path} to ${toStdout ? 'standard output' : opts.out}` +
        `${pcap.clipped ? ` (clipped to --max-packets ${maxPackets})` : ''}\n`,
    );
  } finally {
    await stores.close();
  }
  return EXIT_OK;
}
