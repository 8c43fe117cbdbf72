import { describe, expect, it } from 'vitest';
import { puschTxReportBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB139 LTE LL1 PUSCH Tx Report v102', () => {
  it('decodes each record: SFN/subframe, re-tx index, RV, RBs, TB size, coding rate, modulation, Tx power', () => {
    const body = puschTxReportBody(30, [
      {
        sfn: 347,
        subframe: 5,
        retx: 0,
        rv: 0,
        startRb: 94,
        numRb: 2,
        tbBytes: 9,
        rate1024: 170,
        mod: 2,
        txPowerDbm: 23,
      },
      { sfn: 347, subframe: 13 & 0xf, retx: 1, rv: 2, startRb: 10, numRb: 3, tbBytes: 40, rate1024: 512, mod: 1 },
    ]);
    expect(body.length).toBe(8 + 2 * 68);
    const r = reg.decode(0xb139, body);
    expect(r).toMatchObject({ status: 'decoded', version: 102 });
    expect(r.fields).toEqual({
      pci: 30,
      records: 2,
      dispatch_sfn: 347,
      sfn: [347, 347],
      subframe: [5, 13],
      retx_index: [0, 1],
      rv: [0, 2],
      start_rb: [94, 10],
      num_rb: [2, 3],
      tb_size_bytes: [9, 40],
      coding_rate: [170 / 1024, 0.5],
      modulation_code: [2, 1],
      modulation: ['16QAM', 'QPSK'],
      pusch_tx_power_dbm: [23, 16],
    });
  });

  it('refuses a body whose length disagrees with its record count', () => {
    const body = puschTxReportBody(1, [
      { sfn: 1, subframe: 1, retx: 0, rv: 0, startRb: 0, numRb: 1, tbBytes: 1, rate1024: 1, mod: 1 },
    ]);
    expect(reg.decode(0xb139, body.subarray(0, 70))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/1 records of 68 bytes/),
    });
  });

  it('every cut of a two-record body is malformed or unknown, never a throw', () => {
    const rec = { sfn: 9, subframe: 1, retx: 0, rv: 0, startRb: 0, numRb: 5, tbBytes: 77, rate1024: 300, mod: 3 };
    const body = puschTxReportBody(7, [rec, { ...rec, txPowerDbm: 127 }]);
    expect(reg.decode(0xb139, body).fields).toMatchObject({
      modulation: ['64QAM', '64QAM'],
      pusch_tx_power_dbm: [16, 127],
    });
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb139, body.subarray(0, n)).status, `cut at ${n}`).toBe(n === 0 ? 'unknown' : 'malformed');
  });
});
