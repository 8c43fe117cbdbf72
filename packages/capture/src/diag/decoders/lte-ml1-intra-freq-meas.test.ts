import { describe, expect, it } from 'vitest';
import { intraFreqMeasBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB179 LTE ML1 Connected Mode Intra-Frequency Measurement Results', () => {
  it.each([3, 4] as const)('v%i: serving cell and neighbours, RSRP/RSRQ at 0.0625 dB', (v) => {
    // the T-Mobile log's first record: PCI 314, E-ARFCN 2300, RSRP 956, RSRQ 254, neighbour 328 (845, 179)
    const body = intraFreqMeasBody(
      v,
      { cellIndex: 0, earfcn: 2300, pci: 314, rsrp: 956, rsrq: 254 },
      [{ pci: 328, rsrp: 845, rsrq: 179 }],
      [77],
    );
    expect(reg.decode(0xb179, body)).toMatchObject({ status: 'decoded', version: v });
    expect(reg.decode(0xb179, body).fields).toEqual({
      serving_cell_index: 0,
      earfcn: 2300,
      pci: 314,
      rsrp: -120.25,
      rsrq: -14.125,
      neighbour_pci: [328],
      neighbour_rsrp: [-127.1875],
      neighbour_rsrq: [-18.8125],
      detected_cells: 1,
    });
  });

  it('bytes after the counted cells are left undecoded; a body too short for its counts is malformed', () => {
    const body = intraFreqMeasBody(3, { cellIndex: 1, earfcn: 2100, pci: 377, rsrp: 1270, rsrq: 370 }, []);
    const padded = new Uint8Array(body.length + 12);
    padded.set(body);
    expect(reg.decode(0xb179, padded)).toMatchObject({ status: 'decoded' });
    body[22] = 2; // two neighbours claimed
    expect(reg.decode(0xb179, body)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/2 neighbours/),
    });
  });
});
