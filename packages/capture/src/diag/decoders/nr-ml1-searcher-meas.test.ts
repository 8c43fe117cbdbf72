import { describe, expect, it } from 'vitest';
import { nrSearcherMeasBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const carriers = [
  {
    arfcn: 504990,
    servingPci: 138,
    cells: [
      { pci: 138, rsrp: -85.5, rsrq: -11, beams: [{ ssb: 3, rsrpRx: [-86, -88.25] as const }] },
      { pci: 123, rsrp: -101.25, rsrq: -18.5, beams: [] },
    ],
  },
  {
    arfcn: 627264,
    servingPci: 5,
    cells: [{ pci: 5, rsrp: -70, rsrq: -10.5, beams: [{ ssb: 0, rsrpRx: [-70, -71] as const }] }],
  },
];

describe('0xB97F NR5G ML1 Searcher Measurement Database Update', () => {
  it.each([7, 9] as const)(
    'v2.%i: per cell NR-ARFCN, PCI, serving flag, RSRP/RSRQ (Q8.7), first beam SSB and Rx RSRPs',
    (minor) => {
      const r = reg.decode(0xb97f, nrSearcherMeasBody(minor, carriers));
      expect(r).toMatchObject({ status: 'decoded', version: (2 << 16) | minor });
      expect(r.fields).toEqual({
        carriers: 2,
        arfcn: [504990, 504990, 627264],
        pci: [138, 123, 5],
        is_serving_cell: [true, false, true],
        rsrp: [-85.5, -101.25, -70],
        rsrq: [-11, -18.5, -10.5],
        ssb_index: [3, null, 0],
        rsrp_rx: [[-86, -88.25], [], [-70, -71]],
      });
    },
  );

  it('a cut body or trailing bytes are malformed; version 2.6 is not decoded (its scaling is not certain)', () => {
    const body = nrSearcherMeasBody(7, carriers);
    for (let n = 4; n < body.length; n++) expect(reg.decode(0xb97f, body.subarray(0, n)).status).toBe('malformed');
    const long = new Uint8Array(body.length + 1);
    long.set(body);
    expect(reg.decode(0xb97f, long)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/1 bytes left/),
    });
    body[0] = 6;
    expect(reg.decode(0xb97f, body)).toMatchObject({ status: 'unknown', version: (2 << 16) | 6 });
  });
});
