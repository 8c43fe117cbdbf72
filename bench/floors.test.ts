import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgets, idealSpeedupBound, measureFloors, type Floors } from './floors.js';

// The bench itself is `npm run bench:analyze` (never part of `npm test`: no timing asserted here).
describe('bench:analyze floors', () => {
  const floors: Floors = { nodeStartCpuS: 0.1, readCpuS: 0.05, sha256CpuS: 0.2, floorCpuS: 0.35, runs: 3 };

  it('tells a budget above the floor from one at or below it', () => {
    // 300 MB: 500 MB per CPU-second allows 0.6 CPU-s; tshark 6 CPU-s ÷ 20 allows 0.3 (below 0.35)
    const b = budgets(floors, 1.8, 300e6, 275_000, 6, false);
    expect(b.map((x) => x.target)).toEqual(['500 MB per CPU-second', '20× tshark']);
    expect(b[0]).toMatchObject({ budgetCpuS: 0.6, leftForAnalysisCpuS: 0.25, spentBeyondFloorCpuS: 1.45 });
    expect(b[0]!.reachable).toBe(true);
    expect(b[1]).toMatchObject({ budgetCpuS: 0.3, leftForAnalysisCpuS: -0.05, reachable: false });
  });

  it('adds the packet-rate budget on PTP-only traffic only, and no tshark budget without tshark', () => {
    const b = budgets(floors, 4.6, 300e6, 3_680_000, undefined, true);
    expect(b.map((x) => x.target)).toEqual(['500 MB per CPU-second', '2 M packets per CPU-second']);
    expect(b[1]!.budgetCpuS).toBe(1.84);
  });

  it('bounds the speed-up of an ideal split by the CPU-seconds spread over the cores', () => {
    // one worker: 2.4 s wall for 3.68 CPU-s on 2 cores → at best 1.84 s with two: ×1.30
    expect(idealSpeedupBound(2.4, 3.68, 2, 2)).toBe(1.3);
    // more workers than cores spread over the cores only
    expect(idealSpeedupBound(2.4, 3.68, 2, 8)).toBe(1.3);
    // a single-threaded run (CPU = wall) could at best double on two cores
    expect(idealSpeedupBound(2, 2, 2, 2)).toBe(2);
  });

  it('measures Node’s start, one read and the SHA-256 of a real file in fresh processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-floors-'));
    try {
      const path = join(dir, 'x.bin');
      writeFileSync(path, Buffer.alloc(8 << 20, 7));
      const f = await measureFloors(path, 1);
      expect(f.runs).toBe(1);
      expect(f.nodeStartCpuS).toBeGreaterThan(0);
      expect(f.readCpuS).toBeGreaterThanOrEqual(0);
      expect(f.sha256CpuS).toBeGreaterThanOrEqual(0);
      expect(f.floorCpuS).toBeCloseTo(f.nodeStartCpuS + f.readCpuS + f.sha256CpuS, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
