import { describe, expect, it } from 'vitest';
import { mibBody, SERV_CELL_314, servCellInfoBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const CELL = SERV_CELL_314;

describe('0xB0C2 LTE RRC Serving Cell Info', () => {
  it.each([2, 3] as const)('decodes v%s: PCI, DL/UL EARFCN, bandwidths, cell identity, TAC, band, PLMN', (v) => {
    expect(reg.decode(0xb0c2, servCellInfoBody(v, CELL)).fields).toEqual({
      pci: 314,
      earfcn: 2300,
      ul_earfcn: 20300,
      dl_bandwidth_rb: 100,
      ul_bandwidth_rb: 100,
      cell_identity: 21453827,
      tac: 16340,
      band: 4,
      mcc: 310,
      mnc: '260',
      allowed_access: 1,
    });
  });

  it('keeps a 2-digit MNC with its leading zero and refuses a body of the wrong length', () => {
    expect(reg.decode(0xb0c2, servCellInfoBody(3, { ...CELL, mcc: 460, mncDigits: 2, mnc: 0 })).fields).toMatchObject({
      mcc: 460,
      mnc: '00',
    });
    expect(reg.decode(0xb0c2, servCellInfoBody(2, CELL).subarray(0, 24))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/24 bytes, its layout 25/),
    });
  });
});

describe('0xB0C1 LTE RRC MIB Message', () => {
  it.each([1, 2] as const)('decodes v%s: PCI, EARFCN, SFN, antennas, bandwidth', (v) => {
    expect(
      reg.decode(0xb0c1, mibBody(v, { pci: 188, earfcn: 40978, sfn: 584, antennas: 2, bwRb: 100 })).fields,
    ).toEqual({
      pci: 188,
      earfcn: 40978,
      sfn: 584,
      tx_antennas: 2,
      dl_bandwidth_rb: 100,
    });
  });
});
