import { describe, expect, it } from 'vitest';
import { pdschStatBody, type PdschTbRaw } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const tb = (o: Partial<PdschTbRaw>): PdschTbRaw => ({
  harqId: 0,
  rv: 0,
  ndi: 0,
  crcPass: true,
  rntiType: 0,
  recombined: false,
  tbSize: 1000,
  mcs: 10,
  numRb: 25,
  ...o,
});

describe('0xB173 LTE PDSCH Stat Indication', () => {
  it.each([5, 16] as const)('v%i: per TB HARQ id, RV, NDI, CRC, RNTI type, recombining, TB size, MCS, RBs', (v) => {
    const body = pdschStatBody(v, [
      {
        sfn: 100,
        subframe: 3,
        layers: 2,
        cellIndex: 0,
        tbs: [tb({ harqId: 5, ndi: 1 }), tb({ harqId: 5, crcPass: false, mcs: 27 })],
      },
      {
        sfn: 101,
        subframe: 1,
        layers: 1,
        cellIndex: 1,
        tbs: [tb({ harqId: 6, rv: 2, recombined: true, rntiType: 5 })],
      },
    ]);
    expect(body.length).toBe(4 + 2 * 20);
    const r = reg.decode(0xb173, body);
    expect(r).toMatchObject({ status: 'decoded', version: v, name: 'LTE PDSCH Stat Indication' });
    expect(r.fields).toEqual({
      records: 2,
      sfn: [100, 100, 101],
      subframe: [3, 3, 1],
      cell_index: [0, 0, 1],
      num_layers: [2, 2, 1],
      harq_id: [5, 5, 6],
      rv: [0, 0, 2],
      ndi: [1, 0, 0],
      crc_pass: [true, false, true],
      rnti_type: ['C', 'C', 'SI'],
      tb_index: [0, 1, 0],
      discarded_retx: [false, false, false],
      did_recombining: [false, false, true],
      tb_size: [1000, 1000, 1000],
      mcs: [10, 27, 10],
      num_rb: [25, 25, 25],
    });
  });

  it('v24: 8-byte TB slots with the modulation order', () => {
    const body = pdschStatBody(24, [{ sfn: 7, subframe: 7, layers: 1, cellIndex: 0, tbs: [tb({ mcs: 20 })] }]);
    expect(body.length).toBe(4 + 24);
    expect(reg.decode(0xb173, body).fields).toMatchObject({ mcs: [20], modulation_bits: [6], crc_pass: [true] });
  });

  it('a length that disagrees, a TB count outside 1–2 or any cut is malformed, never a crash', () => {
    const body = pdschStatBody(16, [{ sfn: 1, subframe: 1, layers: 1, cellIndex: 0, tbs: [tb({})] }]);
    for (let n = 0; n < body.length; n++) expect(reg.decode(0xb173, body.subarray(0, n)).status).not.toBe('decoded');
    body[4 + 4] = 3;
    expect(reg.decode(0xb173, body)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/3 transport blocks/),
    });
    expect(reg.decode(0xb173, pdschStatBody(16, []).fill(17, 0, 1))).toMatchObject({ status: 'unknown', version: 17 });
  });
});
