/**
 * What the time-error metrics keep per master until the end of the file (issue #14: peak RSS ≤ 200 MB
 * whatever the file size): every Sync and Announce arrival, up to 2^20 a list. Kept as microsecond
 * differences (sample-lists.ts) that is 4 bytes an arrival; the Float64Array lists doubled when full kept
 * 8 bytes plus the unused half (13.3 bytes an arrival here: 600 k Syncs in 2^20 slots, 300 k Announces in
 * 2^19), which the bench:analyze PTP repeat grew to 32 MB of its 225 MB.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { DetectorDriver } from '../../framework/detector-driver.js';
import { ptpPacket, recordingContext, T0 } from '../test-support/detect-helpers.js';
import { captureTimeErrorMetricsDetector } from './capture-time-error-detector.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arrayBufferBytes(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

describe('capture time-error metrics: memory', () => {
  it('keeps a master’s Sync and Announce arrivals in at most 5 bytes each', () => {
    const ctx = recordingContext([captureTimeErrorMetricsDetector]);
    const detector = captureTimeErrorMetricsDetector.create({ profile: undefined, thresholds: ctx.thresholds });
    const driver = new DetectorDriver([detector], ctx);
    const sync = ptpPacket(new DecodedPacket(), 0, T0, { type: PtpMessageType.SYNC, clock: 1, tsSec: 0, tsNs: 0 });
    const announce = ptpPacket(new DecodedPacket(), 0, T0, {
      type: PtpMessageType.ANNOUNCE,
      clock: 1,
      tsSec: 0,
      tsNs: 0,
      gm: 1,
    });
    const SYNCS = 600_000;
    const before = arrayBufferBytes();
    let index = 0;
    for (let i = 0; i < SYNCS; i++) {
      // 16 Syncs/s and 8 Announces/s, with a few µs of capture jitter
      const ts = T0 + BigInt(i * 62_500_000 + ((i * 7919) % 5_000));
      sync.index = ++index;
      sync.tsNs = ts;
      sync.ptp.sequenceId = i & 0xffff;
      driver.onPacket(sync);
      if ((i & 1) === 0) {
        announce.index = ++index;
        announce.tsNs = ts + 1_000n;
        announce.ptp.sequenceId = (i >> 1) & 0xffff;
        driver.onPacket(announce);
      }
    }
    const kept = arrayBufferBytes() - before;
    const arrivals = SYNCS + SYNCS / 2;
    expect(kept / arrivals).toBeGreaterThan(3.5); // the arrivals are kept (their interval statistics need them)
    expect(kept / arrivals).toBeLessThanOrEqual(5);
    driver.finish(); // the detector stays reachable until after the measurement
  });
});
