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

  it('one object per version refilled by each record: neighbour lists cut and grown, each record read right while current', () => {
    // 3, then 1, then 2, then 0 neighbours: the lists are rewritten in place (fails when a shorter record keeps
    // the previous one's tail, or a longer one after it loses its new entries)
    const cell = { cellIndex: 0, earfcn: 2300, pci: 314, rsrp: 956, rsrq: 254 };
    const nb = (pci: number) => ({ pci, rsrp: 800 + pci, rsrq: 100 + pci });
    const expected = (pcis: number[]) => ({
      neighbour_pci: pcis,
      neighbour_rsrp: pcis.map((p) => (800 + p) * 0.0625 - 180),
      neighbour_rsrq: pcis.map((p) => (100 + p) * 0.0625 - 30),
    });
    const first = reg.decode(0xb179, intraFreqMeasBody(3, cell, [nb(1), nb(2), nb(3)])).fields;
    expect(first).toMatchObject(expected([1, 2, 3]));
    for (const pcis of [[4], [5, 6], []]) {
      const f = reg.decode(0xb179, intraFreqMeasBody(3, { ...cell, pci: 300 + pcis.length }, pcis.map(nb))).fields;
      expect(f).toBe(first);
      expect(f).toEqual({
        ...expected(pcis),
        serving_cell_index: 0,
        earfcn: 2300,
        pci: 300 + pcis.length,
        rsrp: -120.25,
        rsrq: -14.125,
        detected_cells: 0,
      });
    }
    // the other version has its own object
    expect(reg.decode(0xb179, intraFreqMeasBody(4, cell, [nb(7)])).fields).not.toBe(first);
  });
});
