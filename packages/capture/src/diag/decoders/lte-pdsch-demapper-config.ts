import {
  DiagDecodeError,
  u16,
  u8,
  type DiagFields,
  type DiagLogDecoder,
  type DiagVersionDecoder,
} from './diag-decoder.js';
import { rntiTypeName } from './lte-rnti-type.js';

/*
 * 0xB126 LTE PHY PDSCH Demapper Configuration, version 23 (little-endian; MobileInsight
 * LtePhyPdschDemapperConfigFmt_v23 and its bit fields), the header only:
 *
 *   0 version u8 | 1 serving cell PCI bits 0–7 | 2 u16: PCI bit 8 in bit 0, subframe bits 1–4, SFN bits 5–14
 *   | 4 PDSCH RNTI u16 | 6 u16: RNTI type bits 0–3, Tx antennas code bits 8–9 (0/1/2: 1/2/4), Rx antennas
 *   code bit 10 (0/1: 1/2), spatial rank index bits 14–15 (rank − 1)
 *   | 8 RB allocation bitmaps (4 × 8 bytes) | 40 PMI, transmission scheme, TB sizes, modulation …
 *
 * Checked on the real logs (MECProj1: 7,065 records of version 23 in five logs, all 56 bytes): the PCI is
 * the serving cell's PCI that 0xB193 reports in the same log (e.g. 314 in the T-Mobile log). The fields
 * after the RB bitmaps are not decoded: the real records are 2 bytes longer than MobileInsight's layout
 * (54), so where the TB sizes and modulations sit is not certain.
 */

export const LTE_PDSCH_DEMAPPER_CONFIG = 0xb126;
const BODY = 56;

/**
 * The fields of a record, in the order the decoded record lists them (`l1t decode` prints them so). One object
 * refilled by each record (issue 13: 141 k of them on the 400 MB bench:diag input, as ab33e3d did for 0xB193): a
 * record's fields are valid until the next 0xB126 record is decoded (DiagDecodeResult.fields) — the DIAG
 * analyzer's KPI windows read the rank during the call, `l1t decode` prints each record first.
 */
class DemapperFields {
  pci = 0;
  sfn = 0;
  subframe = 0;
  rnti = 0;
  rnti_type = '';
  tx_antennas: number | null = null;
  rx_antennas = 0;
  rank = 0;
}

const out = new DemapperFields();

const v23: DiagVersionDecoder = (b) => {
  if (b.length !== BODY) throw new DiagDecodeError(0, `version 23 is ${BODY} bytes, this body ${b.length}`);
  const sf = u16(b, 2);
  const ant = u16(b, 6);
  const tx = (ant >> 8) & 3;
  out.pci = u8(b, 1) | ((sf & 1) << 8);
  out.sfn = (sf >> 5) & 0x3ff;
  out.subframe = (sf >> 1) & 0xf;
  out.rnti = u16(b, 4);
  out.rnti_type = rntiTypeName(ant & 0xf);
  out.tx_antennas = tx === 3 ? null : 1 << tx;
  out.rx_antennas = 1 << ((ant >> 10) & 1);
  out.rank = ((ant >> 14) & 3) + 1;
  return out as unknown as DiagFields;
};

export const ltePdschDemapperConfig: DiagLogDecoder = {
  logCode: LTE_PDSCH_DEMAPPER_CONFIG,
  name: 'LTE PHY PDSCH Demapper Configuration',
  version: (b) => b[0],
  versions: new Map([[23, v23]]),
};
