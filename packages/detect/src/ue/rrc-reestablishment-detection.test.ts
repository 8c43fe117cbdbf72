import { describe, expect, it } from 'vitest';
import { UeRrcReestablishmentDetection, type RrcMessageSample } from './rrc-reestablishment-detection.js';

const T0 = 1_500_000_000_000_000_000n;
const MS = 1_000_000n;
const msg = (
  ms: number,
  i: number,
  channel: string,
  message: string,
  extra: Partial<RrcMessageSample> = {},
): RrcMessageSample => ({
  tsNs: T0 + BigInt(ms) * MS,
  recordIndex: i,
  pci: 193,
  earfcn: 1825,
  channel,
  message,
  ...extra,
});
const request = (ms: number, i: number, cause = 'otherFailure'): RrcMessageSample =>
  msg(ms, i, 'UL-CCCH', 'rrcConnectionReestablishmentRequest', {
    reestablishmentCause: cause,
    cRnti: 28459,
    failedPci: 193,
  });

describe('radio_link_failure from RRC re-establishment', () => {
  it('reports a re-establishment after RLF with the network answer as outcome, keyed by cell and C-RNTI', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(msg(0, 1, 'DL-DCCH', 'rrcConnectionReconfiguration'));
    d.onMessage(request(100, 2));
    d.onMessage(msg(140, 3, 'DL-CCCH', 'rrcConnectionReestablishment'));
    const [a, ...rest] = d.finish();
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      type: 'radio_link_failure',
      source: 'ue',
      severity: 'critical',
      packet_index: 2,
      packet_count: 2,
      radio: { cell: '1825/193', pci: 193, earfcn: 1825, rnti: 28459 },
      evidence: {
        reestablishment_cause: 'otherFailure',
        outcome: 're-established (RRCConnectionReestablishment)',
        answer_after_ms: 40,
      },
    });
    expect(a!.description).toBe(
      'RRC re-establishment after radio link failure (or integrity failure) on PCI 193 (C-RNTI 28459): re-established (RRCConnectionReestablishment)',
    );
  });

  it('says when the re-establishment was rejected or never answered, and counts a duplicated request once', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(request(0, 1, 'handoverFailure'));
    d.onMessage(request(0, 2, 'handoverFailure')); // the same request logged twice
    d.onMessage(msg(30, 3, 'DL-CCCH', 'rrcConnectionReestablishmentReject'));
    d.onMessage(request(10_000, 4));
    d.onMessage(msg(20_000, 5, 'DL-CCCH', 'rrcConnectionSetup'));
    const found = d.finish();
    expect(found.map((a) => [a.packet_index, a.packet_count, a.evidence.outcome])).toEqual([
      [1, 3, 'rejected (RRCConnectionReestablishmentReject): connection dropped'],
      [4, 1, 'no answer in the log within 5 s'],
    ]);
  });

  it('reports nothing for ordinary connection set-up and release', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(msg(0, 1, 'UL-CCCH', 'rrcConnectionRequest'));
    d.onMessage(msg(20, 2, 'DL-CCCH', 'rrcConnectionSetup'));
    d.onMessage(msg(900, 3, 'DL-DCCH', 'rrcConnectionRelease'));
    expect(d.finish()).toEqual([]);
  });
});
