import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB16E LTE PUSCH Power Control and 0xB16F LTE PUCCH Power Control (little-endian). Layouts: MobileInsight
 * dm_collector_c/log_packet.h (LtePuschPowerControl_* v4/v5, LtePucchPowerControl_* v4) and its Android port's
 * decoders (lte_pusch_power_control / lte_pucch_power_control: the bit positions of v4/v5 and the v25 / v24
 * layouts). No public sample carries either code: checked on byte-built fixtures only.
 *
 *   header: version u8 | reserved u16 | record count u8, then records of 12 bytes
 *
 *   0xB16E v4/v5 word 0: SFN 0–9 | subframe 10–13 | PUSCH Tx power int8 14–21 | DCI format 22–25 | Tx type 26–27
 *          v25 word 0:   cell index 0–2 | SFN 3–12 | subframe 13–16 | Tx power 17–24 | DCI format 25–28 |
 *                        Tx type 29–30 | TPC frozen 31
 *          v4 word 1: TB size 0–13 | DL path loss 14–21 | F(i) int10 22–31;  word 2: TPC 0–4 | actual Tx power int8 5–12
 *          v5/v25 word 1: RBs 0–7 | TB size 8–21 | DL path loss 22–29;
 *                 word 2: F(i) int10 0–9 | TPC 10–14 | actual Tx power int8 15–22 | (v25) max power int8 23–30
 *   0xB16F v4/v24 word 0: SFN 0–9 | subframe 10–13 | PUCCH Tx power int8 14–21 | DCI format 22–25 |
 *                         PUCCH format 26–28 | N_HARQ 29
 *          word 1: TPC 0–5 | N_CQI 6–10 | DL path loss 11–17 (v4) / 11–18 (v24);  +8 g(i) int16 | +10 actual Tx power int8
 *
 * F(i) and g(i) are the closed-loop PUSCH/PUCCH adjustment states of TS 36.213 §5.1.1.1 / §5.1.2.1 (dB). The
 * TPC field is the δ of the last command (TS 36.213 Tables 5.1.1.1-2 / 5.1.2.1-1: −1, 0, 1, 3 dB accumulated)
 * as a two's-complement 5-bit (PUSCH) or 6-bit (PUCCH) value; MobileInsight names 15 (PUSCH) and 31 (PUCCH)
 * "N/A" / "Not present" — null here. Max power (v25) is the UE's configured maximum output power Pcmax
 * (TS 36.101 §6.2.5); v4/v5 records do not carry it.
 */

export const LTE_PUSCH_POWER_CONTROL = 0xb16e;
export const LTE_PUCCH_POWER_CONTROL = 0xb16f;
const RECORD = 12;

/** DCI format code → name (MobileInsight's Release 8 table; 12/13 "no DCI" in its Android port). */
const DCI_FORMATS: Readonly<Record<number, string>> = {
  0: '0',
  1: '1',
  2: '1A',
  3: '1B',
  4: '1C',
  5: '1D',
  6: '2',
  7: '2A',
  10: '3',
  11: '3A',
  12: 'none',
  13: 'none',
};
const TX_TYPES: Readonly<Record<number, string>> = { 1: 'dynamic', 2: 'rach_msg3' };
const PUCCH_FORMATS: readonly string[] = ['1', '1a', '1b', '2', '2a', '2b', '1b_cs', '3'];

function signed(v: number, width: number): number {
  return v >= 1 << (width - 1) ? v - (1 << width) : v;
}

/** The record count, with the body length checked against it. */
function records(b: Uint8Array): number {
  const count = u8(b, 3);
  if (b.length !== 4 + count * RECORD)
    throw new DiagDecodeError(3, `${count} records of ${RECORD} bytes do not make a ${b.length}-byte body`);
  return count;
}

function puschDecoder(version: 4 | 5 | 25): DiagVersionDecoder {
  return (b) => {
    const count = records(b);
    const f = {
      cell_index: [] as number[],
      sfn: [] as number[],
      subframe: [] as number[],
      pusch_tx_power_dbm: [] as number[],
      dci_format: [] as string[],
      tx_type: [] as string[],
      num_rb: [] as (number | null)[],
      tb_size_bytes: [] as number[],
      path_loss_db: [] as number[],
      f_i_db: [] as number[],
      tpc_db: [] as (number | null)[],
      actual_tx_power_dbm: [] as number[],
      pcmax_dbm: [] as (number | null)[],
      tpc_frozen: [] as (boolean | null)[],
    };
    for (let i = 0; i < count; i++) {
      const r = 4 + i * RECORD;
      const w0 = u32(b, r);
      const w1 = u32(b, r + 4);
      const w2 = u32(b, r + 8);
      const s = version === 25 ? 3 : 0; // v25 puts a 3-bit cell index before the SFN
      f.cell_index.push(version === 25 ? w0 & 7 : 0);
      f.sfn.push((w0 >>> s) & 0x3ff);
      f.subframe.push((w0 >>> (s + 10)) & 15);
      f.pusch_tx_power_dbm.push(signed((w0 >>> (s + 14)) & 0xff, 8));
      const dci = (w0 >>> (s + 22)) & 15;
      f.dci_format.push(DCI_FORMATS[dci] ?? `code ${dci}`);
      const tx = (w0 >>> (s + 26)) & 3;
      f.tx_type.push(TX_TYPES[tx] ?? `code ${tx}`);
      f.tpc_frozen.push(version === 25 ? w0 >>> 31 === 1 : null);
      let tpc: number;
      if (version === 4) {
        f.num_rb.push(null);
        f.tb_size_bytes.push(w1 & 0x3fff);
        f.path_loss_db.push((w1 >>> 14) & 0xff);
        f.f_i_db.push(signed(w1 >>> 22, 10));
        tpc = w2 & 31;
        f.actual_tx_power_dbm.push(signed((w2 >>> 5) & 0xff, 8));
      } else {
        f.num_rb.push(w1 & 0xff);
        f.tb_size_bytes.push((w1 >>> 8) & 0x3fff);
        f.path_loss_db.push((w1 >>> 22) & 0xff);
        f.f_i_db.push(signed(w2 & 0x3ff, 10));
        tpc = (w2 >>> 10) & 31;
        f.actual_tx_power_dbm.push(signed((w2 >>> 15) & 0xff, 8));
      }
      f.tpc_db.push(tpc === 15 ? null : signed(tpc, 5));
      f.pcmax_dbm.push(version === 25 ? signed((w2 >>> 23) & 0xff, 8) : null);
    }
    return { records: count, ...f };
  };
}

function pucchDecoder(pathLossBits: 7 | 8): DiagVersionDecoder {
  return (b) => {
    const count = records(b);
    const f = {
      sfn: [] as number[],
      subframe: [] as number[],
      pucch_tx_power_dbm: [] as number[],
      dci_format: [] as string[],
      pucch_format: [] as string[],
      n_harq: [] as number[],
      tpc_db: [] as (number | null)[],
      n_cqi: [] as number[],
      path_loss_db: [] as number[],
      g_i_db: [] as number[],
      actual_tx_power_dbm: [] as number[],
    };
    for (let i = 0; i < count; i++) {
      const r = 4 + i * RECORD;
      const w0 = u32(b, r);
      const w1 = u32(b, r + 4);
      f.sfn.push(w0 & 0x3ff);
      f.subframe.push((w0 >>> 10) & 15);
      f.pucch_tx_power_dbm.push(signed((w0 >>> 14) & 0xff, 8));
      const dci = (w0 >>> 22) & 15;
      f.dci_format.push(DCI_FORMATS[dci] ?? `code ${dci}`);
      f.pucch_format.push(PUCCH_FORMATS[(w0 >>> 26) & 7]!);
      f.n_harq.push((w0 >>> 29) & 1);
      const tpc = w1 & 63;
      f.tpc_db.push(tpc === 31 ? null : signed(tpc, 6));
      f.n_cqi.push((w1 >>> 6) & 31);
      f.path_loss_db.push((w1 >>> 11) & ((1 << pathLossBits) - 1));
      f.g_i_db.push(signed(u16(b, r + 8), 16));
      f.actual_tx_power_dbm.push(signed(u8(b, r + 10), 8));
    }
    return { records: count, ...f };
  };
}

export const ltePuschPowerControl: DiagLogDecoder = {
  logCode: LTE_PUSCH_POWER_CONTROL,
  name: 'LTE PUSCH Power Control',
  version: (b) => b[0],
  versions: new Map([
    [4, puschDecoder(4)],
    [5, puschDecoder(5)],
    [25, puschDecoder(25)],
  ]),
};

export const ltePucchPowerControl: DiagLogDecoder = {
  logCode: LTE_PUCCH_POWER_CONTROL,
  name: 'LTE PUCCH Power Control',
  version: (b) => b[0],
  versions: new Map([
    [4, pucchDecoder(7)],
    [24, pucchDecoder(8)],
  ]),
};
