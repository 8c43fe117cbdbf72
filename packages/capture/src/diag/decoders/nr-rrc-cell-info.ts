import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB822 NR5G RRC MIB Info and 0xB823 NR5G RRC Serving Cell Info (little-endian; SCAT
 * diagnrlogparser.py `parse_nr_mib_info` / `parse_nr_rrc_scell_info`, whose tests carry device payloads —
 * the fixtures here use them byte for byte; MobileInsight decodes neither). The version is a u32, i.e.
 * minor u16 | major u16, keyed major << 16 | minor like the other NR codes.
 *
 * 0xB822, versions 0.3 (14 bytes) and 2.0 (15 bytes): 0 version u32 | 4 PCI u16 | 6 NR-ARFCN u32
 *   | 10 MIB fields, 4 bytes (0.3) or 5 bytes (2.0) read as one little-endian integer: SFN in bits 0–9,
 *   subCarrierSpacingCommon in bits 30–31 (0.3) or 31–32 (2.0), SCAT's map 0 → 15, 1 → 30, 2 → 60,
 *   3 → 120 kHz. (A SCAT-lineage copy reads the SFN's two high bits from bits 14–15 instead; the device
 *   payloads of SCAT's tests give 798 only with bits 0–9, so that reading is the one kept.)
 *
 * 0xB823, versions 0.4 (38 bytes), 3.0 (46), 3.2 and 3.3 (49: three unknown bytes after the version):
 *   [v3.x: NR CGI u64] … PCI u16 | DL NR-ARFCN u32 | UL NR-ARFCN u32 | DL bandwidth u16 | UL bandwidth u16
 *   (MHz) | cell identity u64 | MCC u16 | MNC digits u8 | MNC u16 | allowed access u8 | TAC u32 | band u16
 *   — with the NR CGI between PCI and DL NR-ARFCN in 3.x. Version 3.0 has no public payload (SCAT's layout).
 * No real sample in ../shared/samples carries either code.
 */

export const NR_RRC_MIB_INFO = 0xb822;
export const NR_RRC_SERV_CELL_INFO = 0xb823;

const SCS_KHZ = [15, 30, 60, 120];

const version = (b: Uint8Array): number | undefined => (b.length >= 4 ? u32(b, 0) : undefined);

function need(b: Uint8Array, n: number): void {
  if (b.length < n) throw new DiagDecodeError(b.length, `the layout needs ${n} bytes but the body has ${b.length}`);
}

function mibFor(v20: boolean): DiagVersionDecoder {
  return (b) => {
    need(b, v20 ? 15 : 14);
    const lo = u32(b, 10);
    const scs = v20 ? (lo >>> 31) | ((u8(b, 14) & 1) << 1) : lo >>> 30;
    return { pci: u16(b, 4), arfcn: u32(b, 6), sfn: lo & 0x3ff, scs_common: scs, scs_khz: SCS_KHZ[scs]! };
  };
}

/** A u64 at `o` as 16 hex digits (the NR CGI words of 0xB823 and 0xB825 v3.x). */
export const hex64 = (b: Uint8Array, o: number): string =>
  u32(b, o + 4)
    .toString(16)
    .padStart(8, '0') + u32(b, o).toString(16).padStart(8, '0');

function servCellFor(start: number, cgi: boolean): DiagVersionDecoder {
  const size = start + 34 + (cgi ? 8 : 0);
  return (b) => {
    need(b, size);
    const pci = u16(b, start);
    const o = start + 2 + (cgi ? 8 : 0);
    const mncDigits = u8(b, o + 22);
    const mnc = u16(b, o + 23);
    return {
      pci,
      ...(cgi ? { nr_cgi: hex64(b, start + 2) } : {}),
      dl_arfcn: u32(b, o),
      ul_arfcn: u32(b, o + 4),
      dl_bandwidth_mhz: u16(b, o + 8),
      ul_bandwidth_mhz: u16(b, o + 10),
      // 36 bits (TS 38.413 NR Cell Identity): exact as a number
      cell_identity: u32(b, o + 12) + u32(b, o + 16) * 2 ** 32,
      mcc: u16(b, o + 20),
      mnc: String(mnc).padStart(mncDigits === 3 ? 3 : 2, '0'),
      allowed_access: u8(b, o + 25),
      tac: u32(b, o + 26),
      band: u16(b, o + 30),
    };
  };
}

export const nrRrcMibInfo: DiagLogDecoder = {
  logCode: NR_RRC_MIB_INFO,
  name: 'NR5G RRC MIB Info',
  version,
  versions: new Map([
    [3, mibFor(false)],
    [2 << 16, mibFor(true)],
  ]),
};

export const nrRrcServCellInfo: DiagLogDecoder = {
  logCode: NR_RRC_SERV_CELL_INFO,
  name: 'NR5G RRC Serving Cell Info',
  version,
  versions: new Map([
    [4, servCellFor(4, false)],
    [3 << 16, servCellFor(4, true)],
    [(3 << 16) | 2, servCellFor(7, true)],
    [(3 << 16) | 3, servCellFor(7, true)],
  ]),
};
