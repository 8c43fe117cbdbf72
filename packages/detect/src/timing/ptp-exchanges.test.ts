import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import type { DetectorDefinition } from '../framework/detector.js';
import { PtpExchangeTracker } from './ptp-exchanges.js';
import { detectFile } from './test-support/detect-helpers.js';

const samples = requireSharedDir('samples/s-plane_security');

interface Row {
  frames: number[];
  offsetNs: number;
  meanPathDelayNs: number;
  forwardDelayNs: number;
  backwardDelayNs: number;
  t2TsNs: bigint;
  slave: string;
}

/** Runs the tracker over a capture and copies every exchange. */
function exchanges(file: string): Row[] {
  const rows: Row[] = [];
  const def: DetectorDefinition = {
    name: 'exchanges',
    types: [],
    thresholds: {},
    reference: '',
    create: () => {
      const t = new PtpExchangeTracker();
      return {
        onPacket: (p) => {
          const x = t.onPacket(p);
          if (x === undefined) return;
          rows.push({
            frames: [x.syncIndex, x.t1Index, x.delayReqIndex, x.delayRespIndex],
            offsetNs: x.offsetNs,
            meanPathDelayNs: x.meanPathDelayNs,
            forwardDelayNs: x.forwardDelayNs,
            backwardDelayNs: x.backwardDelayNs,
            t2TsNs: x.t2TsNs,
            slave: x.slave.id,
          });
        },
        finish: () => {},
      };
    },
  };
  detectFile(`${samples.path}/${file}`, [def]);
  return rows;
}

describe.runIf(samples.available)('PtpExchangeTracker on 2024-10-08-sync_attack_1.pcap', () => {
  it('pairs 1,280 of the 1,281 Delay_Resp (the first precedes the first Announce, frame 4)', () => {
    const rows = exchanges('2024-10-08-sync_attack_1.pcap');
    expect(rows).toHaveLength(1280);
    // one-step Sync 5 (t1 in the Sync), Delay_Req 6, Delay_Resp 7 (tshark: types 0x0, 0x1, 0x9)
    expect(rows[0]!.frames).toEqual([5, 5, 6, 7]);
    expect(Math.abs(rows[0]!.offsetNs - 37e9)).toBeLessThan(1e4);
    for (const r of rows) {
      expect(r.forwardDelayNs).toBeCloseTo(r.offsetNs + r.meanPathDelayNs, 0);
      expect(r.backwardDelayNs).toBeCloseTo(r.meanPathDelayNs - r.offsetNs, 0);
    }
    expect(new Set(rows.map((r) => r.slave)).size).toBe(1);
    const worst = rows.reduce((a, b) => (Math.abs(b.offsetNs) > Math.abs(a.offsetNs) ? b : a));
    expect(worst.frames).toEqual([8233, 8233, 8234, 8235]);
  });
});
