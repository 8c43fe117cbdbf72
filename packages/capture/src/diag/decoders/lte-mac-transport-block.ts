import {
  DiagDecodeError,
  u16,
  u8,
  type DiagFields,
  type DiagLogDecoder,
  type DiagVersionDecoder,
} from './diag-decoder.js';
import { macControlElements } from './lte-mac-header.js';
import { rntiTypeName } from './lte-rnti-type.js';
import { subPacketBounds, subPacketVersion } from './sub-packets.js';

/*
 * 0xB063 LTE MAC DL Transport Block and 0xB064 LTE MAC UL Transport Block (little-endian; SCAT
 * diagltelogparser.py parse_lte_mac_subpkt_v1, MobileInsight "LTE_MAC_DL/UL_Transport_Block"):
 *
 *   0 packet version u8 (1) | 1 sub-packet count u8 | 2 reserved u16
 *   4 sub-packets: id u8 | version u8 | size u16 (header included, padded to 4 bytes) | body
 *   body: sample count u8, then per sample a fixed part and `header length` bytes of MAC header + CEs
 *
 *   DL (sub-packet 7), version 2, 12-byte fixed part:
 *     SFN/SF u16 (SFN bits 4–15) | RNTI type u8 | HARQ id u8 | PMCH id u16 | TB size u16 (bytes)
 *     | RLC PDUs u8 | padding u16 (bytes) | header length u8
 *   DL version 4: sub id u8 | cell index u8 | then the version-2 part (14 bytes)
 *   UL (sub-packet 8), version 1, 12-byte fixed part:
 *     HARQ id u8 | RNTI type u8 | SFN/SF u16 | grant u16 (bytes) | RLC PDUs u8 | padding u16 (bytes)
 *     | BSR event u8 | BSR trigger u8 | header length u8
 *   UL version 2: sub id u8 | cell index u8 | then the version-1 part (14 bytes)
 *
 * SCAT reads UL version 1 as SFN/SF first, but its own version 2 (and the real logs) put the HARQ id first:
 * read that way, in the MECProj1 Nexus 6P and Galaxy S5 logs (206 UL + 362 DL records) the UL SFN/SF words
 * run with the DL ones of the same second, subframes spread over 0–9 and HARQ ids over 0–7. Checked there:
 * every sample fits its sub-packet (at most 3 pad bytes), DL TB size = header + SDU length + padding.
 * The keyed version is the sub-packet's; RNTI types: lte-rnti-type.ts.
 */

export const LTE_MAC_DL_TRANSPORT_BLOCK = 0xb063;
export const LTE_MAC_UL_TRANSPORT_BLOCK = 0xb064;
const DL_SUBPACKET = 7;
const UL_SUBPACKET = 8;

function dlDecoder(prefix: number): DiagVersionDecoder {
  return (b) => {
    const [start, end] = subPacketBounds(b, DL_SUBPACKET);
    const n = u8(b, start);
    const f = {
      samples: n,
      cell_index: [] as number[],
      sfn: [] as number[],
      subframe: [] as number[],
      rnti_type: [] as string[],
      harq_id: [] as number[],
      pmch_id: [] as number[],
      tb_size_bytes: [] as number[],
      rlc_pdus: [] as number[],
      padding_bytes: [] as number[],
      ta_command: [] as (number | null)[],
    };
    let p = start + 1;
    for (let i = 0; i < n; i++) {
      const s = p + prefix;
      const hl = u8(b, s + 11);
      if (s + 12 + hl > end)
        throw new DiagDecodeError(p, `sample ${i} (${prefix + 12 + hl} bytes) runs past its sub-packet's end ${end}`);
      const sf = u16(b, s);
      f.cell_index.push(prefix ? u8(b, p + 1) : 0);
      f.sfn.push(sf >> 4);
      f.subframe.push(sf & 0xf);
      f.rnti_type.push(rntiTypeName(u8(b, s + 2)));
      f.harq_id.push(u8(b, s + 3));
      f.pmch_id.push(u16(b, s + 4));
      f.tb_size_bytes.push(u16(b, s + 6));
      f.rlc_pdus.push(u8(b, s + 8));
      f.padding_bytes.push(u16(b, s + 9));
      f.ta_command.push(macControlElements(b.subarray(s + 12, s + 12 + hl), true).taCommand);
      p = s + 12 + hl;
    }
    return f as DiagFields;
  };
}

function ulDecoder(prefix: number): DiagVersionDecoder {
  return (b) => {
    const [start, end] = subPacketBounds(b, UL_SUBPACKET);
    const n = u8(b, start);
    const f = {
      samples: n,
      cell_index: [] as number[],
      harq_id: [] as number[],
      rnti_type: [] as string[],
      sfn: [] as number[],
      subframe: [] as number[],
      grant_bytes: [] as number[],
      rlc_pdus: [] as number[],
      padding_bytes: [] as number[],
      bsr_event: [] as number[],
      bsr_trigger: [] as number[],
      power_headroom_db: [] as (number | null)[],
    };
    let p = start + 1;
    for (let i = 0; i < n; i++) {
      const s = p + prefix;
      const hl = u8(b, s + 11);
      if (s + 12 + hl > end)
        throw new DiagDecodeError(p, `sample ${i} (${prefix + 12 + hl} bytes) runs past its sub-packet's end ${end}`);
      const sf = u16(b, s + 2);
      f.cell_index.push(prefix ? u8(b, p + 1) : 0);
      f.harq_id.push(u8(b, s));
      f.rnti_type.push(rntiTypeName(u8(b, s + 1)));
      f.sfn.push(sf >> 4);
      f.subframe.push(sf & 0xf);
      f.grant_bytes.push(u16(b, s + 4));
      f.rlc_pdus.push(u8(b, s + 6));
      f.padding_bytes.push(u16(b, s + 7));
      f.bsr_event.push(u8(b, s + 9));
      f.bsr_trigger.push(u8(b, s + 10));
      f.power_headroom_db.push(macControlElements(b.subarray(s + 12, s + 12 + hl), false).powerHeadroomDb);
      p = s + 12 + hl;
    }
    return f as DiagFields;
  };
}

export const lteMacDlTransportBlock: DiagLogDecoder = {
  logCode: LTE_MAC_DL_TRANSPORT_BLOCK,
  name: 'LTE MAC DL Transport Block',
  version: (b) => subPacketVersion(b, DL_SUBPACKET),
  versions: new Map([
    [2, dlDecoder(0)],
    [4, dlDecoder(2)],
  ]),
};

export const lteMacUlTransportBlock: DiagLogDecoder = {
  logCode: LTE_MAC_UL_TRANSPORT_BLOCK,
  name: 'LTE MAC UL Transport Block',
  version: (b) => subPacketVersion(b, UL_SUBPACKET),
  versions: new Map([
    [1, ulDecoder(0)],
    [2, ulDecoder(2)],
  ]),
};
