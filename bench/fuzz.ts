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
 * Environment: L1T_FUZZ_SECONDS (per target, default 10; an overnight run: 3600), L1T_FUZZ_TARGETS (comma
 * list of target names, default all), L1T_FUZZ_SEED (default 1), L1T_FUZZ_MAX_SEED_BYTES (256 KiB: the
 * head of larger samples is the seed).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readSync, closeSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagLogReader, readCaptureRecords, sniffFormat, SNIFF_HEAD_BYTES } from '@l1t/capture';
import { dlfRecord, qmdl2Header } from '../packages/capture/src/test-support/diag-builder.js';
import { FUZZ_TARGETS, runTarget, type FuzzTarget } from '../packages/capture/src/test-support/fuzz-targets.js';
import { SHARED_DIR } from '../test-support/shared.js';

const SECONDS = Number(process.env.L1T_FUZZ_SECONDS ?? 10);
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
          if (r.kind === 'packet' && r.linkType === 1 && frames++ < 50) add('frame', r.data);
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

function mutate(seed: Uint8Array, other: Uint8Array): Uint8Array {
  let b: Uint8Array = Uint8Array.from(seed.length > 65_536 ? seed.subarray(0, 4096 + below(65_536)) : seed);
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
  crashes: { message: string; frame: string; input: string }[];
  slow_inputs: number;
  max_ms_per_mb: number;
}

function fuzz(target: FuzzTarget, seeds: Uint8Array[]): TargetReport {
  const crashes = new Map<string, { message: string; frame: string; input: string }>();
  let inputs = 0;
  let slow = 0;
  let maxMsPerMb = 0;
  const pool = seeds.length > 0 ? seeds : [new Uint8Array(64)];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      const input = mutate(pool[below(pool.length)]!, pool[below(pool.length)]!);
      const s = performance.now();
      const err = runTarget(target, input);
      let ms = performance.now() - s;
      inputs++;
      const bound = Math.max(50, (1000 * input.length) / 1e6);
      if (ms > bound) {
        // Confirmed slow only when a second run is slow too (not a GC pause or a busy shared host).
        const again = performance.now();
        runTarget(target, input);
        ms = Math.min(ms, performance.now() - again);
        if (ms > bound) slow++;
      }
      // Per MB only where the size dominates fixed costs (decoder set-up): inputs of 64 KiB and more.
      if (input.length >= 65_536) maxMsPerMb = Math.max(maxMsPerMb, (ms * 1e6) / input.length);
      if (err !== undefined) {
        const e = err instanceof Error ? err : new Error(String(err));
        const frame = (e.stack ?? '').split('\n')[1]?.trim() ?? '';
        const key = `${e.message}|${frame}`;
        if (!crashes.has(key)) {
          const name = `${target.name.replace(/\W+/g, '_')}-${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`;
          mkdirSync(OUT, { recursive: true });
          writeFileSync(join(OUT, name), input);
          crashes.set(key, { message: e.message, frame, input: join(OUT, name) });
        }
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    target: target.name,
    seeds: seeds.length,
    inputs,
    seconds: Math.round(seconds * 10) / 10,
    inputs_per_s: Math.round(inputs / seconds),
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
  const own = target.seeds.flatMap((k) => seeds.get(k) ?? []);
  const r = fuzz(target, own);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  reports.push(r);
  process.stderr.write(
    `${r.target.padEnd(40)} seeds ${String(r.seeds).padStart(4)}  inputs ${String(r.inputs).padStart(9)}  ${String(r.inputs_per_s).padStart(7)}/s  crashes ${r.crashes.length}  slow ${r.slow_inputs}  max ${r.max_ms_per_mb} ms/MB\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({ seconds_per_target: SECONDS, peak_rss_mb: Math.round(peakRss / 2 ** 20), targets: reports }, null, 2)}\n`,
);
process.exitCode = reports.some((r) => r.crashes.length > 0) ? 1 : 0;
