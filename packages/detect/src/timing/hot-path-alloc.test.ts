import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';

/**
 * The hot path (DESIGN.md, detector.ts): no allocation per fronthaul packet in the IQ, traffic and
 * timing detectors. `alloc-probe.ts` runs them in a fresh Node with `--expose-gc` over 1.5 M packets
 * and counts garbage collections; 16 bytes per packet would be 24 MB, several young-generation
 * collections. The probe imports `@l1t/capture` through its package exports (the built `dist/`).
 */
const detectDir = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./test-support/alloc-probe.ts', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../../capture/dist/index.js', import.meta.url)));
if (!built && REQUIRE_ALL_SUITES) throw new Error('packages/capture/dist is missing (npm run build) and L1T_REQUIRE_ALL_SUITES=1');

describe.runIf(built)('hot path', () => {
  it('allocates nothing per fronthaul packet (no GC over 1.5 M packets)', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], { cwd: detectDir, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { packets: number; collections: number; heapGrowthBytes: number };
    expect(r.packets).toBe(1_500_000);
    expect(r.collections).toBeLessThanOrEqual(1);
    expect(r.heapGrowthBytes).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});
