import { describe, expect, it } from 'vitest';
import { ncellMeasBody, scellMeasEvalBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
// Raw 1279 → −100.0625 dBm, 1300 → −98.75, 330 → −9.375 dB, 320 → −10, 570 → −74.375 dBm.
const RAW = { pci: 24, rsrp: 1279, rsrpAvg: 1300, rsrq: 330, rsrqAvg: 320, rssi: 570 };

describe('0xB17F LTE ML1 Serving Cell Meas and Eval', () => {
  it.each([4, 5] as const)('decodes v%s: EARFCN, PCI, measured and average RSRP/RSRQ, RSSI', (v) => {
    const r = reg.decode(0xb17f, scellMeasEvalBody(v, { earfcn: 8665, ...RAW }));
    expect(r).toMatchObject({ status: 'decoded', version: v });
    expect(r.fields).toEqual({
      rrc_release: 1,
      earfcn: 8665,
      pci: 24,
      serving_layer_priority: 3,
      rsrp: -100.0625,
      rsrp_avg: -98.75,
      rsrq: -9.375,
      rsrq_avg: -10,
      rssi: -74.375,
    });
  });

  it('calls a body shorter than its layout malformed and v6 unknown', () => {
    expect(reg.decode(0xb17f, scellMeasEvalBody(5, { earfcn: 1, ...RAW }).subarray(0, 30)).status).toBe('malformed');
    expect(reg.decode(0xb17f, Uint8Array.of(6, 1, 0, 0)).status).toBe('unknown');
  });
});

describe('0xB180 LTE ML1 Neighbor Measurements', () => {
  it('decodes every neighbour cell of v5', () => {
    const r = reg.decode(
      0xb180,
      ncellMeasBody(3350, [
        { pci: 108, rssi: 245, rsrp: 948, rsrq: 207 },
        { pci: 7, rssi: 300, rsrp: 1000, rsrq: 250 },
      ]),
    );
    expect(r.fields).toEqual({
      earfcn: 3350,
      pci: [108, 7],
      rsrp: [-120.75, -117.5],
      rsrq: [-17.0625, -14.375],
      rssi: [-94.6875, -91.25],
    });
  });

  it('refuses a cell count the body cannot hold', () => {
    const b = ncellMeasBody(1, [{ pci: 1, rssi: 1, rsrp: 1, rsrq: 1 }]);
    b[8] = 0xc0; // 3 cells claimed (count << 6)
    expect(reg.decode(0xb180, b)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/3 cells of 32 bytes/),
    });
  });
});
