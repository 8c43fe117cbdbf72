import { DiagDecoderRegistry } from '@l1t/capture';
import type { PdschTbSample, RachAttemptSample, TimingAdvanceSample } from '@l1t/detect';
import { describe, expect, it } from 'vitest';
import {
  macTbBody,
  pdschStatBody,
  rachAttemptBody,
  type PdschTbRaw,
} from '../../../capture/src/diag/test-support/diag-fixtures.js';
import { pdschTbSamples, rachSamples, taCommandSamples, type SampleBase } from './diag-link-samples.js';

const reg = new DiagDecoderRegistry();
const base: SampleBase = { tsNs: 5n, recordIndex: 9, cell: { rat: 'lte', pci: 1, earfcn: 100 } };
const fields = (code: number, body: Uint8Array) => {
  const r = reg.decode(code, body);
  expect(r.status).toBe('decoded');
  return r.fields!;
};
const tb = (o: Partial<PdschTbRaw>): PdschTbRaw => ({
  harqId: 1,
  rv: 0,
  ndi: 0,
  crcPass: true,
  rntiType: 0,
  recombined: false,
  tbSize: 100,
  mcs: 5,
  numRb: 10,
  ...o,
});

describe('decoded DIAG records → UE link detector samples', () => {
  it("0xB173: the UE's own blocks only; a recombined block or RV ≠ 0 is a retransmission", () => {
    const out: PdschTbSample[] = [];
    const body = pdschStatBody(16, [
      { sfn: 1, subframe: 1, layers: 1, cellIndex: 0, tbs: [tb({})] },
      { sfn: 1, subframe: 2, layers: 1, cellIndex: 0, tbs: [tb({ rv: 2, crcPass: false })] },
      { sfn: 1, subframe: 3, layers: 1, cellIndex: 0, tbs: [tb({ recombined: true })] },
      { sfn: 1, subframe: 5, layers: 1, cellIndex: 0, tbs: [tb({ rntiType: 5, crcPass: false })] }, // SI-RNTI
    ]);
    pdschTbSamples(fields(0xb173, body), base, (s) => out.push(s));
    expect(out.map((s) => [s.isRetx, s.crcPass, s.rv])).toEqual([
      [false, true, 0],
      [true, false, 2],
      [true, true, 0],
    ]);
    expect(out[0]).toMatchObject({ tsNs: 5n, recordIndex: 9, cell: base.cell, harqId: 1, mcs: 5 });
  });

  it('0xB062: results mapped (Msg2 → no_rar, Msg4 → contention_lost, aborted → failure), the RAR TA as absolute', () => {
    const run = (result: number, mask: number) => {
      const attempts: RachAttemptSample[] = [];
      const tas: TimingAdvanceSample[] = [];
      const a = { attempt: 2, result, contention: 1, mask, preamble: 7, ta: 20, tcRnti: 1, grant: 7, harqId: 0 };
      rachSamples(
        fields(0xb062, rachAttemptBody(2, a)),
        base,
        (s) => attempts.push(s),
        (s) => tas.push(s),
      );
      return { attempt: attempts[0]!, tas };
    };
    expect(run(0, 7).attempt).toMatchObject({
      result: 'success',
      attempt: 2,
      contention: 'contention_based',
      preamble: 7,
      rarTa: 20,
    });
    expect(run(0, 7).tas).toEqual([{ ...base, kind: 'absolute', value: 20 }]);
    expect(run(1, 1)).toMatchObject({ attempt: { result: 'no_rar' }, tas: [] });
    expect(run(3, 7).attempt.result).toBe('contention_lost');
    expect(run(4, 7).attempt.result).toBe('failure');
  });

  it('0xB063: one relative TA update per TA command (T_A − 31)', () => {
    const out: TimingAdvanceSample[] = [];
    const body = macTbBody(true, 2, [
      { sfn: 1, subframe: 0, rntiType: 0, harqId: 0, bytes: 20, padding: 0, header: [0x3d, 0x03, 40] },
      { sfn: 1, subframe: 1, rntiType: 0, harqId: 1, bytes: 20, padding: 0, header: [0x23, 0x02, 0x1f] },
    ]);
    taCommandSamples(fields(0xb063, body), base, (s) => out.push(s));
    expect(out).toEqual([{ ...base, kind: 'relative', value: 9 }]);
  });
});
