/**
 * `npm run bench:iq` — per-PRB IQ statistics (Σ(I² + Q²), all-zero PRBs, clipped samples; issue 14 item 2)
 * for every IQ format the decoder computes them for, one core, in-process:
 *
 *   - uncompressed, udIqWidth 1–16 (8 and 16 are the real captures' widths);
 *   - block floating point (CUS Annex A.1), widths 1–16;
 *   - block scaling (CUS Annex A.2), widths 1–16.
 *
 * For each format three rates over the same 100 MHz-sized U-plane messages (one section of 273 PRBs):
 *   simd    the WebAssembly SIMD kernel (`iqSimd.section`, what the analysis runs: prbIq false);
 *   scalar  the scalar reference PRB by PRB (`decodePrbIqSum` / `decodePrbIqBlockScaledSum`: the fallback
 *           without WebAssembly SIMD and the reference the kernel is tested equal to);
 *   decode  the whole U-plane decode of the message with per-section IQ totals (`decodeOran`, prbIq false).
 * Rates are IQ payload bytes (PRB bytes with their udCompParam) per CPU-second, beside a plain copy of the
 * same bytes (`Uint8Array.set`) as the memory-speed reference. μ-law (Annex A.3), modulation compression and
 * the selective-RE methods have no IQ statistics (their sections are decoded to the header): not measured.
 *
 * A table goes to stderr, ONE JSON document to stdout. Environment (optional):
 *   L1T_BENCH_IQ_MS       CPU milliseconds per measurement (default 300)
 *   L1T_BENCH_IQ_WIDTHS   comma list of widths (default 1–16)
 */
import { cpus, loadavg } from 'node:os';
import { FindingList } from '../packages/capture/src/decode/findings.js';
import { resolveDecodeOptions, type CompMethodName } from '../packages/capture/src/decode/options.js';
import { decodePrbIqBlockScaledSum, decodePrbIqSum, prbIqBytes, PrbIqResult } from '../packages/capture/src/oran/iq.js';
import { iqSimd, SectionIqTotals } from '../packages/capture/src/oran/iq-simd.js';
import { decodeOran } from '../packages/capture/src/oran/oran-decoder.js';
import { OranMessage } from '../packages/capture/src/oran/oran-message.js';
import { UplaneFormatCache } from '../packages/capture/src/oran/uplane.js';

const env = process.env;
const MS = Number(env['L1T_BENCH_IQ_MS'] ?? 300);
const WIDTHS = (env['L1T_BENCH_IQ_WIDTHS'] ?? '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16').split(',').map(Number);
const NPRB = 273;
/** Distinct messages cycled through (more than the L1 cache holds at the larger widths). */
const MESSAGES = 64;
/** eCPRI payload before the section's PRBs: eAxC, seqId, application header, section header. */
const HEAD = 4 + 4 + 4;

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

type Method = 'none' | 'bfp' | 'block_scaling';
const METHODS: Method[] = ['none', 'bfp', 'block_scaling'];

/** Deterministic bytes (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** U-plane messages (eCPRI payload) of one section of NPRB PRBs: random samples, one PRB in 8 all-zero. */
function messages(method: Method, width: number): Uint8Array[] {
  const param = method !== 'none';
  const stride = prbIqBytes(width) + (param ? 1 : 0);
  const rand = rng(width * 31 + METHODS.indexOf(method));
  const out: Uint8Array[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const d = new Uint8Array(HEAD + NPRB * stride);
    d.set([0x00, 0x01, 0x00, 0x80, 0x90, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, NPRB & 0xff]);
    for (let k = 0; k < NPRB; k++) {
      const p = HEAD + k * stride;
      if (param) d[p] = method === 'bfp' ? rand() % (17 - width) : rand() & 0xff;
      const q = p + (param ? 1 : 0);
      if (k % 8 === 0) continue; // all-zero PRB
      for (let b = q; b < q + 3 * width; b++) d[b] = rand() & 0xff;
    }
    out.push(d);
  }
  return out;
}

/** Runs `fn(message)` over the messages until MS CPU milliseconds have passed; bytes of IQ per CPU-second. */
function rate(msgs: Uint8Array[], iqBytes: number, fn: (d: Uint8Array) => void): number {
  for (let i = 0; i < 200; i++) fn(msgs[i % MESSAGES]!); // warm-up (JIT)
  let n = 0;
  const c0 = process.cpuUsage();
  let spent = 0;
  while (spent < MS * 1000) {
    for (let i = 0; i < MESSAGES; i++) fn(msgs[i]!);
    n += MESSAGES;
    const c = process.cpuUsage(c0);
    spent = c.user + c.system;
  }
  return (n * iqBytes) / (spent / 1e6);
}

let sink = 0;

function main(): void {
  const kernel = iqSimd;
  if (kernel === undefined) throw new Error('WebAssembly SIMD is not available in this Node');
  const load0 = loadavg();
  const rows: {
    method: Method;
    width: number;
    simdMBps: number;
    scalarMBps: number;
    decodeMBps: number;
    copyMBps: number;
    simdMprbPerS: number;
  }[] = [];
  const r = new PrbIqResult();
  const totals = new SectionIqTotals();
  const exps = new Uint8Array(NPRB);
  const msg = new OranMessage();
  const findings = new FindingList();
  const copy = new Uint8Array(HEAD + NPRB * 49);
  log(
    `bench:iq  ${NPRB} PRBs per message, ${MS} CPU-ms per measurement; load ${load0.map((v) => v.toFixed(2)).join(' ')}`,
  );
  log(
    `${'method'.padEnd(14)} ${'width'.padStart(5)} ${'simd MB/s'.padStart(10)} ${'scalar MB/s'.padStart(12)} ${'decode MB/s'.padStart(12)} ${'copy MB/s'.padStart(10)} ${'simd÷scalar'.padStart(12)} ${'M PRB/s'.padStart(8)}`,
  );
  for (const method of METHODS) {
    for (const width of WIDTHS) {
      const param = method !== 'none';
      const bfp = method === 'bfp';
      const scaled = method === 'block_scaling';
      const stride = prbIqBytes(width) + (param ? 1 : 0);
      const iqBytes = NPRB * stride;
      const msgs = messages(method, width);
      const simd = rate(msgs, iqBytes, (d) => {
        kernel.section(
          d,
          HEAD,
          NPRB,
          stride,
          width,
          param,
          bfp ? 0 : 16 - width,
          bfp ? 16 - width : -1,
          totals,
          exps,
          0,
          scaled,
        );
        sink += totals.sumSq16;
      });
      const scalar = rate(msgs, iqBytes, (d) => {
        let s = 0;
        for (let k = 0, p = HEAD; k < NPRB; k++, p += stride) {
          if (scaled) decodePrbIqBlockScaledSum(d, p + 1, width, d[p]!, r);
          else decodePrbIqSum(d, bfp ? p + 1 : p, width, bfp ? d[p]! & 15 : -1, r);
          s += r.sumSq16;
        }
        sink += s;
      });
      const opts = resolveDecodeOptions({
        compMethod: method as CompMethodName,
        iqWidth: width,
        compHdr: 'static',
        nrb: NPRB,
        computeIq: true,
        prbIq: false,
      });
      const cache = new UplaneFormatCache();
      const decode = rate(msgs, iqBytes, (d) => {
        findings.reset();
        decodeOran(d, 0, d.length, 'u', opts, cache, msg, findings);
        sink += msg.uSections[0]!.activePowerLin;
      });
      const copyRate = rate(msgs, iqBytes, (d) => {
        copy.set(d);
        sink += copy[HEAD]!;
      });
      const row = {
        method,
        width,
        simdMBps: Math.round(simd / 1e6),
        scalarMBps: Math.round(scalar / 1e6),
        decodeMBps: Math.round(decode / 1e6),
        copyMBps: Math.round(copyRate / 1e6),
        simdMprbPerS: Math.round((simd / stride / 1e6) * 10) / 10,
      };
      rows.push(row);
      log(
        `${method.padEnd(14)} ${String(width).padStart(5)} ${String(row.simdMBps).padStart(10)} ${String(row.scalarMBps).padStart(12)} ${String(row.decodeMBps).padStart(12)} ${String(row.copyMBps).padStart(10)} ${('×' + (simd / scalar).toFixed(1)).padStart(12)} ${String(row.simdMprbPerS).padStart(8)}`,
      );
    }
  }
  const load1 = loadavg();
  log(
    `load after: ${load1.map((v) => v.toFixed(2)).join(' ')}  (rates per CPU-second: a shared host slows the wall clock, not these)`,
  );
  process.stdout.write(
    JSON.stringify({
      bench: 'iq',
      date: new Date().toISOString(),
      host: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadavg1mBeforeAfter: [load0[0], load1[0]] },
      prbsPerMessage: NPRB,
      cpuMsPerMeasurement: MS,
      notMeasured: 'mu_law, modulation, bfp_selective_re, mod_selective_re: no IQ statistics (header-only decode)',
      rows,
      checksum: sink === 0 ? 0 : 1,
    }) + '\n',
  );
}

main();
