import { describe, expect, it } from 'vitest';
import { rachAttemptBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const ok = { attempt: 1, result: 0, contention: 1, mask: 7, preamble: 17, ta: 12, tcRnti: 0x4601, grant: 7, harqId: 0 };

describe('0xB062 LTE MAC RACH Attempt', () => {
  it('v2: attempt, result, contention, preamble, RAR TA and TC-RNTI, Msg3 grant', () => {
    const r = reg.decode(0xb062, rachAttemptBody(2, ok));
    expect(r).toMatchObject({ status: 'decoded', version: 2, name: 'LTE MAC RACH Attempt' });
    expect(r.fields).toEqual({
      cell_index: 0,
      attempt: 1,
      rach_result: 'success',
      contention_based: true,
      messages: 7,
      preamble_index: 17,
      backoff_ms: 20,
      tc_rnti: 0x4601,
      timing_advance: 12,
      msg3_grant_bytes: 7,
      msg3_harq_id: 0,
    });
  });

  it('v3 has the cell index first; a failure at Msg2 has no RAR values', () => {
    const r = reg.decode(0xb062, rachAttemptBody(3, { ...ok, attempt: 3, result: 1, mask: 1 }));
    expect(r.fields).toMatchObject({
      cell_index: 1,
      attempt: 3,
      rach_result: 'msg2_failure',
      preamble_index: 17,
      timing_advance: null,
      tc_rnti: null,
      msg3_grant_bytes: null,
    });
  });

  it('a cut body is malformed or unknown, never a crash', () => {
    const body = rachAttemptBody(2, ok);
    for (let n = 0; n < body.length; n++) expect(reg.decode(0xb062, body.subarray(0, n)).status).not.toBe('decoded');
  });
});
