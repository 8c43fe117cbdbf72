import { describe, expect, it } from 'vitest';
import { nrUlTbStatsBody, type NrUlTbStatsRaw } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const rec = (o: Partial<NrUlTbStatsRaw> = {}): NrUlTbStatsRaw => ({
  newTxBytes: 2 ** 33 + 7, // above 2^32: both halves read
  retxBytes: 900,
  newTxTbs: 120,
  retxTbs: 9,
  phrReports: 5,
  phrSum: 77,
  totalPower: 2300,
  ulschScheduled: 130,
  ulschNotScheduled: 11,
  pcmax: 230,
  ...o,
});

describe('0xB881 NR5G MAC UL TB Stats', () => {
  it.each([
    [0, 20 + 2 * 92],
    [1, 20 + 2 * 96],
  ] as const)(
    'v2.%i: per record the byte and TB counters, PHR count, UL-SCH scheduling, raw power words',
    (minor, len) => {
      const body = nrUlTbStatsBody(minor, [rec(), rec({ newTxTbs: 1, retxTbs: 0, pcmax: 200 })]);
      expect(body.length).toBe(len);
      const r = reg.decode(0xb881, body);
      expect(r).toMatchObject({ status: 'decoded', version: (2 << 16) | minor, name: 'NR5G MAC UL TB Stats' });
      expect(r.fields).toEqual({
        records: 2,
        new_tx_bytes: [2 ** 33 + 7, 2 ** 33 + 7],
        retx_bytes: [900, 900],
        new_tx_tbs: [120, 1],
        retx_tbs: [9, 0],
        phr_reports: [5, 5],
        phr_sum_raw: [77, 77],
        total_power_raw: [2300, 2300],
        ulsch_scheduled: [130, 130],
        ulsch_not_scheduled: [11, 11],
        pcmax_raw: [230, 200],
      });
    },
  );

  it('the counters sit where MobileInsight reads them: new-Tx TBs at 44 (2.0) / 48 (2.1), Pcmax at 88', () => {
    const a = nrUlTbStatsBody(0, [rec()]);
    const b = nrUlTbStatsBody(1, [rec()]);
    const at = (x: Uint8Array, o: number) => new DataView(x.buffer).getUint32(20 + o, true);
    expect([at(a, 44), at(b, 48), at(a, 72), at(b, 72)]).toEqual([120, 120, 5, 5]);
    expect([a[20 + 88], b[20 + 88]]).toEqual([230, 230]);
  });

  it.each([0, 1] as const)('v2.%i: a body cut at any offset is malformed or unknown', (minor) => {
    for (const records of [[rec()], []]) {
      const body = nrUlTbStatsBody(minor, records);
      for (let n = 0; n < body.length; n++)
        expect(reg.decode(0xb881, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
    }
  });

  it('an absurd record count is malformed; version 2.2 is not decoded', () => {
    const body = nrUlTbStatsBody(1, [rec()]);
    body[15] = 200;
    expect(reg.decode(0xb881, body)).toMatchObject({ status: 'malformed' });
    body[15] = 1;
    body[0] = 2;
    expect(reg.decode(0xb881, body)).toMatchObject({ status: 'unknown', version: (2 << 16) | 2 });
  });
});
