import { describe, expect, it } from 'vitest';
import { nrRachTriggerBody } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB889 NR5G MAC RACH Trigger', () => {
  it('v2.1: C-RNTI, reason, carrier and contention of the random access the MAC started', () => {
    const body = nrRachTriggerBody({ cRnti: 0x4601, reason: 6, carrier: 1, contention: 0 });
    expect(body.length).toBe(30);
    expect([body[16], body[17], body[18], body[19], body[21]]).toEqual([0x01, 0x46, 6, 1, 0]);
    const r = reg.decode(0xb889, body);
    expect(r).toMatchObject({ status: 'decoded', version: (2 << 16) | 1, name: 'NR5G MAC RACH Trigger' });
    expect(r.fields).toEqual({
      subscription_id: 0,
      records: 1,
      c_rnti: 0x4601,
      rach_reason: 'beam_failure',
      carrier_id: 1,
      ul_bwp: 0,
      rach_contention: 'contention_free',
      ra_id: 0,
      msg3_size: 7,
    });
  });

  it.each([
    [0, 'connection_request'],
    [1, 'radio_link_failure'],
    [2, 'handover'],
    [3, 'ul_data_arrival'],
    [4, 'reason_4'],
  ])('reason %i reads %s', (reason, name) => {
    expect(reg.decode(0xb889, nrRachTriggerBody({ cRnti: 1, reason, contention: 2 })).fields).toMatchObject({
      rach_reason: name,
      rach_contention: 'ul_grant',
    });
  });

  it('a body cut at any offset is malformed or unknown; version 2.2 is not decoded', () => {
    const body = nrRachTriggerBody({ cRnti: 0x4601, reason: 1, contention: 1 });
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb889, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
    body[0] = 2;
    expect(reg.decode(0xb889, body)).toMatchObject({ status: 'unknown', version: (2 << 16) | 2 });
  });
});
