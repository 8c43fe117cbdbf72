/**
 * Run with `node --expose-gc --import tsx decode-alloc-probe.ts`: decodes generated O-RAN packets of
 * every IQ format the analysis computes per-section IQ statistics for (uncompressed 8 and 16 bit, BFP
 * 1–16 bit, block scaling 1–16 bit; `computeIq`, `prbIq: false` with and without `prbSums`, the WebAssembly
 * SIMD kernel) over and over, and prints as JSON
 * how many garbage collections ran meanwhile: a decode path that allocates nothing per packet runs none.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { concatBytes, synthFronthaul, type FronthaulConfigInput } from '../../synth/index.js';
import { readCaptureRecords } from '../../reader/create-capture-reader.js';
import { createPacketDecoder } from '../packet-decoder.js';
import { DecodedPacket } from '../decoded-packet.js';
import type { DecodeOptions } from '../options.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

interface Case {
  decoder: ReturnType<typeof createPacketDecoder>;
  /** The same format with each PRB's sum kept (`prbSums`: what the analysis decodes with). */
  sums: ReturnType<typeof createPacketDecoder>;
  records: { linkType: number; data: Uint8Array; tsNs: bigint }[];
}

// 51-PRB sections (the kernel's per-PRB outputs copied out by TypedArray set, the other arrays filled) and two
// formats again with 17-PRB sections (fh_ks: both by loops)
const formats: { method: 'none' | 'bfp' | 'block_scaling'; width: number; nrb?: number }[] = [
  { method: 'none', width: 16 },
  { method: 'none', width: 8 },
  ...Array.from({ length: 16 }, (_, i) => ({ method: 'bfp' as const, width: i + 1 })),
  ...Array.from({ length: 16 }, (_, i) => ({ method: 'block_scaling' as const, width: i + 1 })),
  { method: 'none', width: 16, nrb: 17 },
  { method: 'bfp', width: 9, nrb: 17 },
];
const cases: Case[] = formats.map(({ method, width, nrb = 51 }) => {
  const cfg: FronthaulConfigInput = {
    durationS: 0.002,
    nrb,
    eaxc: { dl: [0], ul: [0] },
    // The generator writes BFP; block scaling has the same PRB layout (udCompParam + 24 samples, CUS
    // Annex A.2), so the BFP packets decoded as block scaling read each exponent byte as a scaler.
    comp: { method: method === 'block_scaling' ? 'bfp' : method, iqWidth: width },
  };
  const bytes = concatBytes([...synthFronthaul(cfg, [], 1)]);
  const records = [...readCaptureRecords(bytes, 'pcap', { copyData: true })]
    .filter((r) => r.kind === 'packet')
    .map((r) => ({ linkType: r.linkType, data: r.data, tsNs: r.tsNs }));
  const opts: Partial<DecodeOptions> = {
    compMethod: method,
    iqWidth: width,
    compHdr: 'static',
    nrb,
    computeIq: true,
    prbIq: false,
  };
  return { decoder: createPacketDecoder(opts), sums: createPacketDecoder({ ...opts, prbSums: true }), records };
});
const out = new DecodedPacket();
let packets = 0;
function round(): void {
  for (const c of cases)
    for (let i = 0; i < c.records.length; i++) {
      const r = c.records[i]!;
      c.decoder.decode(r.linkType, r.data, r.tsNs, i + 1, out);
      c.sums.decode(r.linkType, r.data, r.tsNs, i + 1, out);
      packets += 2;
    }
}

for (let i = 0; i < 300; i++) round(); // warm up (JIT)
gc();
packets = 0;
let collections = 0;
let counting = true;
const obs = new PerformanceObserver((list) => {
  if (counting) collections += list.getEntries().length;
});
obs.observe({ entryTypes: ['gc'] });
const heapBefore = process.memoryUsage().heapUsed;
while (packets < 1_000_000) round();
const heapAfter = process.memoryUsage().heapUsed;
setTimeout(() => {
  counting = false;
  obs.disconnect();
  process.stdout.write(
    JSON.stringify({ packets, formats: formats.length, collections, heapGrowthBytes: heapAfter - heapBefore }) + '\n',
  );
}, 50);
