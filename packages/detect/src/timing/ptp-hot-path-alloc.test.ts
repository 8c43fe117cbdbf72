import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';

/**
 * The PTP hot path (issue 14, PTP-only traffic; the fronthaul probe is hot-path-alloc.test.ts): the PTP
 * detectors, run by the real driver over a healthy two-step stream with Delay_Req/Delay_Resp exchanges,
 * allocate (almost) nothing per message. `ptp-alloc-probe.ts` runs them in a fresh Node with `--expose-gc`
 * over 1.8 M messages and counts garbage collections: 16 bytes per message would be ~29 MB, several
 * young-generation collections (the code before this probe ran 11: bigint divisions of the capture time,
 * a bigint sum per Announce, loads from a dictionary-mode context). What is left is ptp_message_rate's few
 * bigints per closed rate window (one per second and stream).
 */
const detectDir = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./test-support/ptp-alloc-probe.ts', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../../capture/dist/index.js', import.meta.url)));
if (!built && REQUIRE_ALL_SUITES)
  throw new Error('packages/capture/dist is missing (npm run build) and L1T_REQUIRE_ALL_SUITES=1');

describe.runIf(built)('PTP hot path', () => {
  it('allocates almost nothing per PTP message (at most one GC over 1.8 M messages)', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
      cwd: detectDir,
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      packets: number;
      collections: number;
      occurrences: number;
      exchangesPaired: boolean;
    };
    expect(r.packets).toBe(1_800_000);
    // A healthy stream: nothing to report, and the exchanges are paired (the pairing is on the probed path).
    expect(r.occurrences).toBe(0);
    expect(r.exchangesPaired).toBe(true);
    expect(r.collections).toBeLessThanOrEqual(1);
  }, 180_000);

  // A replayed stream (every Follow_Up of the master 10 s stale) in the file's detection: after the first
  // finding, each stale message continues the port's run with a few numbers. Before issue 14's H7 work this
  // ran 2–3 collections (a closure context allocated per call of onPacket, confidence and magnitude boxed as
  // arguments of OccurrenceRun.extend: ~80 bytes per stale message).
  it('continues a replay stale-timestamp finding without allocating per stale message', () => {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', probe, 'ptp-stale-timestamp', 'replay'],
      { cwd: detectDir, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      packets: number;
      collections: number;
      anomalies: { type: string; packets: number }[];
    };
    expect(r.packets).toBe(1_800_000);
    // one finding: the 400,000 measured Follow_Ups and the 10,000 of the warm-up's second half
    expect(r.anomalies).toEqual([{ type: 'ptp_stale_timestamp', packets: 410_000 }]);
    expect(r.collections).toBe(0);
  }, 180_000);
});
