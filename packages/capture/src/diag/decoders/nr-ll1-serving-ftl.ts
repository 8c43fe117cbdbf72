import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB8DD NR5G LL1 FW Serving FTL (frequency/time tracking loop; little-endian; MobileInsight
 * nr_ll1_fw_serving_ftl.h and consts.h `NR_LL1_FW_Serving_FTL = 0xB8DD`, version 7 only; SCAT lists the
 * code as an unnamed stub). NOT a radio link monitoring log: it carries no in-sync / out-of-sync
 * indication, T310 or RLF — reference/diag.md's "NR5G ML1 RLM / RLF" for this code does not match either
 * open decoder, so nothing of out_of_sync / radio_link_failure is read from it.
 *
 *   0 version u32 | 4 reserved u8 | 5 cell id: bits 6–15 of a u16 | 7 SSB (0) or TRS (1) in bit 0
 *   | 8 carrier index u8 | 9 reserved u16 | 11 HST (high-speed train) mode u8 | 12 64 reserved bytes
 *   | 76 FTL SNR raw u32 × 4  (92 bytes)
 *
 * MobileInsight turns a raw SNR into dB with an empirical fit, 4.241 · ln(raw − 30.2) − 29.27, and shows
 * "NA" for 0; given here as `ftl_snr_db` with that fit (null where the fit is undefined), the raw beside it.
 * No real sample carries this code: fixtures only.
 */

export const NR_LL1_SERVING_FTL = 0xb8dd;
const SIZE = 92;

const v7: DiagVersionDecoder = (b) => {
  if (b.length < SIZE) throw new DiagDecodeError(b.length, `version 7 is ${SIZE} bytes, the body ${b.length}`);
  const raw = [0, 1, 2, 3].map((i) => u32(b, 76 + 4 * i));
  return {
    cell_id: (u16(b, 5) >> 6) & 0x3ff,
    reference_signal: u8(b, 7) & 1 ? 'TRS' : 'SSB',
    carrier_index: u8(b, 8),
    hst_mode: u8(b, 11),
    ftl_snr_raw: raw,
    ftl_snr_db: raw.map((r) => (r > 30.2 ? Math.round((4.241 * Math.log(r - 30.2) - 29.27) * 100) / 100 : null)),
  };
};

export const nrLl1ServingFtl: DiagLogDecoder = {
  logCode: NR_LL1_SERVING_FTL,
  name: 'NR5G LL1 FW Serving FTL',
  version: (b) => (b.length >= 4 ? u32(b, 0) : undefined),
  versions: new Map([[7, v7]]),
};
