import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB0C1 LTE RRC MIB Message and 0xB0C2 LTE RRC Serving Cell Info (little-endian; SCAT parse_lte_mib /
 * parse_lte_rrc_cell_info, MobileInsight LteRrcMibMessageLogPacketFmt / LteRrcServCellInfoLogPacketFmt):
 *
 * 0xB0C1 v1: 0 ver | 1 pci u16 | 3 earfcn u16 | 5 sfn u16 | 7 tx antennas u8 | 8 DL bandwidth (RBs) u8   (9 bytes)
 * 0xB0C1 v2: the same with a u32 EARFCN                                                                  (11 bytes)
 * 0xB0C2 v2: 0 ver | 1 pci u16 | 3 DL earfcn u16 | 5 UL earfcn u16 | 7 DL bw u8 | 8 UL bw u8 | 9 cell identity u32
 *            | 13 TAC u16 | 15 band u32 | 19 MCC u16 | 21 MNC digits u8 | 22 MNC u16 | 24 allowed access u8  (25 bytes)
 * 0xB0C2 v3: the same with u32 DL/UL EARFCNs                                                             (29 bytes)
 *
 * Checked on the real logs (every record has exactly its version's length): bands agree with the EARFCNs
 * (976 → band 2, 2300 → 4, 5230 → 13, 39148 → 40, 40978 → 41), FDD uplinks are DL + 18000 (band 66:
 * 66586 → 132122, beyond u16), the PLMNs are
 * those of the operators in the file names (310-260 T-Mobile, 310-120 Sprint, 460-00 China Mobile).
 */

export const LTE_RRC_MIB = 0xb0c1;
export const LTE_RRC_SERV_CELL_INFO = 0xb0c2;

function exact(b: Uint8Array, n: number): void {
  if (b.length !== n)
    throw new DiagDecodeError(b.length < n ? b.length : n, `body is ${b.length} bytes, its layout ${n}`);
}

function mib(wide: boolean): DiagVersionDecoder {
  return (b) => {
    exact(b, wide ? 11 : 9);
    const x = wide ? 2 : 0;
    return {
      pci: u16(b, 1),
      earfcn: wide ? u32(b, 3) : u16(b, 3),
      sfn: u16(b, 5 + x),
      tx_antennas: u8(b, 7 + x),
      dl_bandwidth_rb: u8(b, 8 + x),
    };
  };
}

function servCellInfo(wide: boolean): DiagVersionDecoder {
  return (b) => {
    exact(b, wide ? 29 : 25);
    const x = wide ? 4 : 0;
    const mncDigits = u8(b, 21 + x);
    const mnc = u16(b, 22 + x);
    return {
      pci: u16(b, 1),
      earfcn: wide ? u32(b, 3) : u16(b, 3),
      ul_earfcn: wide ? u32(b, 7) : u16(b, 5),
      dl_bandwidth_rb: u8(b, 7 + x),
      ul_bandwidth_rb: u8(b, 8 + x),
      cell_identity: u32(b, 9 + x),
      tac: u16(b, 13 + x),
      band: u32(b, 15 + x),
      mcc: u16(b, 19 + x),
      mnc: String(mnc).padStart(mncDigits === 3 ? 3 : 2, '0'),
      allowed_access: u8(b, 24 + x),
    };
  };
}

export const lteRrcMib: DiagLogDecoder = {
  logCode: LTE_RRC_MIB,
  name: 'LTE RRC MIB Message',
  version: (b) => b[0],
  versions: new Map([
    [1, mib(false)],
    [2, mib(true)],
  ]),
};

export const lteRrcServCellInfo: DiagLogDecoder = {
  logCode: LTE_RRC_SERV_CELL_INFO,
  name: 'LTE RRC Serving Cell Info',
  version: (b) => b[0],
  versions: new Map([
    [2, servCellInfo(false)],
    [3, servCellInfo(true)],
  ]),
};
