import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The decode hot path (issue 14 item 3; the detectors' probe is detect/src/timing/hot-path-alloc.test.ts):
 * decoding U-plane packets with per-section IQ statistics allocates nothing per packet, for every IQ format
 * (uncompressed 8/16 bit, BFP 1–16 bit, block scaling 1–16 bit through the WebAssembly SIMD kernel; sections of
 * 51 and of 17 PRBs, whose per-PRB outputs are copied by TypedArray set or by loops).
 * `decode-alloc-probe.ts` runs in a fresh Node with `--expose-gc` over a million packets and counts garbage
 * collections; one subarray view per section (≈ 100 bytes) would be 100 MB, several young-generation
 * collections.
 */
const captureDir = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./test-support/decode-alloc-probe.ts', import.meta.url));

describe('decode hot path', () => {
  it('allocates nothing per U-plane packet for any IQ format (no GC over 1 M packets)', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
      cwd: captureDir,
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { packets: number; formats: number; collections: number };
    expect(r.formats).toBe(36);
    expect(r.packets).toBeGreaterThanOrEqual(1_000_000);
    expect(r.collections).toBeLessThanOrEqual(1);
  }, 120_000);
});
