import { DiagDecodeError, u16, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB88A NR5G MAC RACH Attempt (little-endian; SCAT diagnrlogparser.py `parse_nr_mac_rach_attempt`,
 * versions 2.7 and 3.5 — in a SCAT-lineage copy of the parser, not in fgsect/scat's current master;
 * MobileInsight does not decode it). Keyed major << 16 | minor (2.7 = 131079, 3.5 = 196613).
 *
 *   v2.7: 0 version u32 | 4 sleep, 2 reserved, DL dynamic config change, DL config, UL config / ML1 state
 *     (6 × u8) | 10 reserved u16 | 12 log fields change mask u16 | 14 subscription id u8 | 15 records u8
 *     | 16 attempt u16 | 18 SSB id u8 | 19 CSI-RS id u8 | 20 carrier id u8 | 21 RACH result u8
 *     | 22 contention type u8 | 23 message mask u8 | 24 Msg1 SCS u8 | 25 UL BWP SCS u8 | 26 reserved u16
 *     | 28 messages
 *   v3.5: 0 version u32 | 4 reserved u32 | 8 attempt u16 | 10 SSB id u8 | 11 CSI-RS id u8 | 12 reserved u8
 *     | 13 carrier id u8 | 14 RACH result u8 | 15 contention type u8 | 16 message mask u8 | 17 Msg1 SCS u8
 *     | 18 UL BWP SCS u8 | 19 5 reserved bytes | 24 messages
 *
 *   Messages, in mask order (bit 0 Msg1, 1 Msg2, 2 Msg3, 3 Msg4), each starting with SFN/subframe u16
 *   (10/6 bits), slot u8, SCS u8:
 *     Msg1 v2.7 (28 bytes): symbol start, PRACH config, preamble format, RA id (u8 each) | FDM, u-root, cyclic
 *       shift, RA-RNTI (u16 each) | RAR window start, end (SFN u16, slot u8, SCS u8 each) | backoff u32
 *     Msg1 v3.5 (36 bytes): symbol start u8, preamble format u8, PRACH config u16, u-root u16, RA id u8, FDM u8,
 *       cyclic shift u16, N_CS u16, RA-RNTI u16, path loss u16 | RAR window start, end | backoff u32, reserved u32
 *     Msg2 (12 bytes v2.7, 24 bytes v3.5): max backoff u16 | T-RNTI u16 | TA u16 | RAPID result u8 | SCS u8
 *       (v3.5: then 3 × u32 reserved / RAPID received)
 *     Msg3 (24 bytes): grant u32 | grant bytes u16 | HARQ id u8 | SCS u8 | 12 bytes of the MAC PDU
 *     Msg4 (16 bytes): contention start, contention end (SFN u16, slot u8, SCS u8 each) | C-RNTI u16 | 2 reserved
 *
 * RACH results (SCAT's names): 0 success, 1 Msg2 RA timer expired, 2 Msg2 RAPID mismatch, 3 Msg2 RAR pruned,
 * 4 Msg2 backoff indicator only, 5 Msg4 contention timer expired, 6 Msg4 contention resolution not passed,
 * 7 aborted, 8 suspended, 9 resumed. No real sample carries this code: fixtures only.
 */

export const NR_MAC_RACH_ATTEMPT = 0xb88a;

const RESULTS = [
  'success',
  'msg2_ra_timer_expired',
  'msg2_rapid_mismatch',
  'msg2_rar_pruned',
  'msg2_backoff_only',
  'msg4_ct_timer_expired',
  'msg4_ct_resolution_failed',
  'aborted',
  'suspended',
  'resumed',
];
const CONTENTION = ['contention_free', 'dl_mce', 'ul_grant', 'pdcch_crnti'];

function decoderFor(v35: boolean): DiagVersionDecoder {
  const at = v35
    ? { attempt: 8, ssb: 10, csi: 11, carrier: 13, result: 14, contention: 15, mask: 16, msgs: 24 }
    : { attempt: 16, ssb: 18, csi: 19, carrier: 20, result: 21, contention: 22, mask: 23, msgs: 28 };
  const size = v35 ? [36, 24, 24, 16] : [28, 12, 24, 16];
  return (b) => {
    if (b.length < at.msgs)
      throw new DiagDecodeError(
        b.length,
        `the ${at.msgs}-byte fixed part needs more than the body's ${b.length} bytes`,
      );
    const result = u8(b, at.result);
    const contention = u8(b, at.contention);
    const mask = u8(b, at.mask);
    let p = at.msgs;
    const start: [number | null, number | null, number | null, number | null] = [null, null, null, null];
    for (let m = 0; m < 4; m++) {
      if (!(mask & (1 << m))) continue;
      if (p + size[m]! > b.length)
        throw new DiagDecodeError(p, `Msg${m + 1} (${size[m]} bytes) runs past the body's ${b.length} bytes`);
      start[m] = p;
      p += size[m]!;
    }
    const [m1, m2, m3, m4] = start;
    return {
      attempt: u16(b, at.attempt),
      ssb_id: u8(b, at.ssb),
      csi_rs_id: u8(b, at.csi),
      carrier_id: u8(b, at.carrier),
      rach_result: RESULTS[result] ?? `result_${result}`,
      contention: CONTENTION[contention] ?? `contention_${contention}`,
      messages: mask & 0x0f,
      ra_id: m1 === null ? null : u8(b, m1 + (v35 ? 10 : 7)),
      ra_rnti: m1 === null ? null : u16(b, m1 + (v35 ? 16 : 14)),
      tc_rnti: m2 === null ? null : u16(b, m2 + 6),
      timing_advance: m2 === null ? null : u16(b, m2 + 8),
      msg3_grant_bytes: m3 === null ? null : u16(b, m3 + 8),
      c_rnti: m4 === null ? null : u16(b, m4 + 12),
    };
  };
}

export const nrMacRachAttempt: DiagLogDecoder = {
  logCode: NR_MAC_RACH_ATTEMPT,
  name: 'NR5G MAC RACH Attempt',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([
    [(2 << 16) | 7, decoderFor(false)],
    [(3 << 16) | 5, decoderFor(true)],
  ]),
};
