import type { FindingList } from '../decode/findings.js';
import { decodeExtensions } from './extensions.js';
import type { OranMessage } from './oran-message.js';

/*
 * O-RAN C-plane message (eCPRI type 2; O-RAN WG4 CUS §7.4–§7.6), after the 4-byte app header:
 *
 *   numberOfSections(8) | sectionType(8) | section-type common fields:
 *     type 0: timeOffset(16) | frameStructure: fftSize(4) scs(4) | cpLength(16) | reserved(8)
 *     type 1: udCompHdr(8) | reserved(8)
 *     type 3: timeOffset(16) | frameStructure(8) | cpLength(16) | udCompHdr(8)
 *     type 5: udCompHdr(8) | reserved(8)
 *     type 6: numberOfUEs(8) | reserved(8)
 *   sections:
 *     types 0,1,3,5: sectionId(12) | rb(1) | symInc(1) | startPrbc(10) | numPrbc(8) |
 *                    reMask(12) | numSymbol(4) |
 *                    type 0: reserved(16); 1/3: ef(1) | beamId(15); 5: ef(1) | ueId(15)
 *                    type 3 adds frequencyOffset(24) | reserved(8); then extensions while ef
 *     type 6: ef(1) | ueId(15) | regularizationFactor(16) | reserved(4) | rb | symInc | startPrbc(10) |
 *             numPrbc(8) | channel information numPrbc × antennas × (ciI, ciQ) 16 bits | extensions
 *     type 7: laaMsgType(4) | laaMsgLen(4) | 4 × (laaMsgLen + 1) bytes of LAA message (see LaaMessage)
 *   Type 7 has no section-type common fields (as current Wireshark reads it); type 6 with
 *   numberOfSections 0 carries numberOfUEs sections.
 */

const COMMON_LEN: Record<number, number> = { 0: 6, 1: 2, 3: 6, 5: 2, 6: 2, 7: 0 };

export function decodeCplaneBody(
  data: Uint8Array,
  start: number,
  end: number,
  numBfAntennas: number,
  msg: OranMessage,
  findings: FindingList,
): void {
  msg.sectionCount = 0;
  if (end - start < 2) {
    findings.add('oran_malformed', 'truncated', start, end - start);
    return;
  }
  msg.numberOfSections = data[start]!;
  const st = data[start + 1]!;
  msg.sectionType = st;
  let o = start + 2;
  const common = COMMON_LEN[st];
  if (common === undefined) {
    // 2 and 4 are reserved here; 8–11 belong to later CUS versions (9/10 are UL only, §7.4.2).
    if (st > 11) findings.add('oran_malformed', 'unknown_section_type', start + 1, st);
    else if ((st === 9 || st === 10) && msg.dataDirection === 1)
      findings.add('oran_malformed', 'section_type_direction', start + 1, st);
    else if (st === 2) findings.add('oran_malformed', 'reserved_value', start + 1, st);
    return;
  }
  if (end - o < common) {
    findings.add('oran_malformed', 'truncated', o, end - o);
    return;
  }
  if (st === 0 || st === 3) {
    msg.timeOffset = (data[o]! << 8) | data[o + 1]!;
    msg.fftSize = data[o + 2]! >> 4;
    msg.scs = data[o + 2]! & 15;
    msg.cpLength = (data[o + 3]! << 8) | data[o + 4]!;
    if (st === 3) msg.udCompHdr = data[o + 5]!;
  } else if (st === 1 || st === 5) {
    msg.udCompHdr = data[o]!;
  } else if (st === 6) {
    msg.numberOfUEs = data[o]!;
  }
  o += common;
  const sections = st === 6 && msg.numberOfSections === 0 ? msg.numberOfUEs : msg.numberOfSections;
  for (let i = 0; i < sections; i++) {
    const next =
      st === 6
        ? section6(data, o, end, numBfAntennas, msg, i, findings)
        : st === 7
          ? section7(data, o, end, msg, i, findings)
          : section(data, o, end, st, msg, i, findings);
    if (next < 0) return;
    o = next;
  }
}

function section(
  d: Uint8Array,
  o: number,
  end: number,
  st: number,
  msg: OranMessage,
  i: number,
  findings: FindingList,
): number {
  const len = st === 3 ? 12 : 8;
  if (end - o < len) {
    findings.add('oran_malformed', 'section_overrun', o, i);
    return -1;
  }
  const s = msg.cSection(i);
  msg.sectionCount = i + 1;
  s.offset = o;
  s.sectionId = (d[o]! << 4) | (d[o + 1]! >> 4);
  s.rb = (d[o + 1]! >> 3) & 1;
  s.symInc = (d[o + 1]! >> 2) & 1;
  s.startPrbc = ((d[o + 1]! & 3) << 8) | d[o + 2]!;
  s.numPrbc = d[o + 3]!;
  s.reMask = (d[o + 4]! << 4) | (d[o + 5]! >> 4);
  s.numSymbol = d[o + 5]! & 15;
  s.beamId = s.ueId = -1;
  s.laaMsgType = s.laaMsgLen = -1;
  s.freqOffset = 0;
  s.extensionCount = 0;
  if (st === 0) {
    s.ef = 0;
  } else {
    s.ef = d[o + 6]! >> 7;
    const id = ((d[o + 6]! & 0x7f) << 8) | d[o + 7]!;
    if (st === 5) s.ueId = id;
    else s.beamId = id;
  }
  if (st === 3) {
    const f = (d[o + 8]! << 16) | (d[o + 9]! << 8) | d[o + 10]!;
    s.freqOffset = f & 0x800000 ? f - 0x1000000 : f;
  }
  if (s.numSymbol === 0) findings.add('oran_malformed', 'reserved_value', o + 5, 0);
  if (s.ef === 0) return o + len;
  return decodeExtensions(d, o + len, end, s, s.numPrbc, findings);
}

function section6(
  d: Uint8Array,
  o: number,
  end: number,
  antennas: number,
  msg: OranMessage,
  i: number,
  findings: FindingList,
): number {
  if (end - o < 7) {
    findings.add('oran_malformed', 'section_overrun', o, i);
    return -1;
  }
  const s = msg.cSection(i);
  msg.sectionCount = i + 1;
  s.offset = o;
  s.sectionId = -1;
  s.ef = d[o]! >> 7;
  s.ueId = ((d[o]! & 0x7f) << 8) | d[o + 1]!;
  s.beamId = -1;
  s.regularizationFactor = (((d[o + 2]! << 8) | d[o + 3]!) << 16) >> 16;
  s.rb = (d[o + 4]! >> 3) & 1;
  s.symInc = (d[o + 4]! >> 2) & 1;
  s.startPrbc = ((d[o + 4]! & 3) << 8) | d[o + 5]!;
  s.numPrbc = d[o + 6]!;
  s.reMask = s.numSymbol = -1;
  s.extensionCount = 0;
  const ci = s.numPrbc * antennas * 4;
  const after = o + 7 + ci;
  if (after > end) {
    findings.add('oran_malformed', 'section_overrun', o, i);
    return -1;
  }
  if (s.ef === 0) return after;
  return decodeExtensions(d, after, end, s, s.numPrbc, findings);
}

function section7(d: Uint8Array, o: number, end: number, msg: OranMessage, i: number, findings: FindingList): number {
  if (end - o < 1) {
    findings.add('oran_malformed', 'section_overrun', o, i);
    return -1;
  }
  const s = msg.cSection(i);
  msg.sectionCount = i + 1;
  s.offset = o;
  s.sectionId = -1;
  s.beamId = s.ueId = -1;
  s.reMask = s.numSymbol = -1;
  s.ef = 0;
  s.extensionCount = 0;
  s.laaMsgType = d[o]! >> 4;
  s.laaMsgLen = d[o]! & 15;
  const p = o + 1;
  const next = p + 4 * (s.laaMsgLen + 1);
  if (next > end) {
    findings.add('oran_malformed', 'section_overrun', o, i);
    return -1;
  }
  const m = s.laa;
  m.reset();
  m.lbtHandle = (d[p]! << 8) | d[p + 1]!;
  const b0 = d[p + 2]!;
  const b1 = d[p + 3]!;
  switch (s.laaMsgType) {
    case 0: // LBT_PDSCH_REQ
      m.lbtOffset = (b0 << 2) | (b1 >> 6);
      m.lbtMode = (b1 >> 4) & 3;
      m.lbtDeferFactor = b1 & 7;
      if (next - p >= 6) {
        m.lbtBackoffCounter = (d[p + 4]! << 2) | (d[p + 5]! >> 6);
        m.mcot = (d[p + 5]! >> 2) & 15;
      }
      break;
    case 1: // LBT_DRS_REQ
      m.lbtOffset = (b0 << 2) | (b1 >> 6);
      m.lbtMode = (b1 >> 4) & 3;
      break;
    case 2: // LBT_PDSCH_RSP
      m.lbtPdschRes = b0 >> 6;
      m.initialPartialSF = (b0 >> 5) & 1;
      m.sfStatus = (b0 >> 4) & 1;
      m.sfnSfEnd = ((b0 & 15) << 8) | b1;
      break;
    case 3: // LBT_DRS_RSP
      m.lbtDrsRes = b0 >> 7;
      break;
    case 4: // LBT_Buffer_Error
      m.lbtBufErr = b0 >> 7;
      break;
    case 5: // LBT_CWCONFIG_REQ
      m.lbtCWConfigH = b0;
      m.lbtCWConfigT = b1;
      m.lbtMode = d[p + 4]! >> 6;
      m.lbtTrafficClass = (d[p + 4]! >> 3) & 7;
      break;
    case 6: // LBT_CWCONFIG_RSP
      m.lbtCWRRst = b0 >> 7;
      break;
    default:
      findings.add('oran_malformed', 'reserved_value', o, s.laaMsgType);
  }
  return next;
}
