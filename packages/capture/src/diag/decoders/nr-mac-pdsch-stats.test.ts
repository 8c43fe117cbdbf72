import { describe, expect, it } from 'vitest';
import { nrPdschStatsBody, type NrPdschStatsRaw } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const rec = (carrier: number, pass: number, fail: number): NrPdschStatsRaw => ({
  carrier,
  slots: 4000,
  decodes: pass + fail,
  pass,
  fail,
  retx: 7,
  ackAsNack: 1,
  harqFailures: 2,
  passBytes: 2 ** 33 + 5, // above 2^32: both halves read
  failBytes: 900,
});

describe('0xB888 NR5G MAC PDSCH Stats', () => {
  it.each([
    [2, 0],
    [2, 2],
    [3, 0],
    [3, 2],
  ] as const)(
    'v%i.%i: per carrier the cumulative decodes, CRC pass/fail, retransmissions, HARQ failures, bytes',
    (major, minor) => {
      const r = reg.decode(0xb888, nrPdschStatsBody(major, minor, [rec(0, 990, 10), rec(1, 50, 0)]));
      expect(r).toMatchObject({ status: 'decoded', version: (major << 16) | minor });
      expect(r.fields).toEqual({
        records: 2,
        carrier_id: [0, 1],
        slots_elapsed: [4000, 4000],
        pdsch_decodes: [1000, 50],
        crc_pass_tbs: [990, 50],
        crc_fail_tbs: [10, 0],
        retransmissions: [7, 7],
        ack_as_nack: [1, 1],
        harq_failures: [2, 2],
        crc_pass_bytes: [2 ** 33 + 5, 2 ** 33 + 5],
        crc_fail_bytes: [900, 900],
      });
    },
  );

  it('a body too short for its records is malformed; version 2.6 is not decoded', () => {
    const body = nrPdschStatsBody(2, 2, [rec(0, 1, 1)]);
    expect(reg.decode(0xb888, body.subarray(0, body.length - 1))).toMatchObject({ status: 'malformed' });
    body[0] = 6;
    expect(reg.decode(0xb888, body)).toMatchObject({ status: 'unknown', version: (2 << 16) | 6 });
  });
});
