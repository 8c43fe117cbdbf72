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
 * (16 KiB, see `window`). A campaign (L1T_FUZZ_INPUTS) lets the targets take turns in slices of
 * L1T_FUZZ_SLICE_SECONDS (30) and rewrites the JSON report to L1T_FUZZ_PROGRESS after each round, so a run cut
 * short has moved every target forward and says how far.
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

/**
 * One target's campaign, run in slices: targets take turns, so a campaign cut short (a session's end, a
 * kill) has moved every target forward, and its progress file says how far.
 */
class Campaign {
  readonly crashes = new Map<string, { message: string; frame: string; input: string }>();
  inputs = 0;
  slow = 0;
  maxMsPerMb = 0;
  seconds = 0;
  cpuSeconds = 0;
  private readonly pool: Seed[];

  constructor(
    readonly target: FuzzTarget,
    seeds: Seed[],
  ) {
    this.pool = seeds.length > 0 ? seeds : [{ bytes: new Uint8Array(64), anyOffset: false }];
  }

  get done(): boolean {
    return this.seconds >= SECONDS || (INPUTS !== undefined && this.inputs >= INPUTS);
  }

  /** Fuzzes for up to `ms` (and no further than the target's input or time budget). */
  slice(ms: number): void {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const end = t0 + Math.min(ms, (SECONDS - this.seconds) * 1000);
    while (performance.now() < end && (INPUTS === undefined || this.inputs < INPUTS)) {
      for (let i = 0; i < 64; i++) {
        const input = mutate(this.pool[below(this.pool.length)]!, this.pool[below(this.pool.length)]!.bytes);
        const s = performance.now();
        const err = runTarget(this.target, input);
        let ms = performance.now() - s;
        this.inputs++;
        const bound = Math.max(50, (1000 * input.length) / 1e6);
        if (ms > bound) {
          // Confirmed slow only when three more runs are slow too, in CPU time as well as wall time: on a
          // shared host a process descheduled for 50 ms is not a slow input.
          for (let k = 0; k < 3 && ms > bound; k++) {
            const again = performance.now();
            const cpu = process.cpuUsage();
            runTarget(this.target, input);
            const used = process.cpuUsage(cpu);
            ms = Math.min(ms, performance.now() - again, (used.user + used.system) / 1000);
          }
          if (ms > bound) {
            this.slow++;
            saveInput(`slow-${this.target.name}`, input);
          }
        }
        // Per MB only where the size dominates fixed costs (decoder set-up): inputs of 64 KiB and more.
        if (input.length >= 65_536) this.maxMsPerMb = Math.max(this.maxMsPerMb, (ms * 1e6) / input.length);
        if (err !== undefined) {
          const e = err instanceof Error ? err : new Error(String(err));
          const frame = (e.stack ?? '').split('\n')[1]?.trim() ?? '';
          const key = `${e.message}|${frame}`;
          if (!this.crashes.has(key))
            this.crashes.set(key, { message: e.message, frame, input: saveInput(this.target.name, input) });
        }
      }
    }
    const cpu = process.cpuUsage(cpu0);
    this.seconds += (performance.now() - t0) / 1000;
    this.cpuSeconds += (cpu.user + cpu.system) / 1e6;
  }

  report(): TargetReport {
    return {
      target: this.target.name,
      seeds: this.pool.length,
      inputs: this.inputs,
      seconds: Math.round(this.seconds * 10) / 10,
      inputs_per_s: Math.round(this.inputs / this.seconds),
      cpu_seconds: Math.round(this.cpuSeconds * 10) / 10,
      inputs_per_cpu_s: Math.round(this.inputs / this.cpuSeconds),
      crashes: [...this.crashes.values()],
      slow_inputs: this.slow,
      max_ms_per_mb: Math.round(this.maxMsPerMb),
    };
  }
}

const seeds = collectSeeds();
const campaigns = FUZZ_TARGETS.filter((t) => !ONLY || ONLY.includes(t.name)).map(
  (t) =>
    new Campaign(
      t,
      t.seeds.flatMap((k) => (seeds.get(k) ?? []).map((bytes) => ({ bytes, anyOffset: ANY_OFFSET.has(k) }))),
    ),
);
let peakRss = process.memoryUsage().rss;
const summary = () => ({
  seconds_per_target: Number.isFinite(SECONDS) ? SECONDS : null,
  inputs_per_target: INPUTS ?? null,
  max_input_bytes: MAX_INPUT,
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  targets: campaigns.map((c) => c.report()),
});
// A short run gives each target its seconds in one piece; a campaign (L1T_FUZZ_INPUTS) takes turns in
// slices of L1T_FUZZ_SLICE_SECONDS (30) and rewrites L1T_FUZZ_PROGRESS (a JSON file) after each round.
const SLICE_MS = INPUTS === undefined ? Infinity : Number(process.env.L1T_FUZZ_SLICE_SECONDS ?? 30) * 1000;
for (let round = 0; campaigns.some((c) => !c.done); round++) {
  for (const c of campaigns) {
    if (c.done) continue;
    c.slice(SLICE_MS);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (c.done || INPUTS !== undefined) {
      const r = c.report();
      process.stderr.write(
        `${r.target.padEnd(40)} seeds ${String(r.seeds).padStart(4)}  inputs ${String(r.inputs).padStart(9)}  ${String(r.inputs_per_s).padStart(7)}/s  ${String(r.inputs_per_cpu_s).padStart(7)}/CPU-s  crashes ${r.crashes.length}  slow ${r.slow_inputs}  max ${r.max_ms_per_mb} ms/MB\n`,
      );
    }
  }
  if (process.env.L1T_FUZZ_PROGRESS)
    writeFileSync(process.env.L1T_FUZZ_PROGRESS, `${JSON.stringify({ round, ...summary() }, null, 2)}\n`);
}
process.stdout.write(`${JSON.stringify(summary(), null, 2)}\n`);
process.exitCode = campaigns.some((c) => c.crashes.size > 0) ? 1 : 0;
