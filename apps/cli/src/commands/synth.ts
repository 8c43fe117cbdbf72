import { createWriteStream, type WriteStream } from 'node:fs';
import { FaultSpecError, parseFaultSpec, synthFronthaul, type FaultSpec } from '@l1t/capture';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';

export interface SynthCommandOptions {
  out: string;
  labels: string;
  faults?: string;
  seed?: string;
  duration?: string;
}

/**
 * A ready-made mix for demos and the `npm start` examples: one fault of several kinds, spread over the
 * first second (times scale with --duration).
 */
export const EXAMPLE_FAULTS = 'seq_gap@0.15:count=3;rx_window_late@0.3;uplane_without_cplane@0.45;iq_saturation@0.6;ptp_gm_change@0.7;iq_zero@0.8:slots=12';

function writeChunk(stream: WriteStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/** `l1t synth fronthaul --out FILE --labels FILE [--faults SPEC] [--seed N] [--duration S]` (interfaces.md). */
export async function synthCommand(kind: string, opts: SynthCommandOptions, io: CliIo): Promise<number> {
  if (kind !== 'fronthaul') {
    throw new UsageError(`synth ${kind}: unknown kind (this version generates 'fronthaul' captures)`);
  }
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer (got '${opts.seed}')`);
  const duration = opts.duration === undefined ? 1 : Number(opts.duration);
  if (!Number.isFinite(duration) || duration <= 0 || duration > 3600) throw new UsageError(`--duration must be 0–3600 seconds (got '${opts.duration}')`);
  let faults: FaultSpec[] = [];
  try {
    const spec = opts.faults === 'example' ? EXAMPLE_FAULTS : (opts.faults ?? '');
    faults = parseFaultSpec(spec);
    if (opts.faults === 'example')
      faults = faults.map((f) => (typeof f.at === 'number' ? { ...f, at: f.at * duration } : f));
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
  const format = /\.pcapng$/i.test(opts.out) ? 'pcapng' : 'pcap';
  const synth = synthFronthaul({ durationS: duration, format }, faults, seed);
  const out = createWriteStream(opts.out);
  const t0 = performance.now();
  try {
    for (let chunk = synth.next(); chunk !== undefined; chunk = synth.next()) await writeChunk(out, chunk);
  } finally {
    await close(out);
  }
  const labels = createWriteStream(opts.labels);
  for (const label of synth.labels) await writeChunk(labels, Buffer.from(JSON.stringify(label) + '\n'));
  await close(labels);
  const s = synth.stats;
  const secs = (performance.now() - t0) / 1000;
  io.stderr.write(
    `wrote ${opts.out}: ${s.packets} packets, ${(s.bytes / 1e6).toFixed(1)} MB (${s.uplanePackets} U-plane, ${s.cplanePackets} C-plane, ${s.ptpPackets} PTP) in ${secs.toFixed(2)} s; ${synth.labels.length} fault labels in ${opts.labels}\n`,
  );
  return EXIT_OK;
}
