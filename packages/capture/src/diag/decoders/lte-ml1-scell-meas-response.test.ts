import { describe, expect, it } from 'vitest';
import { scmrBody, scmrMulti, scmrV4, scmrV7, type ScmrCellRaw } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

// Raw values as the modem stores them; expected = 0.0625·x − 180 / − 30 / − 110 and (x − 200) / 10.
const CELL: ScmrCellRaw = {
  pci: 73,
  scellIndex: 0,
  sfn: 831,
  subframe: 5,
  rsrpRx: [1291, 1303], // −99.3125, −98.5625 dBm
  rsrp: 1303, // −98.5625 dBm
  rsrqRx: [309, 323], // −10.6875, −9.8125 dB
  rsrq: 323, // −9.8125 dB
  rssiRx: [642, 641], // −69.875, −69.9375 dBm
  rssi: 642, // −69.875 dBm
  snrRx: [291, 279], // 9.1, 7.9 dB
};
const EXPECTED = {
  pci: [73],
  serving_cell_index: [0],
  is_serving_cell: [true],
  sfn: [831],
  subframe: [5],
  rsrp: [-98.5625],
  rsrq: [-9.8125],
  rssi: [-69.875],
  rsrp_rx: [[-99.3125, -98.5625]],
  rsrq_rx: [[-10.6875, -9.8125]],
  rssi_rx: [[-69.875, -69.9375]],
  snr_rx: [[9.1, 7.9]],
};

const reg = new DiagDecoderRegistry();

describe('0xB193 LTE ML1 Serving Cell Meas Response', () => {
  it.each([
    ['v4', 4, scmrV4(2300, CELL), 2300],
    ['v7', 7, scmrV7(8665, CELL), 8665],
    ['v19', 19, scmrMulti(19, 700, [CELL]), 700],
    ['v36', 36, scmrMulti(36, 1825, [CELL]), 1825],
  ])(
    'decodes sub-packet %s: per-cell PCI/EARFCN, combined and per-chain RSRP/RSRQ/RSSI/SNR',
    (_n, version, payload, earfcn) => {
      const r = reg.decode(0xb193, scmrBody(version, payload));
      expect(r.status).toBe('decoded');
      expect(r.version).toBe(version);
      expect(r.fields).toEqual({ earfcn: [earfcn], ...EXPECTED });
    },
  );

  it('refills one result per cell count (each record correct while current) and grows a copy for a second sub-packet 25', () => {
    const one = scmrBody(36, scmrMulti(36, 1825, [CELL]));
    const rx0 = scmrBody(36, scmrMulti(36, 1825, [{ ...CELL, pci: 9 }], 1)); // chain Rx1 not valid: null
    const a = scmrMulti(36, 1825, [CELL]);
    const b = scmrMulti(36, 1825, [{ ...CELL, pci: 273 }]);
    const sub = (p: Uint8Array): number[] => [25, 36, (p.length + 4) & 0xff, (p.length + 4) >> 8, ...p];
    const twoSubPackets = Uint8Array.from([1, 2, 0, 0, ...sub(a), ...sub(b)]);
    const seen = [one, rx0, twoSubPackets, one].map((body) => JSON.stringify(reg.decode(0xb193, body).fields));
    expect(JSON.parse(seen[0]!)).toEqual({ earfcn: [1825], ...EXPECTED });
    expect(JSON.parse(seen[1]!)).toMatchObject({ pci: [9], rsrp_rx: [[-99.3125, null]] }); // no stale Rx1
    expect(JSON.parse(seen[2]!)).toMatchObject({ pci: [73, 273], earfcn: [1825, 1825] });
    expect(seen[3]).toBe(seen[0]); // the grown record did not grow the reused result
    // one object for the records of a layout and cell count: nothing allocated per record
    expect(reg.decode(0xb193, one).fields).toBe(reg.decode(0xb193, rx0).fields);
  });

  it('reads every cell of a multi-cell sub-packet and nulls chains the valid-Rx mask excludes', () => {
    const second = { ...CELL, pci: 273 };
    const r = reg.decode(0xb193, scmrBody(36, scmrMulti(36, 1825, [CELL, second], 1)));
    expect(r.fields?.pci).toEqual([73, 273]);
    expect(r.fields?.rsrp_rx).toEqual([
      [-99.3125, null],
      [-99.3125, null],
    ]);
  });

  it('counts an unknown sub-packet version as unknown and a wrong size or cell count as malformed', () => {
    expect(reg.decode(0xb193, scmrBody(59, new Uint8Array(40)))).toMatchObject({ status: 'unknown', version: 59 });
    expect(reg.decode(0xb193, scmrBody(4, new Uint8Array(40)))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/is 44 bytes, its layout 80/),
    });
    const tooMany = scmrMulti(19, 700, [CELL]);
    tooMany[4] = 9; // cell count 9 > 4 slots
    expect(reg.decode(0xb193, scmrBody(19, tooMany))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/9 cells claimed, room for 4/),
    });
    expect(reg.decode(0xb193, Uint8Array.of(2, 1, 0, 0))).toMatchObject({ status: 'unknown', version: -1 });
  });

  it('never throws on a body cut at any length', () => {
    const body = scmrBody(36, scmrMulti(36, 1825, [CELL]));
    for (let n = 0; n < body.length; n++)
      expect(['unknown', 'malformed']).toContain(reg.decode(0xb193, body.subarray(0, n)).status);
  });
});
