import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB883 NR5G MAC UL Physical Channel Schedule Report (little-endian; MobileInsight
 * nr_mac_ul_physical_channel_schedule_report.h and consts.h `NR_MAC_UL_Physical_Channel_Schedule_Report =
 * 0xB883`, version 2.8 only; SCAT names it in a stub list). reference/diag.md files 0xB883 under "PUSCH": the
 * record lists, per slot and carrier, the UL physical channels scheduled — the UL grants.
 *
 *   0 minor version u16 | 2 major version u16 (2.8 = 131080) | 4 sleep, beam change, signal change, DL
 *   dynamic config change, DL config, UL config (u8 each) | 10 reserved u16 | 12 log fields change mask u16
 *   | 14 reserved u8 | 15 records u8 | 16 records:
 *     slot u8 | numerology u8 | frame u16 | carriers u8 | 3 reserved  (8 bytes), then per carrier:
 *       channel mask u16 (bits 0–3 carrier id, 7 PUSCH, 8 PUCCH, 9 SRS) | reserved u16, then in that order
 *       PUSCH 40 bytes if bit 7, PUCCH 20 bytes if bit 8, SRS 20 bytes if bit 9.
 *   PUSCH, read as one little-endian bit field (MobileInsight's BIT_STREAM_LITTLE_ENDIAN string read from its
 *   end): bits 5–8 symbols, 9–12 HARQ id, 13–17 MCS, 24–31 first RB, 32–40 RBs, 42–55 TB size (bytes).
 *   MobileInsight also reads a 1-bit "start symbol" at bit 4 (too narrow for symbols 0–13) and calls its
 *   whole reading "partial results": that field is left out; PUCCH and SRS contents it does not read either.
 *
 * No real sample carries this code: the layout is MobileInsight's, checked against the fixtures only.
 */

export const NR_MAC_UL_SCHEDULE = 0xb883;
const HEADER = 16;
const RECORD = 8;
const CARRIER = 4;
const PUSCH = 40;
const PUCCH = 20;
const SRS = 20;

/** Bits [shift, shift + width) of the little-endian bit field starting at byte `o` (width ≤ 16). */
function field(b: Uint8Array, o: number, shift: number, width: number): number {
  const at = o + (shift >> 3);
  const word = u32(b, at); // the PUSCH block is 40 bytes: a u32 from any byte below 36 stays inside it
  return (word >>> (shift & 7)) & ((1 << width) - 1);
}

const v28: DiagVersionDecoder = (b) => {
  if (b.length < HEADER) throw new DiagDecodeError(b.length, `the ${HEADER}-byte header needs more bytes`);
  const n = u8(b, 15);
  const f = {
    records: n,
    pusch_grants: 0,
    pucch: 0,
    srs: 0,
    frame: [] as number[],
    slot: [] as number[],
    carrier_id: [] as number[],
    harq_id: [] as number[],
    mcs: [] as number[],
    symbols: [] as number[],
    rb_start: [] as number[],
    rbs: [] as number[],
    tb_size_bytes: [] as number[],
  };
  let p = HEADER;
  for (let i = 0; i < n; i++) {
    if (p + RECORD > b.length) throw new DiagDecodeError(p, `record ${i} runs past the body's ${b.length} bytes`);
    const slot = u8(b, p);
    const frame = u16(b, p + 2);
    const carriers = u8(b, p + 4);
    p += RECORD;
    for (let c = 0; c < carriers; c++) {
      if (p + CARRIER > b.length) throw new DiagDecodeError(p, `carrier ${c} of record ${i} runs past the body`);
      const mask = u16(b, p);
      p += CARRIER;
      const need = (mask & 0x80 ? PUSCH : 0) + (mask & 0x100 ? PUCCH : 0) + (mask & 0x200 ? SRS : 0);
      if (p + need > b.length)
        throw new DiagDecodeError(p, `the channels of carrier ${c} (${need} bytes) run past the body`);
      if (mask & 0x80) {
        f.pusch_grants++;
        f.frame.push(frame);
        f.slot.push(slot);
        f.carrier_id.push(mask & 0x0f);
        f.symbols.push(field(b, p, 5, 4));
        f.harq_id.push(field(b, p, 9, 4));
        f.mcs.push(field(b, p, 13, 5));
        f.rb_start.push(field(b, p, 24, 8));
        f.rbs.push(field(b, p, 32, 9));
        f.tb_size_bytes.push(field(b, p, 42, 14));
        p += PUSCH;
      }
      if (mask & 0x100) {
        f.pucch++;
        p += PUCCH;
      }
      if (mask & 0x200) {
        f.srs++;
        p += SRS;
      }
    }
  }
  return f;
};

export const nrMacUlSchedule: DiagLogDecoder = {
  logCode: NR_MAC_UL_SCHEDULE,
  name: 'NR5G MAC UL Physical Channel Schedule Report',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([[(2 << 16) | 8, v28]]),
};
