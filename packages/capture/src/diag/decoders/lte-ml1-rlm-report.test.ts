import { describe, expect, it } from 'vitest';
import { rlmReportBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB18A LTE ML1 RLM Report v1', () => {
  it('decodes each record: SFN/subframe, out-of-sync and in-sync BLER and counts, T310 status', () => {
    const r = reg.decode(
      0xb18a,
      rlmReportBody([
        { sfn: 818, subframe: 2, oosBler: 16384, isBler: 3277, oosCount: 3, isCount: 0, t310: 1 },
        { sfn: 819, subframe: 2, oosBler: 0, isBler: 0, oosCount: 0, isCount: 2, t310: 0 },
      ]),
    );
    expect(r).toMatchObject({ status: 'decoded', version: 1 });
    expect(r.fields).toEqual({
      records: 2,
      sfn: [818, 819],
      subframe: [2, 2],
      out_of_sync_bler_pct: [50, 0],
      in_sync_bler_pct: [10, 0],
      out_of_sync_count: [3, 0],
      in_sync_count: [0, 2],
      t310_status: [1, 0],
    });
  });

  it('refuses a body whose length disagrees with its record count', () => {
    const b = rlmReportBody([{ sfn: 1, subframe: 1, oosBler: 0, isBler: 0, oosCount: 0, isCount: 0, t310: 0 }]);
    expect(reg.decode(0xb18a, b.subarray(0, 15)).status).toBe('malformed');
  });
});
