import { u16, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB889 NR5G MAC RACH Trigger (little-endian; MobileInsight nr_mac_rach_trigger.h, version 2.1 only;
 * SCAT lists the code as a stub without a layout): why the MAC started a random access procedure.
 *
 *   0 minor version u16 | 2 major version u16 (keyed major << 16 | minor: 2.1 = 131073) | 4 sleep u8
 *   | 5 reserved u16 | 7 DL dynamic config change u8 | 8 DL config u8 | 9 UL config (bits 0–3) and ML1
 *   state change (bits 4–7) | 10 reserved u16 | 12 log fields change mask u16 | 14 subscription id u8
 *   | 15 records u8 | 16 C-RNTI u16 | 18 RACH reason u8 | 19 carrier id u8 | 20 first active UL BWP u8
 *   | 21 RACH contention u8 | 22 RA id u8 | 23 Msg3 size u8 | 24 Msg3 list, 6 × u8 (30 bytes in all)
 *
 * Reasons (MobileInsight's names): 0 connection request, 1 radio link failure, 2 handover, 3 UL data
 * arrival, 6 beam failure; other values are kept as `reason_<n>`. TS 38.321 §5.17: on beam failure
 * detection the MAC initiates a random access procedure on the SpCell (beam failure recovery), so a trigger
 * with reason beam failure is the log's record of a declared beam failure. MobileInsight decodes one record
 * whatever `records` says; so does this decoder. No real sample carries this code (fixtures only).
 */

export const NR_MAC_RACH_TRIGGER = 0xb889;

const REASONS: Readonly<Record<number, string>> = {
  0: 'connection_request',
  1: 'radio_link_failure',
  2: 'handover',
  3: 'ul_data_arrival',
  6: 'beam_failure',
};
const CONTENTION: Readonly<Record<number, string>> = {
  0: 'contention_free',
  1: 'dl_mce',
  2: 'ul_grant',
  3: 'pdcch_crnti',
};

const v21: DiagVersionDecoder = (b) => {
  u8(b, 29); // the whole 30-byte layout must be there
  const reason = u8(b, 18);
  const contention = u8(b, 21);
  return {
    subscription_id: u8(b, 14),
    records: u8(b, 15),
    c_rnti: u16(b, 16),
    rach_reason: REASONS[reason] ?? `reason_${reason}`,
    carrier_id: u8(b, 19),
    ul_bwp: u8(b, 20),
    rach_contention: CONTENTION[contention] ?? `contention_${contention}`,
    ra_id: u8(b, 22),
    msg3_size: u8(b, 23),
  };
};

export const nrMacRachTrigger: DiagLogDecoder = {
  logCode: NR_MAC_RACH_TRIGGER,
  name: 'NR5G MAC RACH Trigger',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([[(2 << 16) | 1, v21]]),
};
