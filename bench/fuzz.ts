/**
 * `npm run fuzz` — structured mutation fuzzing of every reader and decoder, seeded with the real samples of
 * ../shared/samples (issue #17). Each target gets the samples of its formats (for Ethernet frames: the
 * frames inside the pcap/pcapng samples), mutated as bytes are damaged in the field: bit flips, bytes and
 * 16/32-bit fields set to boundary values (0, 0x7f…, 0x80…, 0xff…), ranges deleted or duplicated, a cut,
 * a splice of two seeds. Every input must give records or a located CaptureFormatError, within 1 s per MB.
 *
 * Reports per target: inputs, inputs/s, crashes (distinct by message and first stack frame, each input
 * saved under L1T_FUZZ_OUT, default .l1t/fuzz-crashes, to become a regression fixture), slow inputs, and the
 * peak RSS. JSON on stdout, a table on stderr.
 *
 * Environment: L1T_FUZZ_SECONDS (per target, default 10), L1T_FUZZ_INPUTS (per target: run until this many
 * inputs instead, e.g. 10000000 for issue #17's campaign; L1T_FUZZ_SECONDS, when also set, caps it),
 * L1T_FUZZ_TARGETS (comma list of target names, default all), L1T_FUZZ_SEED (default 1),
 * L1T_FUZZ_MAX_SEED_BYTES (256 KiB: the head of larger samples is the seed), L1T_FUZZ_MAX_INPUT_BYTES
 * (16 KiB, see `window`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readSync, closeSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagLogReader, readCaptureRecords, sniffFormat, SNIFF_HEAD_BYTES } from '@l1t/capture';
import { dlfRecord, qmdl2Header } from '../packages/capture/src/test-support/diag-builder.js';
import {
  FUZZ_TARGETS,
  frameDecoderOf,
  runTarget,
  type FuzzTarget,
} from '../packages/capture/src/test-support/fuzz-targets.js';
import { SHARED_DIR } from '../test-support/shared.js';

const INPUTS = process.env.L1T_FUZZ_INPUTS ? Number(process.env.L1T_FUZZ_INPUTS) : undefined;
const SECONDS = Number(process.env.L1T_FUZZ_SECONDS ?? (INPUTS === undefined ? 10 : Infinity));
/** Container seeds (their head kept) / seeds read from any offset (HDLC, text): see `window`. */
const MAX_INPUT = Number(process.env.L1T_FUZZ_MAX_INPUT_BYTES ?? 16 * 1024);
const MAX_INPUT_ANY_OFFSET = Math.min(MAX_INPUT, 4096);
const ONLY = process.env.L1T_FUZZ_TARGETS?.split(',').map((s) => s.trim());
const MAX_SEED = Number(process.env.L1T_FUZZ_MAX_SEED_BYTES ?? 256 * 1024);
const OUT = process.env.L1T_FUZZ_OUT ?? '.l1t/fuzz-crashes';

/** Small deterministic PRNG (mulberry32): a run is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(Number(process.env.L1T_FUZZ_SEED ?? 1));
const below = (n: number) => Math.floor(rand() * n);

function readHead(path: string, max: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(max, statSync(path).size));
    readSync(fd, buf, 0, buf.length, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && statSync(p).size > 0) out.push(p);
  }
  return out;
}

/** Seeds by kind: sniffed container formats, Ethernet frames from the captures, the two text log kinds. */
function collectSeeds(): Map<string, Uint8Array[]> {
  const seeds = new Map<string, Uint8Array[]>();
  const add = (kind: string, b: Uint8Array) => {
    const list = seeds.get(kind) ?? [];
    if (list.length < 400) list.push(b);
    seeds.set(kind, list);
  };
  const dir = join(SHARED_DIR, 'samples');
  for (const path of walk(dir)) {
    const bytes = readHead(path, MAX_SEED);
    const format = sniffFormat(bytes.subarray(0, SNIFF_HEAD_BYTES)).format;
    if (format === 'pcap' || format === 'pcapng') {
      add(format, bytes);
      try {
        let frames = 0;
        for (const r of readCaptureRecords(bytes, format, { copyData: true }))
          if (r.kind === 'packet' && r.linkType === 1 && frames++ < 50) {
            const decoder = frameDecoderOf(r.data);
            if (decoder !== 'other') add(`frame_${decoder}`, r.data);
          }
      } catch {
        /* a head cut inside a record: the frames before it were taken */
      }
    } else if (format === 'diag_hdlc') {
      add(format, bytes);
      // No genuine .qmdl2 or .dlf sample exists (MANIFEST.md): the same real log packets in those
      // containers — a QShrink header before the HDLC stream, and one DLF record per log packet.
      add('qmdl2', concat(qmdl2Header(), bytes));
      add('dlf', dlfOf(bytes));
    } else if (format === 'qmdl2' || format === 'dlf') add(format, bytes);
    else if (format === 'text') {
      const text = new TextDecoder().decode(bytes.subarray(0, 4096));
      add(/ptp4l|phc2sys|ts2phc/.test(text) ? 'linuxptp_log' : 'ue_event_log', bytes);
    }
  }
  return seeds;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The log packets of an HDLC stream as DLF records. */
function dlfOf(hdlc: Uint8Array): Uint8Array {
  const reader = new DiagLogReader('diag_hdlc');
  reader.append(hdlc);
  reader.end();
  const records: Uint8Array[] = [];
  try {
    for (let r = reader.next(); r && records.length < 2000; r = reader.next())
      if (r.kind === 'log') records.push(dlfRecord(r.packet.logCode, 0n, Uint8Array.from(r.packet.body)));
  } catch {
    /* a cut at the end of the head */
  }
  return concat(...records);
}

const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000];

/** Seed kinds whose readers resynchronise anywhere (HDLC flags, text lines): a window may start mid-seed. */
const ANY_OFFSET = new Set(['diag_hdlc', 'linuxptp_log', 'ue_event_log']);
interface Seed {
  bytes: Uint8Array;
  anyOffset: boolean;
}

/**
 * The part of a seed one input starts from. Mostly up to 16 KiB of a container's head, 4 KiB elsewhere
 * (several HDLC frames or log lines): a mutation changes a
 * few bytes, and copying and re-reading 64 KiB around them cost the earlier campaign 4–10× its rate for no
 * more reach (libFuzzer's default max_len is 4 KiB). One input in 64 keeps the large windows (up to 68 KiB)
 * that the per-MB time bound is measured on. Container seeds keep their head (a pcap's global header, a
 * QShrink header); HDLC and text seeds may start anywhere, so the whole sample is reached.
 */
function window(seed: Seed): Uint8Array {
  const small = seed.anyOffset ? MAX_INPUT_ANY_OFFSET : MAX_INPUT;
  const max = below(64) === 0 ? 4096 + below(65_536) : 256 + below(Math.max(1, small - 256));
  if (seed.bytes.length <= max) return seed.bytes;
  const from = seed.anyOffset ? below(seed.bytes.length - max) : 0;
  return seed.bytes.subarray(from, from + max);
}

function mutate(seed: Seed, other: Uint8Array): Uint8Array {
  let b: Uint8Array = Uint8Array.from(window(seed));
  const rounds = 1 + below(4);
  for (let r = 0; r < rounds && b.length > 0; r++) {
    const at = below(b.length);
    switch (below(8)) {
      case 0:
        b[at] = b[at]! ^ (1 << below(8));
        break;
      case 1:
        b[at] = INTERESTING_8[below(INTERESTING_8.length)]!;
        break;
      case 2: {
        if (at + 4 > b.length) break;
        new DataView(b.buffer, b.byteOffset).setUint32(at, INTERESTING_32[below(INTERESTING_32.length)]!, rand() < 0.5);
        break;
      }
      case 3: {
        if (at + 2 > b.length) break;
        new DataView(b.buffer, b.byteOffset).setUint16(at, [0, 0xffff, 0x8000, 1][below(4)]!, rand() < 0.5);
        break;
      }
      case 4: {
        const len = 1 + below(Math.min(256, b.length - at));
        b = concat(b.subarray(0, at), b.subarray(at + len));
        break;
      }
      case 5: {
        const len = 1 + below(Math.min(256, b.length - at));
        b = concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
        break;
      }
      case 6:
        b = b.subarray(0, at);
        break;
      default: {
        const from = below(Math.max(1, other.length));
        b = concat(b.subarray(0, at), other.subarray(from, from + 1 + below(512)));
      }
    }
  }
  return b;
}

interface TargetReport {
  target: string;
  seeds: number;
  inputs: number;
  seconds: number;
  inputs_per_s: number;
  /** CPU-seconds of the process (every thread: GC included) while this target ran; a shared host slows the wall clock, not this. */
  cpu_seconds: number;
  inputs_per_cpu_s: number;
  crashes: { message: string; frame: string; input: string }[];
  slow_inputs: number;
  max_ms_per_mb: number;
}

/** Keeps an input that crashed or was slow, to become a regression fixture; returns its path. */
function saveInput(label: string, input: Uint8Array): string {
  const name = `${label.replace(/\W+/g, '_')}-${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), input);
  return join(OUT, name);
}

function fuzz(target: FuzzTarget, seeds: Seed[]): TargetReport {
  const crashes = new Map<string, { message: string; frame: string; input: string }>();
  let inputs = 0;
  let slow = 0;
  let maxMsPerMb = 0;
  const pool = seeds.length > 0 ? seeds : [{ bytes: new Uint8Array(64), anyOffset: false }];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let nextProgress = t0 + 60_000;
  while (performance.now() < end && (INPUTS === undefined || inputs < INPUTS)) {
    if (performance.now() > nextProgress) {
      nextProgress += 60_000;
      process.stderr.write(`  ${target.name}: ${inputs} inputs\n`);
    }
    for (let i = 0; i < 64; i++) {
      const input = mutate(pool[below(pool.length)]!, pool[below(pool.length)]!.bytes);
      const s = performance.now();
      const err = runTarget(target, input);
      let ms = performance.now() - s;
      inputs++;
      const bound = Math.max(50, (1000 * input.length) / 1e6);
      if (ms > bound) {
        // Confirmed slow only when three more runs are slow too, in CPU time as well as wall time: on a
        // shared host a process descheduled for 50 ms is not a slow input.
        for (let k = 0; k < 3 && ms > bound; k++) {
          const again = performance.now();
          const cpu = process.cpuUsage();
          runTarget(target, input);
          const used = process.cpuUsage(cpu);
          ms = Math.min(ms, performance.now() - again, (used.user + used.system) / 1000);
        }
        if (ms > bound) {
          slow++;
          saveInput(`slow-${target.name}`, input);
        }
      }
      // Per MB only where the size dominates fixed costs (decoder set-up): inputs of 64 KiB and more.
      if (input.length >= 65_536) maxMsPerMb = Math.max(maxMsPerMb, (ms * 1e6) / input.length);
      if (err !== undefined) {
        const e = err instanceof Error ? err : new Error(String(err));
        const frame = (e.stack ?? '').split('\n')[1]?.trim() ?? '';
        const key = `${e.message}|${frame}`;
        if (!crashes.has(key)) crashes.set(key, { message: e.message, frame, input: saveInput(target.name, input) });
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    target: target.name,
    seeds: seeds.length,
    inputs,
    seconds: Math.round(seconds * 10) / 10,
    inputs_per_s: Math.round(inputs / seconds),
    cpu_seconds: Math.round(cpuSeconds * 10) / 10,
    inputs_per_cpu_s: Math.round(inputs / cpuSeconds),
    crashes: [...crashes.values()],
    slow_inputs: slow,
    max_ms_per_mb: Math.round(maxMsPerMb),
  };
}

const seeds = collectSeeds();
const reports: TargetReport[] = [];
let peakRss = process.memoryUsage().rss;
for (const target of FUZZ_TARGETS) {
  if (ONLY && !ONLY.includes(target.name)) continue;
  const own = target.seeds.flatMap((k) =>
    (seeds.get(k) ?? []).map((bytes) => ({ bytes, anyOffset: ANY_OFFSET.has(k) })),
  );
  const r = fuzz(target, own);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  reports.push(r);
  process.stderr.write(
    `${r.target.padEnd(40)} seeds ${String(r.seeds).padStart(4)}  inputs ${String(r.inputs).padStart(9)}  ${String(r.inputs_per_s).padStart(7)}/s  ${String(r.inputs_per_cpu_s).padStart(7)}/CPU-s  crashes ${r.crashes.length}  slow ${r.slow_inputs}  max ${r.max_ms_per_mb} ms/MB\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({ seconds_per_target: SECONDS, inputs_per_target: INPUTS ?? null, max_input_bytes: MAX_INPUT, peak_rss_mb: Math.round(peakRss / 2 ** 20), targets: reports }, null, 2)}\n`,
);
process.exitCode = reports.some((r) => r.crashes.length > 0) ? 1 : 0;
