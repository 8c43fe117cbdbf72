import { describe, expect, it } from 'vitest';
import { nrRachAttemptBody, type NrRachAttemptRaw } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const ok: NrRachAttemptRaw = {
  attempt: 1,
  ssb: 4,
  result: 0,
  contention: 1,
  mask: 15,
  raId: 23,
  raRnti: 0x10b,
  tcRnti: 0x4601,
  ta: 37,
  grantBytes: 11,
  cRnti: 0x4601,
};

describe('0xB88A NR5G MAC RACH Attempt', () => {
  it.each([
    ['2.7', (2 << 16) | 7, 28 + 28 + 12 + 24 + 16],
    ['3.5', (3 << 16) | 5, 24 + 36 + 24 + 24 + 16],
  ] as const)('v%s: attempt, SSB, result, contention and Msg1–Msg4 values', (v, key, length) => {
    const body = nrRachAttemptBody(v, ok);
    expect(body.length).toBe(length);
    const r = reg.decode(0xb88a, body);
    expect(r).toMatchObject({ status: 'decoded', version: key, name: 'NR5G MAC RACH Attempt' });
    expect(r.fields).toEqual({
      attempt: 1,
      ssb_id: 4,
      csi_rs_id: 0xff,
      carrier_id: 0,
      rach_result: 'success',
      contention: 'dl_mce',
      messages: 15,
      ra_id: 23,
      ra_rnti: 0x10b,
      tc_rnti: 0x4601,
      timing_advance: 37,
      msg3_grant_bytes: 11,
      c_rnti: 0x4601,
    });
  });

  it('the fixed fields sit where SCAT reads them (v2.7: result at 21, mask at 23; v3.5: at 14 and 16)', () => {
    const a = nrRachAttemptBody('2.7', { ...ok, result: 5 });
    expect([a[16], a[18], a[21], a[23]]).toEqual([1, 4, 5, 15]);
    const b = nrRachAttemptBody('3.5', { ...ok, result: 5 });
    expect([b[8], b[10], b[14], b[16]]).toEqual([1, 4, 5, 15]);
  });

  it.each(['2.7', '3.5'] as const)('v%s: a Msg2 failure logs Msg1 only: no RAR values', (v) => {
    const r = reg.decode(0xb88a, nrRachAttemptBody(v, { ...ok, attempt: 2, result: 1, mask: 1 }));
    expect(r.fields).toMatchObject({
      attempt: 2,
      rach_result: 'msg2_ra_timer_expired',
      messages: 1,
      ra_id: 23,
      tc_rnti: null,
      timing_advance: null,
      msg3_grant_bytes: null,
      c_rnti: null,
    });
  });

  it.each(['2.7', '3.5'] as const)('v%s: a body cut at any offset is malformed or unknown', (v) => {
    for (const mask of [15, 0]) {
      const body = nrRachAttemptBody(v, { ...ok, mask });
      for (let n = 0; n < body.length; n++)
        expect(reg.decode(0xb88a, body.subarray(0, n)).status, `mask ${mask} cut at ${n}`).toBe(
          n < 4 ? 'unknown' : 'malformed',
        );
    }
  });

  it('results past the known list keep their number; version 2.8 is not decoded', () => {
    expect(reg.decode(0xb88a, nrRachAttemptBody('2.7', { ...ok, result: 12, mask: 0 })).fields).toMatchObject({
      rach_result: 'result_12',
      ra_id: null,
    });
    const body = nrRachAttemptBody('2.7', ok);
    body[0] = 8;
    expect(reg.decode(0xb88a, body)).toMatchObject({ status: 'unknown', version: (2 << 16) | 8 });
  });
});
