import { describe, expect, it } from 'vitest';
import { nrBeamMgmtBody, type NrBeamMgmtRaw } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const raw: NrBeamMgmtRaw = {
  pci: 503,
  ssbIndex: 5,
  rsrp: -87.5,
  rsrq: -11.25,
  beams: [
    { index: 5, rsrp: -87.5, rsrq: -11.25 },
    { index: 2, rsrp: -95.125, rsrq: -14 },
  ],
};

describe('0xB975 NR5G ML1 Serving Cell Beam Management', () => {
  it('v2.1: PCI, serving SSB index, filtered RSRP/RSRQ (signed Q.7) and the detected beams', () => {
    const body = nrBeamMgmtBody(raw);
    expect(body.length).toBe(40 + 2 * 16);
    const r = reg.decode(0xb975, body);
    expect(r).toMatchObject({
      status: 'decoded',
      version: (2 << 16) | 1,
      name: 'NR5G ML1 Serving Cell Beam Management',
    });
    expect(r.fields).toEqual({
      pci: 503,
      ssb_periodicity_ms: 20,
      serving_ssb_index: 5,
      rsrp: -87.5,
      rsrq: -11.25,
      frequency_offset: 3,
      time_offset: 7,
      detected_beams: 2,
      beam_index: [5, 2],
      beam_rsrp: [-87.5, -95.125],
      beam_rsrq: [-11.25, -14],
    });
  });

  it('the bytes sit where the layout says: PCI at 4, SSB nibble at 9, RSRP at 12, beam count at 36', () => {
    const body = nrBeamMgmtBody(raw);
    expect([body[4], body[5]]).toEqual([503 & 0xff, 503 >> 8]);
    expect(body[9]).toBe(0x50);
    expect(new DataView(body.buffer).getInt32(12, true)).toBe(-87.5 * 128);
    expect(body[36]).toBe(2);
    expect(new DataView(body.buffer).getInt32(40 + 16 + 4, true)).toBe(-95.125 * 128);
  });

  it('a body cut at any offset is malformed or unknown, never decoded or a crash', () => {
    for (const beams of [raw.beams, []]) {
      const body = nrBeamMgmtBody({ ...raw, beams });
      for (let n = 0; n < body.length; n++) {
        const r = reg.decode(0xb975, body.subarray(0, n));
        expect(r.status, `${beams.length} beams, cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
      }
    }
  });

  it('an absurd beam count is malformed; version 2.2 is not decoded', () => {
    const body = nrBeamMgmtBody(raw);
    body[36] = 255;
    expect(reg.decode(0xb975, body)).toMatchObject({ status: 'malformed' });
    const v22 = nrBeamMgmtBody(raw);
    v22[0] = 2;
    expect(reg.decode(0xb975, v22)).toMatchObject({ status: 'unknown', version: (2 << 16) | 2 });
  });
});
