import { describe, expect, it } from 'vitest';
import {
  UeRrcReestablishmentDetection,
  type RlfRachTriggerSample,
  type RrcMessageSample,
} from './rrc-reestablishment-detection.js';

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
  it('needs a message only when it could change a finding (the DIAG analyzer skips the rest)', () => {
    const d = new UeRrcReestablishmentDetection();
    expect(d.needsMessage('DL-DCCH', 'rrcConnectionReconfiguration')).toBe(false);
    expect(d.needsMessage('UL-CCCH', 'rrcConnectionReestablishmentRequest')).toBe(true);
    expect(d.needsMessage('UL-CCCH', 'rrcReestablishmentRequest')).toBe(true);
    d.onMessage(request(100, 2));
    // awaiting the answer: every message counts (the answer, or the 5 s without one)
    expect(d.needsMessage('DL-DCCH', 'rrcConnectionReconfiguration')).toBe(true);
    d.onMessage(msg(140, 3, 'DL-CCCH', 'rrcConnectionReestablishment'));
    expect(d.needsMessage('DL-DCCH', 'rrcConnectionReconfiguration')).toBe(false);
    // an NR MAC RLF trigger awaits its request for 2 s
    d.onRlfRachTrigger({ tsNs: T0 + 200n * MS, recordIndex: 4, cell: undefined });
    expect(d.needsMessage('DL-DCCH', 'rrcReconfiguration')).toBe(true);
  });

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

  it('gives the same findings when the caller refills one message object (the DIAG analyzer does)', () => {
    const seq = [
      msg(0, 1, 'DL-DCCH', 'rrcConnectionReconfiguration'),
      request(100, 2),
      request(100, 3), // a duplicate: compared with the kept request
      msg(140, 4, 'DL-CCCH', 'rrcConnectionReestablishment'), // the answer, kept in the finding
      msg(200, 5, 'UL-DCCH', 'measurementReport'),
      request(10_000, 6, 'handoverFailure'),
      msg(12_000, 7, 'DL-DCCH', 'rrcConnectionRelease'),
      msg(20_000, 8, 'UL-CCCH', 'rrcConnectionRequest'), // 10 s later: the second request closes unanswered
    ];
    const fresh = new UeRrcReestablishmentDetection();
    for (const m of seq) fresh.onMessage({ ...m });
    const reused = new UeRrcReestablishmentDetection();
    const one: RrcMessageSample = { ...seq[0]! };
    for (const m of seq)
      reused.onMessage(
        Object.assign(one, { reestablishmentCause: undefined, cRnti: undefined, failedPci: undefined }, m),
      );
    const found = fresh.finish();
    expect(found.map((a) => a.packet_index)).toEqual([2, 6]);
    expect(reused.finish()).toEqual(found);
  });

  it('reports nothing for ordinary connection set-up and release', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(msg(0, 1, 'UL-CCCH', 'rrcConnectionRequest'));
    d.onMessage(msg(20, 2, 'DL-CCCH', 'rrcConnectionSetup'));
    d.onMessage(msg(900, 3, 'DL-DCCH', 'rrcConnectionRelease'));
    expect(d.finish()).toEqual([]);
  });
});

describe('radio_link_failure from NR RRC re-establishment (0xB821)', () => {
  const nr = (ms: number, i: number, channel: string, message: string): RrcMessageSample => ({
    tsNs: T0 + BigInt(ms) * MS,
    recordIndex: i,
    rat: 'nr',
    pci: 501,
    arfcn: 632628,
    channel,
    message,
  });

  it.each([
    ['DL-DCCH', 'rrcReestablishment', 're-established (RRCReestablishment)'],
    ['DL-CCCH', 'rrcSetup', 'not re-established: the network answered with RRCSetup (a new connection)'],
    ['DL-CCCH', 'rrcReject', 'rejected (RRCReject): connection dropped'],
  ])('an RRCReestablishmentRequest answered by %s %s is one finding on the NR cell', (channel, message, outcome) => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(nr(0, 1, 'DL-DCCH', 'rrcReconfiguration'));
    d.onMessage(nr(100, 2, 'UL-CCCH', 'rrcReestablishmentRequest'));
    d.onMessage(nr(130, 3, channel, message));
    const found = d.finish();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'radio_link_failure',
      severity: 'critical',
      confidence: 0.8,
      packet_index: 2,
      radio: { cell: '632628/501', pci: 501, arfcn: 632628 },
      evidence: { reestablishment_cause: 'unknown', outcome, answer_after_ms: 30 },
    });
    expect(found[0]!.radio).not.toHaveProperty('earfcn');
    expect(found[0]!.description).toMatch(/^NR RRC re-establishment after cause unknown on PCI 501/);
  });

  it('no trigger: NR setup, reconfiguration and an LTE answer to an NR request end nothing / find nothing', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(nr(0, 1, 'UL-CCCH', 'rrcSetupRequest'));
    d.onMessage(nr(20, 2, 'DL-CCCH', 'rrcSetup'));
    d.onMessage(nr(40, 3, 'DL-DCCH', 'rrcReestablishment')); // an answer without a request
    expect(d.finish()).toEqual([]);
    const e = new UeRrcReestablishmentDetection();
    e.onMessage(nr(0, 1, 'UL-CCCH', 'rrcReestablishmentRequest'));
    e.onMessage(msg(10, 2, 'DL-CCCH', 'rrcConnectionReestablishment')); // LTE's answer does not close an NR request
    expect(e.finish().map((a) => a.evidence.outcome)).toEqual(['no answer before the end of the log']);
  });
});

describe('NR radio_link_failure from the MAC RACH trigger (0xB889 reason radio link failure)', () => {
  const NR_CELL = { rat: 'nr' as const, pci: 501, arfcn: 632628 };
  const mac = (ms: number, i: number, cell: RlfRachTriggerSample['cell'] = NR_CELL): RlfRachTriggerSample => ({
    tsNs: T0 + BigInt(ms) * MS,
    recordIndex: i,
    cell,
    rnti: 0x5a11,
  });
  const nr = (ms: number, i: number, channel: string, message: string, pci = 501): RrcMessageSample => ({
    tsNs: T0 + BigInt(ms) * MS,
    recordIndex: i,
    rat: 'nr',
    pci,
    arfcn: 632628,
    channel,
    message,
  });

  it('a trigger and the re-establishment request it carries on the same cell are one finding, naming RLF', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onRlfRachTrigger(mac(0, 1));
    d.onMessage(nr(40, 2, 'UL-CCCH', 'rrcReestablishmentRequest'));
    d.onMessage(nr(70, 3, 'DL-DCCH', 'rrcReestablishment'));
    const found = d.finish();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      packet_index: 2,
      confidence: 0.9,
      radio: { cell: '632628/501', pci: 501 },
      evidence: { outcome: 're-established (RRCReestablishment)', mac_rlf_trigger_records: [1] },
    });
    expect(found[0]!.description).toMatch(/after radio link failure \(0xB889 MAC RACH trigger\) on PCI 501/);
  });

  it('a trigger logged after its request (pending or answered) joins that finding', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onMessage(nr(0, 1, 'UL-CCCH', 'rrcReestablishmentRequest'));
    d.onRlfRachTrigger(mac(5, 2));
    d.onMessage(nr(30, 3, 'DL-DCCH', 'rrcReestablishment'));
    d.onRlfRachTrigger(mac(60, 4)); // after the answer, still within 2 s of the request
    const found = d.finish();
    expect(found.map((a) => [a.packet_index, a.confidence, a.evidence.mac_rlf_trigger_records])).toEqual([
      [1, 0.9, [2, 4]],
    ]);
  });

  it('a trigger with no request within 2 s is a finding of its own; repeated triggers of one burst count once', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onRlfRachTrigger(mac(0, 1));
    d.onRlfRachTrigger(mac(500, 2)); // the MAC triggered again: the same failure
    d.onMessage(nr(2600, 3, 'DL-DCCH', 'rrcReconfiguration')); // time moves on past 2 s
    const found = d.finish();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'radio_link_failure',
      severity: 'critical',
      confidence: 0.7,
      packet_index: 1,
      packet_count: 2,
      radio: { cell: '632628/501', pci: 501, arfcn: 632628, rnti: 0x5a11 },
      evidence: { rach_reason: 'radio_link_failure', reestablishment_request: 'not in the log within 2 s' },
    });
  });

  it('no merge across cells or beyond 2 s: a trigger on another PCI, or 3 s before the request, is its own finding', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onRlfRachTrigger(mac(0, 1, { rat: 'nr', pci: 77, arfcn: 632628 }));
    d.onMessage(nr(40, 2, 'UL-CCCH', 'rrcReestablishmentRequest'));
    d.onMessage(nr(70, 3, 'DL-DCCH', 'rrcReestablishment'));
    expect(d.finish().map((a) => [a.packet_index, a.radio?.pci, a.evidence.mac_rlf_trigger_records])).toEqual([
      [2, 501, undefined],
      [1, 77, undefined],
    ]);
    const e = new UeRrcReestablishmentDetection();
    e.onRlfRachTrigger(mac(0, 1));
    e.onMessage(nr(3000, 2, 'UL-CCCH', 'rrcReestablishmentRequest'));
    expect(e.finish().map((a) => a.packet_index)).toEqual([1, 2]);
  });

  it('an LTE re-establishment request does not absorb an NR MAC trigger', () => {
    const d = new UeRrcReestablishmentDetection();
    d.onRlfRachTrigger(mac(0, 1, undefined)); // cell unknown
    d.onMessage(request(20, 2));
    expect(d.finish().map((a) => [a.packet_index, a.radio?.earfcn])).toEqual([
      [2, 1825],
      [1, undefined],
    ]);
  });
});
