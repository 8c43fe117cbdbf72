import { describe, expect, it } from 'vitest';
import { nrServingFtlBody } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB8DD NR5G LL1 FW Serving FTL', () => {
  it('v7: cell id (bits 6–15), SSB/TRS, carrier, FTL SNR raw and MobileInsight’s dB fit', () => {
    const body = nrServingFtlBody({ cellId: 501, trs: true, carrier: 1, snrRaw: [1000, 0, 31, 30] });
    expect(body.length).toBe(92);
    expect(body[5]! | (body[6]! << 8)).toBe(501 << 6);
    const r = reg.decode(0xb8dd, body);
    expect(r).toMatchObject({ status: 'decoded', version: 7, name: 'NR5G LL1 FW Serving FTL' });
    expect(r.fields).toEqual({
      cell_id: 501,
      reference_signal: 'TRS',
      carrier_index: 1,
      hst_mode: 0,
      ftl_snr_raw: [1000, 0, 31, 30],
      // 4.241 · ln(1000 − 30.2) − 29.27 = −0.10; ln(0.8) for 31; undefined for 0 and 30
      ftl_snr_db: [-0.1, null, -30.22, null],
    });
  });

  it('a body cut at any offset is malformed or unknown; version 8 is not decoded', () => {
    const body = nrServingFtlBody({ cellId: 1, trs: false, carrier: 0, snrRaw: [500, 500, 500, 500] });
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb8dd, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
    body[0] = 8;
    expect(reg.decode(0xb8dd, body)).toMatchObject({ status: 'unknown', version: 8 });
  });
});
