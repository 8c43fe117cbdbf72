import { describe, expect, it } from 'vitest';
import { pucchCsfBody, puschCsfBody, type CsfRaw } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const csf: CsfRaw = { sfn: 700, subframe: 7, mode: 5, ri: 1, cqi0: 11, cqi1: 9, pmi: 3, carrier: 1 };

describe('0xB14D LTE PHY PUCCH CSF', () => {
  it.each([43, 101, 102] as const)('v%i: SFN/subframe, reporting mode, rank, CQI per codeword, PMI, carrier', (v) => {
    const body = pucchCsfBody(v, csf);
    expect(body.length).toBe(12);
    expect(reg.decode(0xb14d, body)).toMatchObject({ status: 'decoded', version: v });
    expect(reg.decode(0xb14d, body).fields).toEqual({
      sfn: 700,
      subframe: 7,
      reporting_mode: 5,
      report_type: 2,
      rank: 2,
      cqi_cw0: 11,
      cqi_cw1: 9,
      wideband_pmi: 3,
      carrier_index: 1,
      csf_tx_mode: 1,
    });
  });
  it('a short body is malformed', () => {
    expect(reg.decode(0xb14d, pucchCsfBody(43, csf).subarray(0, 11))).toMatchObject({ status: 'malformed' });
  });
});

describe('0xB14E LTE PHY PUSCH CSF', () => {
  it.each([22, 42] as const)(
    'v%i: SFN/subframe, reporting mode, rank, wideband CQI per codeword, PMI, carrier',
    (v) => {
      const body = puschCsfBody(v, csf);
      expect(body.length).toBe(36);
      expect(reg.decode(0xb14e, body).fields).toEqual({
        sfn: 700,
        subframe: 7,
        reporting_mode: 5,
        rank: 2,
        subbands: 13,
        cqi_cw0: 11,
        cqi_cw1: 9,
        wideband_pmi: 3,
        carrier_index: 1,
        csf_tx_mode: 1,
      });
    },
  );
  it('a short body is malformed; another version is not decoded', () => {
    expect(reg.decode(0xb14e, puschCsfBody(42, csf).subarray(0, 35))).toMatchObject({ status: 'malformed' });
    expect(reg.decode(0xb14e, Uint8Array.of(99, 0, 0))).toMatchObject({ status: 'unknown', version: 99 });
  });
});
