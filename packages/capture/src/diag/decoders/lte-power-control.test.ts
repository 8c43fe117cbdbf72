import { describe, expect, it } from 'vitest';
import {
  pucchPowerControlBody,
  puschPowerControlBody,
  type PucchPowerRecordRaw,
  type PuschPowerRecordRaw,
} from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

const atPcmax: PuschPowerRecordRaw = {
  cellIndex: 1,
  sfn: 1023,
  subframe: 9,
  txPowerDbm: 23,
  dciFormat: 0,
  txType: 1,
  tpcFrozen: true,
  numRb: 50,
  tbSize: 16383,
  pathLossDb: 131,
  fi: 12,
  tpc: 3, // +3 dB
  actualTxPowerDbm: 22,
  maxPowerDbm: 23,
};
const low: PuschPowerRecordRaw = {
  sfn: 5,
  subframe: 0,
  txPowerDbm: -40, // the lowest UE output power of TS 36.101 §6.3.2: int8 sign checked
  dciFormat: 11,
  txType: 2,
  numRb: 1,
  tbSize: 7,
  pathLossDb: 60,
  fi: -512, // the most negative 10-bit value
  tpc: 31, // −1 dB
  actualTxPowerDbm: -40,
  maxPowerDbm: 20,
};

/** Every cut of a body short of its full length: malformed (or unknown when the version byte is gone), never a throw. */
function expectEveryCutRefused(code: number, body: Uint8Array): void {
  for (let n = 0; n < body.length; n++) {
    const r = reg.decode(code, body.subarray(0, n));
    expect(r.status, `cut at ${n}`).toBe(n === 0 ? 'unknown' : 'malformed');
  }
}

describe('0xB16E LTE PUSCH Power Control', () => {
  it('v25: cell index, SFN/subframe, Tx power, DCI format, Tx type, RBs, TB size, path loss, F(i), TPC, actual power, Pcmax', () => {
    const body = puschPowerControlBody(25, [atPcmax, low]);
    expect(body.length).toBe(4 + 2 * 12);
    const r = reg.decode(0xb16e, body);
    expect(r).toMatchObject({ status: 'decoded', version: 25, name: 'LTE PUSCH Power Control' });
    expect(r.fields).toEqual({
      records: 2,
      cell_index: [1, 0],
      sfn: [1023, 5],
      subframe: [9, 0],
      pusch_tx_power_dbm: [23, -40],
      dci_format: ['0', '3A'],
      tx_type: ['dynamic', 'rach_msg3'],
      num_rb: [50, 1],
      tb_size_bytes: [16383, 7],
      path_loss_db: [131, 60],
      f_i_db: [12, -512],
      tpc_db: [3, -1],
      actual_tx_power_dbm: [22, -40],
      pcmax_dbm: [23, 20],
      tpc_frozen: [true, false],
    });
  });

  it('v5: the same words without cell index and Pcmax; TPC 15 is "not present"', () => {
    const r = reg.decode(0xb16e, puschPowerControlBody(5, [{ ...atPcmax, tpc: 15 }]));
    expect(r.status).toBe('decoded');
    expect(r.fields).toMatchObject({
      cell_index: [0],
      sfn: [1023],
      subframe: [9],
      pusch_tx_power_dbm: [23],
      num_rb: [50],
      tb_size_bytes: [16383],
      path_loss_db: [131],
      f_i_db: [12],
      tpc_db: [null],
      actual_tx_power_dbm: [22],
      pcmax_dbm: [null],
      tpc_frozen: [null],
    });
  });

  it('v4: TB size, path loss and F(i) in word 1, TPC and actual power in word 2, no RB count', () => {
    const r = reg.decode(0xb16e, puschPowerControlBody(4, [low, atPcmax]));
    expect(r.fields).toMatchObject({
      pusch_tx_power_dbm: [-40, 23],
      num_rb: [null, null],
      tb_size_bytes: [7, 16383],
      path_loss_db: [60, 131],
      f_i_db: [-512, 12],
      tpc_db: [-1, 3],
      actual_tx_power_dbm: [-40, 22],
      dci_format: ['3A', '0'],
      tx_type: ['rach_msg3', 'dynamic'],
    });
  });

  it('no records is a decoded empty report', () => {
    expect(reg.decode(0xb16e, puschPowerControlBody(25, [])).fields).toMatchObject({ records: 0, sfn: [] });
  });

  it('every cut, a byte too many and a count the body does not hold are malformed; version 6 is unknown', () => {
    for (const v of [4, 5, 25] as const) {
      const body = puschPowerControlBody(v, [atPcmax, low]);
      expectEveryCutRefused(0xb16e, body);
      const longer = new Uint8Array(body.length + 1);
      longer.set(body);
      expect(reg.decode(0xb16e, longer)).toMatchObject({
        status: 'malformed',
        reason: expect.stringMatching(/2 records of 12 bytes do not make a 29-byte body/),
      });
      const absurd = body.slice();
      absurd[3] = 255;
      expect(reg.decode(0xb16e, absurd).status).toBe('malformed');
    }
    const other = puschPowerControlBody(5, [low]);
    other[0] = 6;
    expect(reg.decode(0xb16e, other)).toMatchObject({ status: 'unknown', version: 6 });
  });
});

const pucch: PucchPowerRecordRaw = {
  sfn: 700,
  subframe: 3,
  txPowerDbm: -3,
  dciFormat: 2,
  pucchFormat: 1,
  nHarq: 1,
  tpc: 63, // −1 dB
  nCqi: 0,
  pathLossDb: 127,
  gi: -6,
  actualTxPowerDbm: -3,
};

describe('0xB16F LTE PUCCH Power Control', () => {
  it('v24: SFN/subframe, Tx power, DCI and PUCCH format, N_HARQ, TPC, N_CQI, 8-bit path loss, g(i), actual power', () => {
    const body = pucchPowerControlBody(24, [pucch, { ...pucch, tpc: 31, pathLossDb: 200, gi: 300, pucchFormat: 7 }]);
    expect(body.length).toBe(4 + 24);
    const r = reg.decode(0xb16f, body);
    expect(r).toMatchObject({ status: 'decoded', version: 24, name: 'LTE PUCCH Power Control' });
    expect(r.fields).toEqual({
      records: 2,
      sfn: [700, 700],
      subframe: [3, 3],
      pucch_tx_power_dbm: [-3, -3],
      dci_format: ['1A', '1A'],
      pucch_format: ['1a', '3'],
      n_harq: [1, 1],
      tpc_db: [-1, null],
      n_cqi: [0, 0],
      path_loss_db: [127, 200],
      g_i_db: [-6, 300],
      actual_tx_power_dbm: [-3, -3],
    });
  });

  it('v4 reads a 7-bit path loss (the eighth bit belongs to the next field)', () => {
    const r = reg.decode(0xb16f, pucchPowerControlBody(4, [{ ...pucch, pathLossDb: 100, tpc: 1 }]));
    expect(r.fields).toMatchObject({ path_loss_db: [100], tpc_db: [1] });
    const wide = reg.decode(0xb16f, pucchPowerControlBody(4, [{ ...pucch, pathLossDb: 200 }]));
    expect(wide.fields).toMatchObject({ path_loss_db: [200 & 127] });
  });

  it('every cut is malformed, never a throw', () => {
    for (const v of [4, 24] as const) expectEveryCutRefused(0xb16f, pucchPowerControlBody(v, [pucch, pucch]));
  });
});
