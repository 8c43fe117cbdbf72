import { describe, expect, it } from 'vitest';
import type { Profile } from '@l1t/contracts';
import { buildPcap } from '../../../capture/src/test-support/pcap-builder.js';
import { detectCapture } from './detect-capture.js';
import type { DetectorDefinition } from './detector.js';
import { createFronthaulDetection, runDetectors } from './fronthaul-detection.js';
import { oranPacket, seqPackets } from './test-support/packets.js';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../../capture/src/synth/index.js';

const counting: DetectorDefinition = {
  name: 'counting',
  types: ['seq_gap'],
  thresholds: { seq_gap: [{ name: 'every', default: 2, description: 'report every n-th packet' }] },
  reference: '—',
  create: ({ thresholds }) => {
    let n = 0;
    const every = thresholds.seq_gap!.every as number;
    return {
      onPacket(p, ctx) {
        if (++n % every === 0) {
          ctx.report({
            type: 'seq_gap',
            source: 'fronthaul',
            severity: 'critical',
            confidence: 1,
            tsNs: p.tsNs,
            packetIndex: p.index,
            packetCount: 1,
            aggregationKey: `k${n}`,
            description: `packet ${n}`,
            evidence: {},
          });
        }
      },
      finish(ctx) {
        ctx.count?.('u|dl|eaxc=0', 'SEEN', n);
        ctx.metric({
          timestamp: '2026-11-26T00:00:00.000000000Z',
          source: 'fronthaul',
          name: 'seen',
          labels: {},
          value: n,
        });
      },
    };
  },
};

const throwing: DetectorDefinition = {
  name: 'broken',
  types: ['seq_duplicate'],
  thresholds: {},
  reference: '—',
  create: () => ({
    onPacket(p) {
      if (p.index === 3) throw new Error('boom');
    },
    finish() {},
  }),
};

describe('createFronthaulDetection', () => {
  it('runs every definition with resolved thresholds and gathers anomalies, metrics and counters', () => {
    const r = runDetectors(seqPackets([1, 2, 3, 4, 5, 6]), {
      profile: { thresholds: { seq_gap: { every: 3 } } },
      definitions: [counting],
    });
    expect(r.anomalies.map((a) => a.packet_index)).toEqual([3, 6]);
    expect(r.counters).toEqual({ 'u|dl|eaxc=0': { SEEN: 6 } });
    expect(r.metrics).toEqual([expect.objectContaining({ name: 'seen', value: 6 })]);
    expect(r.warnings).toBeUndefined();
  });

  it('switches off a detector that throws, names it in warnings and keeps the others', () => {
    const r = runDetectors(seqPackets([1, 2, 3, 4]), { profile: undefined, definitions: [throwing, counting] });
    expect(r.warnings).toEqual(['broken: boom']);
    expect(r.anomalies).toHaveLength(2);
  });

  it('throws on unknown thresholds before any packet, and on a second finish', () => {
    expect(() =>
      createFronthaulDetection({ profile: { thresholds: { seq_gap: { evry: 1 } } }, definitions: [counting] }),
    ).toThrow('thresholds.seq_gap.evry: unknown option (known: every)');
    const d = createFronthaulDetection({ profile: undefined, definitions: [counting] });
    d.onPacket(oranPacket({ index: 1, seq: 1 }));
    d.finish();
    expect(() => d.finish()).toThrow('called twice');
  });

  it('uses the registered detectors by default', () => {
    const d = createFronthaulDetection({ profile: undefined });
    expect(d.thresholds.seq_reorder).toEqual({ horizon: 128 });
  });

  it('draws no PRB heatmap with heatmaps false, and the same findings, flows and timing views', () => {
    const bytes = concatBytes([
      ...synthFronthaul(
        { durationS: 0.06, nrb: 51, eaxc: { dl: [0, 1], ul: [0] } },
        parseFaultSpec('seq_gap@0.02;iq_zero@0.03;rx_window_late@0.04'),
        3,
      ),
    ]);
    const profile: Profile = { name: 't', scs_khz: 30, nrb: 51, timing: { mode: 'relative' } };
    const decode = { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', prbIq: false } as const;
    const drawn = detectCapture(bytes, 'pcap', { profile, decode: { ...decode, prbSums: true } });
    const plain = detectCapture(bytes, 'pcap', { profile, heatmaps: false, decode });
    expect(drawn.views!.heatmaps.length).toBeGreaterThan(0);
    expect(plain.views!.heatmaps).toEqual([]);
    expect({ ...plain.views!, heatmaps: [] }).toEqual({ ...drawn.views!, heatmaps: [] });
    expect(plain.anomalies).toEqual(drawn.anomalies);
    expect(plain.metrics).toEqual(drawn.metrics);
    expect(drawn.anomalies.length).toBeGreaterThan(0);
  });
});

describe('detectCapture', () => {
  it('decodes a capture in memory and runs the detection', () => {
    // Ethernet + eCPRI (0xAEFE) U-plane frames with ecpriSeqid 0, 1, 3 on eAxC 0 DL.
    const frame = (seq: number): Uint8Array => {
      const f = new Uint8Array(64);
      f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0xae, 0xfe], 0);
      f.set([0x10, 0x00, 0x00, 46], 14); // eCPRI rev 1, type 0, payload 46
      f.set([0x00, 0x00, seq, 0x80], 18); // eAxC 0, SEQ_ID, E=1
      f.set([0x90, 0x00, 0x00, 0x00], 22); // DL, payloadVersion 1, frame 0, subframe/slot/symbol 0
      return f;
    };
    const bytes = buildPcap({
      packets: [0, 1, 3].map((s, i) => ({ tsSec: 1_790_000_000, tsFrac: i * 1000, data: frame(s) })),
    });
    const r = detectCapture(bytes, 'pcap', { profile: undefined });
    expect(r.anomalies.filter((a) => a.type === 'seq_gap').map((a) => [a.packet_index, a.evidence.missing])).toEqual([
      [3, 1],
    ]);
  });
});
