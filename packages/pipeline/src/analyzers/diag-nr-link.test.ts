import { DiagDecoderRegistry } from '@l1t/capture';
import { resolveUeThresholds, UeLinkDetection, type BeamEventSample, type RachAttemptSample } from '@l1t/detect';
import { describe, expect, it } from 'vitest';
import {
  nrBeamMgmtBody,
  nrRachAttemptBody,
  nrRachTriggerBody,
  type NrRachAttemptRaw,
} from '../../../capture/src/diag/build/nr-bodies.js';
import { NrLinkSamples } from './diag-nr-link.js';

const reg = new DiagDecoderRegistry();
const fields = (code: number, body: Uint8Array) => {
  const r = reg.decode(code, body);
  expect(r.status).toBe('decoded');
  return r.fields!;
};
const measured = { rat: 'nr' as const, pci: 501, arfcn: 632628 };
const attempt = (o: Partial<NrRachAttemptRaw>): NrRachAttemptRaw => ({
  attempt: 1,
  ssb: 6,
  result: 0,
  contention: 0,
  mask: 3,
  raId: 52,
  raRnti: 0x10f,
  tcRnti: 0x5a11,
  ta: 120,
  grantBytes: 0,
  cRnti: 0x5a11,
  ...o,
});

/** Decoded records in order through NrLinkSamples into the real UE link detectors. */
function run(records: [code: number, body: Uint8Array][]) {
  const link = new UeLinkDetection(resolveUeThresholds(undefined));
  const beam: BeamEventSample[] = [];
  const rach: RachAttemptSample[] = [];
  const nr = new NrLinkSamples({
    beam: (s) => {
      beam.push(s);
      link.onBeamEvent(s);
    },
    rach: (s) => {
      rach.push(s);
      link.onRachAttempt(s);
    },
    ta: (s) => link.onTimingAdvance(s),
  });
  records.forEach(([code, body], i) => {
    const ts = BigInt(i + 1) * 10_000_000n;
    const f = fields(code, body);
    if (code === 0xb975) nr.beamReport(f, ts, i + 1, measured);
    else if (code === 0xb889) nr.rachTrigger(f, ts, i + 1, measured);
    else nr.rachAttempt(f, ts, i + 1, measured);
  });
  return { beam, rach, anomalies: link.finish() };
}

const report = (ssbIndex: number): [number, Uint8Array] => [
  0xb975,
  nrBeamMgmtBody({ pci: 501, ssbIndex, rsrp: -90, rsrq: -11, beams: [] }),
];
const trigger = (reason: number): [number, Uint8Array] => [
  0xb889,
  nrRachTriggerBody({ cRnti: 0x5a11, reason, contention: 0 }),
];

describe('NR beam reports, RACH triggers and attempts → beam_failure and rach_failure', () => {
  it('a trigger with reason beam failure is beam failure detected; the successful attempt is its recovery', () => {
    const r = run([report(3), trigger(6), [0xb88a, nrRachAttemptBody('3.5', attempt({}))], report(6)]);
    expect(r.beam.map((s) => [s.event, s.ssbIndex, s.recordIndex])).toEqual([
      [undefined, 3, 1],
      ['bfd', 3, 2],
      ['bfr_success', 6, 3],
      [undefined, 6, 4],
    ]);
    expect(r.beam[1]!.cell).toEqual(measured);
    expect(r.anomalies).toHaveLength(1);
    expect(r.anomalies[0]).toMatchObject({
      type: 'beam_failure',
      severity: 'major',
      packet_index: 2,
      radio: { cell: '632628/501', pci: 501, arfcn: 632628, rnti: 0x5a11 },
      evidence: { outcome: 'recovered', ssb_index: 3 },
    });
  });

  it('a recovery whose random access is aborted is a critical beam failure (and a failed RACH attempt)', () => {
    const r = run([report(3), trigger(6), [0xb88a, nrRachAttemptBody('2.7', attempt({ result: 7, mask: 1 }))]]);
    expect(r.beam.map((s) => s.event)).toEqual([undefined, 'bfd', 'bfr_failure']);
    expect(r.anomalies.map((a) => [a.type, a.severity])).toEqual([
      ['beam_failure', 'critical'],
      ['rach_failure', 'major'],
    ]);
  });

  it('no trigger: beam reports and random access for other reasons give no beam_failure', () => {
    for (const reason of [0, 1, 2, 3]) {
      const r = run([report(3), trigger(reason), [0xb88a, nrRachAttemptBody('3.5', attempt({}))], report(5)]);
      expect(r.beam.map((s) => s.event)).toEqual([undefined, undefined]);
      expect(r.anomalies).toEqual([]);
    }
  });

  it('NR attempts: a Msg2 or Msg4 failure is a rach_failure; suspended / resumed are not outcomes', () => {
    const r = run([
      [0xb88a, nrRachAttemptBody('3.5', attempt({ result: 1, mask: 1 }))],
      [0xb88a, nrRachAttemptBody('2.7', attempt({ result: 8, mask: 0 }))],
      [0xb88a, nrRachAttemptBody('2.7', attempt({ result: 6, contention: 2, mask: 15 }))],
      [0xb88a, nrRachAttemptBody('3.5', attempt({ result: 0, attempt: 3 }))],
    ]);
    expect(r.rach.map((s) => [s.result, s.contention, s.preamble])).toEqual([
      ['no_rar', 'contention_free', 52],
      ['contention_lost', 'contention_based', 52],
      ['success', 'contention_free', 52],
    ]);
    expect(r.anomalies.map((a) => a.type)).toEqual(['rach_failure']);
    expect(r.anomalies[0]).toMatchObject({ packet_index: 1, evidence: { totals: { no_rar: 1, contention_lost: 1 } } });
  });

  it('no trigger: successful NR attempts give no finding', () => {
    const r = run([
      [0xb88a, nrRachAttemptBody('3.5', attempt({}))],
      [0xb88a, nrRachAttemptBody('2.7', attempt({}))],
    ]);
    expect(r.rach.map((s) => s.result)).toEqual(['success', 'success']);
    expect(r.anomalies).toEqual([]);
  });

  it('a trigger with reason radio link failure (only that reason) is an rlf sample on the beam report cell', () => {
    for (const reason of [0, 1, 2, 3, 6]) {
      const rlf: unknown[] = [];
      const nr = new NrLinkSamples({ beam: () => {}, rach: () => {}, ta: () => {}, rlf: (s) => rlf.push(s) });
      nr.beamReport(fields(...report(3)), 10n, 1, measured);
      nr.rachTrigger(fields(...trigger(reason)), 20n, 2, measured);
      expect([reason, rlf]).toEqual([
        reason,
        reason === 1 ? [{ tsNs: 20n, recordIndex: 2, cell: measured, rnti: 0x5a11 }] : [],
      ]);
    }
  });
});
