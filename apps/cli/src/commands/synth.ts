import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import {
  FaultSpecError,
  TRAFFIC_SHAPES,
  isTrafficShape,
  parseFaultSpec,
  parseLinuxptpLogFaultSpec,
  parseUeEventFaultSpec,
  parseUeFaultSpec,
  profileForSynth,
  resolveFronthaulConfig,
  shapeConfig,
  synthFronthaul,
  synthLinuxptpLog,
  synthUe,
  synthUeEvents,
  type FaultSpec,
  type FronthaulConfigInput,
} from '@l1t/capture';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';

export interface SynthCommandOptions {
  out: string;
  labels: string;
  faults?: string;
  seed?: string;
  duration?: string;
  scs?: string;
  nrb?: string;
  eaxc?: string;
  shape?: string;
  profileOut?: string;
}

/** `--eaxc 'dl=0,1,2,3 ul=0,1'`: the eAxC ids (ecpriPcid values) of each direction. */
export function parseEaxcOption(text: string): { dl: number[]; ul: number[] } {
  const out: { dl: number[]; ul: number[] } = { dl: [], ul: [] };
  for (const part of text
    .trim()
    .split(/[\s;]+/)
    .filter(Boolean)) {
    const m = /^(dl|ul)=([0-9,]+)$/.exec(part);
    if (!m) throw new UsageError(`--eaxc: expected 'dl=0,1 ul=0' (got '${part}')`);
    const ids = m[2]!.split(',').filter(Boolean).map(Number);
    if (ids.some((n) => !Number.isInteger(n) || n < 0 || n > 0xffff))
      throw new UsageError(`--eaxc: ids are 0–65535 (got '${part}')`);
    out[m[1] as 'dl' | 'ul'] = ids;
  }
  if (out.dl.length + out.ul.length === 0) throw new UsageError('--eaxc: at least one eAxC');
  return out;
}

/**
 * A ready-made mix for demos and the `npm start` examples: one fault of several kinds, spread over the
 * first second (times scale with --duration).
 */
export const EXAMPLE_FAULTS =
  'seq_gap@0.15:count=3;rx_window_late@0.3;uplane_without_cplane@0.45;iq_saturation@0.6;ptp_gm_change@0.7;iq_zero@0.8:slots=12';

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

/**
 * `l1t synth fronthaul --out FILE --labels FILE [--faults SPEC] [--seed N] [--duration S] [--shape NAME]
 * [--profile-out FILE]` (interfaces.md); `--shape` picks a traffic shape (capture/synth/traffic-shapes.ts),
 * `--profile-out` writes the analysis profile that states what the capture carries (e.g. its UDP port).
 */
export async function synthCommand(kind: string, opts: SynthCommandOptions, io: CliIo): Promise<number> {
  if (kind === 'ue') return synthUeCommand(opts, io);
  if (kind === 'ptp-log' || kind === 'linuxptp') return synthPtpLogCommand(opts, io);
  if (kind !== 'fronthaul') {
    throw new UsageError(
      `synth ${kind}: unknown kind (this version generates 'fronthaul' captures, 'ue' logs and 'ptp-log' linuxptp logs)`,
    );
  }
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer (got '${opts.seed}')`);
  const duration = opts.duration === undefined ? 1 : Number(opts.duration);
  if (!Number.isFinite(duration) || duration <= 0 || duration > 3600)
    throw new UsageError(`--duration must be 0–3600 seconds (got '${opts.duration}')`);
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
  const shape = opts.shape ?? 'default';
  if (!isTrafficShape(shape))
    throw new UsageError(`--shape must be one of ${TRAFFIC_SHAPES.join(', ')} (got '${shape}')`);
  const format = /\.pcapng$/i.test(opts.out) ? 'pcapng' : 'pcap';
  if (shape === 'multi-interface' && format !== 'pcapng')
    throw new UsageError(`--shape multi-interface writes pcapng: name the --out file *.pcapng`);
  const scsKhz = opts.scs === undefined ? undefined : Number(opts.scs);
  if (scsKhz !== undefined && ![15, 30, 60, 120].includes(scsKhz))
    throw new UsageError(`--scs must be 15, 30, 60 or 120 (got '${opts.scs}')`);
  const nrb = opts.nrb === undefined ? undefined : Number(opts.nrb);
  if (nrb !== undefined && (!Number.isInteger(nrb) || nrb < 1 || nrb > 275))
    throw new UsageError(`--nrb must be 1–275 (got '${opts.nrb}')`);
  const overrides: FronthaulConfigInput = {
    durationS: duration,
    format,
    ...(scsKhz !== undefined ? { scsKhz } : {}),
    ...(nrb !== undefined ? { nrb } : {}),
    ...(opts.eaxc !== undefined ? { eaxc: parseEaxcOption(opts.eaxc) } : {}),
  };
  const config = shapeConfig(shape, overrides);
  let synth: ReturnType<typeof synthFronthaul>;
  try {
    synth = synthFronthaul(config, faults, seed);
  } catch (err) {
    // a fault naming an eAxC or O-RU the shape does not have
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  if (opts.profileOut !== undefined) {
    const profile = profileForSynth(resolveFronthaulConfig(config), `synth-${shape}`);
    await writeFile(opts.profileOut, `${JSON.stringify(profile, null, 2)}\n`);
  }
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

/** A ready-made UE mix: one fault of several kinds (times scale with --duration, default 10 s). */
export const EXAMPLE_UE_FAULTS =
  'rsrp_low@0.35;bler_high@0.15;harq_failure@0.1;rach_failure@0.55;timing_advance_jump@0.6;ul_power_limited@0.7;radio_link_failure@0.9';

/**
 * `l1t synth ue --out FILE.qmdl|FILE.dlf --labels FILE [--faults SPEC] [--seed N] [--duration S]`: a
 * Qualcomm DIAG log of one LTE UE (HDLC-framed `.qmdl`, or `.dlf` records when the name ends in .dlf) and
 * its ground truth, one JSON line per injected fault (capture/synth/ue).
 */
async function synthUeCommand(opts: SynthCommandOptions, io: CliIo): Promise<number> {
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer (got '${opts.seed}')`);
  const duration = opts.duration === undefined ? 10 : Number(opts.duration);
  if (!Number.isFinite(duration) || duration <= 0 || duration > 3600)
    throw new UsageError(`--duration must be 0–3600 seconds (got '${opts.duration}')`);
  if (/\.(txt|log)$/i.test(opts.out))
    return synthUeEventsCommand(opts, io, seed, opts.duration === undefined ? 600 : duration);
  let faults;
  try {
    faults =
      opts.faults === 'example'
        ? parseUeFaultSpec(EXAMPLE_UE_FAULTS).map((f) => ({ ...f, at: f.at * duration }))
        : parseUeFaultSpec(opts.faults ?? '');
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
  const format = /\.dlf$/i.test(opts.out) ? 'dlf' : 'qmdl';
  const t0 = performance.now();
  let r: ReturnType<typeof synthUe>;
  try {
    r = synthUe({ durationS: duration, format }, faults, seed);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
  await writeFile(opts.out, r.bytes);
  await writeFile(opts.labels, r.labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
  const secs = (performance.now() - t0) / 1000;
  io.stderr.write(
    `wrote ${opts.out}: ${r.stats.records} DIAG log records (${format}), ${(r.stats.bytes / 1e6).toFixed(2)} MB in ${secs.toFixed(2)} s; ${r.labels.length} fault labels in ${opts.labels}\n`,
  );
  return EXIT_OK;
}

/** `l1t synth ue --out FILE.txt|FILE.log`: a UE event text log of 40 UEs (capture/synth/ue/ue-event-synth.ts). */
async function synthUeEventsCommand(
  opts: SynthCommandOptions,
  io: CliIo,
  seed: number,
  duration: number,
): Promise<number> {
  let r: ReturnType<typeof synthUeEvents>;
  try {
    r = synthUeEvents({ durationS: duration }, parseUeEventFaultSpec(opts.faults ?? ''), seed);
  } catch (err) {
    if (err instanceof FaultSpecError || err instanceof RangeError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
  await writeFile(opts.out, r.text);
  await writeFile(opts.labels, r.labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
  io.stderr.write(
    `wrote ${opts.out}: UE event log, ${r.stats.lines} lines of ${r.stats.ues} UEs; ${r.labels.length} fault labels in ${opts.labels}\n`,
  );
  return EXIT_OK;
}

/** A ready-made linuxptp mix (times in seconds, for the default 600 s log). */
export const EXAMPLE_PTP_LOG_FAULTS =
  'ptp_gm_change@60;ptp_port_fault@130;ptp_announce_timeout@200;ptp_servo_unlocked@270;ptp_path_delay_jump@340:shift_ns=400;ptp_time_error@410;ptp_port_fault@480:kind=clock_jump';

/**
 * `l1t synth ptp-log --out FILE --labels FILE [--faults SPEC|example] [--seed N] [--duration S]
 * [--shape verbose|syslog]`: a linuxptp log (`ptp4l -m` and `phc2sys -m` of one slave, capture/synth/linuxptp) and its ground truth, one
 * JSON line per injected fault, labelled at the line where the finding must be. `example` is a mix for a
 * 600 s log (it needs --duration ≥ 520).
 */
async function synthPtpLogCommand(opts: SynthCommandOptions, io: CliIo): Promise<number> {
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer (got '${opts.seed}')`);
  const duration = opts.duration === undefined ? 600 : Number(opts.duration);
  if (!Number.isFinite(duration) || duration < 60 || duration > 86_400)
    throw new UsageError(`--duration must be 60–86400 seconds for a linuxptp log (got '${opts.duration}')`);
  const format = opts.shape ?? 'verbose';
  if (format !== 'verbose' && format !== 'syslog')
    throw new UsageError(`--shape for a linuxptp log is 'verbose' (ptp4l -m) or 'syslog' (got '${format}')`);
  let r: ReturnType<typeof synthLinuxptpLog>;
  try {
    const spec = opts.faults === 'example' ? EXAMPLE_PTP_LOG_FAULTS : (opts.faults ?? '');
    r = synthLinuxptpLog({ durationS: duration, format }, parseLinuxptpLogFaultSpec(spec), seed);
  } catch (err) {
    if (err instanceof FaultSpecError || err instanceof RangeError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
  await writeFile(opts.out, r.text);
  await writeFile(opts.labels, r.labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
  io.stderr.write(
    `wrote ${opts.out}: linuxptp log, ${r.stats.lines} lines (${r.stats.servoSamples} ptp4l servo samples); ${r.labels.length} fault labels in ${opts.labels}\n`,
  );
  return EXIT_OK;
}
