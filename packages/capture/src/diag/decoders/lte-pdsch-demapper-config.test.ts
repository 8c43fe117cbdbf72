import { describe, expect, it } from 'vitest';
import { pdschDemapperBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB126 LTE PHY PDSCH Demapper Configuration v23', () => {
  it('decodes the 9-bit PCI split over two words, SFN/subframe, RNTI and its type, antennas and rank', () => {
    const body = pdschDemapperBody({
      pci: 314,
      sfn: 494,
      subframe: 3,
      rnti: 7351,
      rntiType: 0,
      txCode: 2,
      rxCode: 1,
      rank: 2,
    });
    // the T-Mobile log's first record begins 17 3a c7 3d b7 1c 00 06 (PCI 314, SFN 494, subframe 3, rank 1)
    expect([...body.subarray(0, 6)]).toEqual([0x17, 0x3a, 0xc7, 0x3d, 0xb7, 0x1c]);
    expect(reg.decode(0xb126, body)).toMatchObject({ status: 'decoded', version: 23 });
    expect(reg.decode(0xb126, body).fields).toEqual({
      pci: 314,
      sfn: 494,
      subframe: 3,
      rnti: 7351,
      rnti_type: 'C',
      tx_antennas: 4,
      rx_antennas: 2,
      rank: 2,
    });
  });

  it('a body of another length is malformed; other versions are not decoded', () => {
    const body = pdschDemapperBody({
      pci: 1,
      sfn: 1,
      subframe: 1,
      rnti: 1,
      rntiType: 5,
      txCode: 0,
      rxCode: 0,
      rank: 1,
    });
    expect(reg.decode(0xb126, body.subarray(0, 54))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/56 bytes/),
    });
    body[0] = 28;
    expect(reg.decode(0xb126, body)).toMatchObject({ status: 'unknown', version: 28 });
  });

  it('one object refilled by each record: a record without transmit antennas (code 3) then one with them', () => {
    const body = (txCode: number, rank: number) =>
      pdschDemapperBody({ pci: 314, sfn: 494, subframe: 3, rnti: 7351, rntiType: 0, txCode, rxCode: 1, rank });
    const first = reg.decode(0xb126, body(3, 1)).fields;
    expect(first).toMatchObject({ tx_antennas: null, rank: 1 });
    const second = reg.decode(0xb126, body(1, 2)).fields;
    expect(second).toBe(first);
    expect(second).toMatchObject({ tx_antennas: 2, rank: 2, pci: 314, rnti_type: 'C' });
  });
});
