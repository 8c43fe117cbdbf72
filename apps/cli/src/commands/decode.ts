import { createReadStream } from 'node:fs';
import {
  CaptureFormatError,
  createCaptureReader,
  createPacketDecoder,
  DecodedPacket,
  sniffFormat,
  SNIFF_HEAD_BYTES,
  toWiresharkFields,
  unknownDecodeFields,
} from '@l1t/capture';
import { CHUNK_BYTES, decodeOptionsFromProfile, errnoReason } from '@l1t/pipeline';
import { EXIT_INPUT, EXIT_OK, UsageError } from '../cli-errors.js';
import { StdoutClosed, writeOut, type CliIo } from '../io.js';
import { loadProfileFile } from '../profile-file.js';
import { DiagDecodeStream } from './decode-diag.js';

export interface DecodeCommandOptions {
  profile?: string;
  format?: string;
  fields?: string;
}

/**
 * `l1t decode FILE`: one JSON object per packet keyed by Wireshark display-filter names (interfaces.md).
 * Streams the file: memory stays bounded by one record whatever the capture size.
 */
export async function decodeCommand(file: string, opts: DecodeCommandOptions, io: CliIo): Promise<number> {
  if (opts.format !== undefined && opts.format !== 'jsonl')
    throw new UsageError(`--format must be jsonl (got '${opts.format}')`);
  const fields = opts.fields
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  // As tshark refuses an unknown `-e` field: a misspelt name must not pass for a field the packets lack.
  const unknown = fields ? unknownDecodeFields(fields) : [];
  if (unknown.length > 0)
    throw new UsageError(
      `--fields: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (Wireshark display-filter names, e.g. frame.number, oran_fh_cus.symbolId, ptp.v2.messagetype)`,
    );
  const profile = await loadProfileFile(opts.profile);
  const decoder = createPacketDecoder(decodeOptionsFromProfile(profile));
  const out = new DecodedPacket();
  const fail = (offset: number, reason: string): number => {
    io.stderr.write(`l1t: ${file}: offset ${offset}: ${reason}\n`);
    return EXIT_INPUT;
  };

  let reader: ReturnType<typeof createCaptureReader> | DiagDecodeStream | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  let lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length) await writeOut(io, lines.join(''));
    lines = [];
  };
  const drain = (): void => {
    if (reader instanceof DiagDecodeStream) return reader.drain(lines);
    for (let rec = reader!.next(); rec !== undefined; rec = reader!.next()) {
      if (rec.kind !== 'packet') continue;
      decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, out);
      lines.push(JSON.stringify(toWiresharkFields(out, fields)) + '\n');
    }
  };
  const start = (): number | undefined => {
    const all = Buffer.concat(head);
    head = [];
    const guess = sniffFormat(all);
    if (guess.format === 'diag_hdlc' || guess.format === 'qmdl2' || guess.format === 'dlf' || guess.format === 'isf') {
      reader = new DiagDecodeStream(guess.format, fields, profile?.timing?.utc_gps_offset_s);
      reader.append(all);
      drain();
      return undefined;
    }
    if (guess.format !== 'pcap' && guess.format !== 'pcapng') {
      return fail(
        0,
        guess.format === 'unknown'
          ? `unrecognised format (${guess.detail})`
          : `${guess.format}: l1t decode reads pcap/pcapng captures and DIAG logs; ${guess.format} files are analysed by l1t analyze`,
      );
    }
    reader = createCaptureReader(guess.format);
    reader.append(all);
    drain();
    return undefined;
  };

  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      if (!reader) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_HEAD_BYTES) continue;
        const status = start();
        if (status !== undefined) return status;
      } else {
        reader.append(chunk);
        drain();
      }
      await flush();
    }
    if (!reader) {
      if (headBytes === 0) return fail(0, 'empty file');
      const status = start();
      if (status !== undefined) return status;
    }
    reader!.end();
    drain();
    await flush();
  } catch (err) {
    if (err instanceof StdoutClosed) throw err; // the reader of stdout left (`| head`): stop quietly
    await flush(); // everything decoded before the fault is kept
    if (err instanceof CaptureFormatError) {
      if (err.truncated) {
        io.stderr.write(`l1t: ${file}: warning: ${err.message} (decoded up to the cut)\n`);
        return EXIT_OK;
      }
      return fail(err.byteOffset, `${err.recordType} ${err.reason}`);
    }
    const reason = errnoReason(err);
    if ((err as NodeJS.ErrnoException)?.code) return fail(0, reason);
    throw err;
  }
  return EXIT_OK;
}
