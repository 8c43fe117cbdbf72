import { formatMac } from '../layers/format-address.js';
import { Inferred } from '../oran/oran-message.js';
import { ptpIdentityHex } from '../ptp/ptp-message.js';
import type { DecodedPacket } from './decoded-packet.js';

/*
 * The `l1t decode` JSON object (reference/interfaces.md): keys are Wireshark display-filter field
 * names. A field that occurs several times in a packet (sections, PRB exponents, concatenated eCPRI
 * messages) is an array in packet order; once, a scalar. Where Wireshark versions differ we follow
 * current Wireshark: the U-plane symbol is `oran_fh_cus.symbolId` and `ecpri.pcid`/`ecpri.rtcid` are
 * given for O-RAN messages too. Not for the hot path: this allocates.
 */

type Fields = Record<string, unknown>;

function macString(v: number): string {
  let s = '';
  for (let shift = 40; shift >= 0; shift -= 8) {
    const b = Math.floor(v / 2 ** shift) % 256;
    s += (shift === 40 ? '' : ':') + b.toString(16).padStart(2, '0');
  }
  return s;
}

/** `frame.time_epoch` as tshark prints it: seconds with 9 decimals. */
export function timeEpochString(tsNs: bigint): string {
  const neg = tsNs < 0n;
  const abs = neg ? -tsNs : tsNs;
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}`;
}

function put(f: Fields, key: string, v: unknown): void {
  const prev = f[key];
  if (prev === undefined) f[key] = v;
  else if (Array.isArray(prev) && (prev as unknown[] & { multi?: true }).multi) (prev as unknown[]).push(v);
  else {
    const arr = [prev, v] as unknown[] & { multi?: true };
    arr.multi = true;
    f[key] = arr;
  }
}

function bigintValue(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Every field the decoder knows for this packet, keyed by Wireshark field name. */
function allFields(p: DecodedPacket): Fields {
  const f: Fields = {};
  f['frame.number'] = p.index;
  f['frame.time_epoch'] = timeEpochString(p.tsNs);
  f['frame.len'] = p.data.length;
  const l = p.link;
  if (l.srcMacOffset >= 0 && l.dstMacOffset >= 0) {
    f['eth.dst'] = formatMac(p.data, l.dstMacOffset);
    f['eth.src'] = formatMac(p.data, l.srcMacOffset);
  }
  for (let i = 0; i < l.vlanIds.length; i++) {
    put(f, 'vlan.priority', l.vlanPcps[i]);
    put(f, 'vlan.id', l.vlanIds[i]);
  }
  if (l.ethertype >= 0) f['eth.type'] = l.ethertype;
  if (l.l4kind === 'udp') {
    f['udp.srcport'] = l.srcPort;
    f['udp.dstport'] = l.dstPort;
  }
  if (p.kind === 'ecpri') ecpriFields(p, f);
  else if (p.kind === 'ptp') ptpFields(p, f);
  if (p.findings.count > 0) {
    f['l1t.findings'] = p.findings.toArray().map((x) => ({ type: x.type, code: x.code, offset: x.byteOffset, value: x.value }));
  }
  return unmark(f);
}

function unmark(f: Fields): Fields {
  for (const k of Object.keys(f)) {
    const v = f[k];
    if (Array.isArray(v)) delete (v as { multi?: true }).multi;
  }
  return f;
}

function ecpriFields(p: DecodedPacket, f: Fields): void {
  for (let i = 0; i < p.ecpri.count; i++) {
    const m = p.ecpri.messages[i]!;
    put(f, 'ecpri.revision', m.revision);
    put(f, 'ecpri.reserved', m.reserved);
    put(f, 'ecpri.cbit', m.cBit);
    put(f, 'ecpri.type', m.messageType);
    put(f, 'ecpri.size', m.payloadSize);
    const t = m.messageType;
    if (m.pcId >= 0) put(f, t === 2 ? 'ecpri.rtcid' : 'ecpri.pcid', m.pcId);
    if (t === 2 && m.pcId >= 0) put(f, 'ecpri.pcid', m.pcId); // current Wireshark: eAxC as pcid for O-RAN too
    if (m.seqId >= 0) put(f, 'ecpri.seqid', m.seqId);
    if (t === 4 && m.rmaId >= 0) {
      put(f, 'ecpri.rmaid', m.rmaId);
      put(f, 'ecpri.rw', m.readWrite);
      put(f, 'ecpri.reqresp', m.requestResponse);
      put(f, 'ecpri.elementid', m.elementId);
      put(f, 'ecpri.address', macString(m.address));
      put(f, 'ecpri.length', m.dataLength);
    }
    if (t === 5) {
      if (m.measurementId >= 0) put(f, 'ecpri.measurementid', m.measurementId);
      if (m.actionType >= 0) put(f, 'ecpri.actiontype', m.actionType);
      if (m.timestampSec >= 0) {
        put(f, 'ecpri.sec', m.timestampSec);
        put(f, 'ecpri.nanosec', m.timestampNs);
        put(f, 'ecpri.compval', bigintValue(m.compensationValue));
      }
    }
    if (t === 6 && m.resetId >= 0) {
      put(f, 'ecpri.resetid', m.resetId);
      if (m.resetCode >= 0) put(f, 'ecpri.resetcode', m.resetCode);
    }
    if (t === 7 && m.eventId >= 0) {
      put(f, 'ecpri.eventid', m.eventId);
      put(f, 'ecpri.eventtype', m.eventType);
      put(f, 'ecpri.seqnum', m.sequenceNumber);
      put(f, 'ecpri.numberfaultnotif', m.numberOfFaults);
      for (let k = 0; k < m.elementCount; k++) {
        const el = m.elements[k]!;
        put(f, 'ecpri.elementid', el.elementId);
        put(f, 'ecpri.raisecease', el.raiseCease);
        put(f, 'ecpri.faultnotif', el.faultNotif);
        put(f, 'ecpri.addinfo', el.additionalInfo);
      }
    }
  }
  if (p.hasOran) oranFields(p, f);
}

function oranFields(p: DecodedPacket, f: Fields): void {
  const o = p.oran;
  const pre = 'oran_fh_cus.';
  f[pre + 'du_port_id'] = o.duPortId;
  f[pre + 'bandsector_id'] = o.bandSectorId;
  f[pre + 'cc_id'] = o.ccId;
  f[pre + 'ru_port_id'] = o.ruPortId;
  if (!o.headerComplete) return;
  f[pre + 'sequence_id'] = o.sequenceId;
  f[pre + 'e_bit'] = o.eBit;
  f[pre + 'subsequence_id'] = o.subsequenceId;
  f[pre + 'data_direction'] = o.dataDirection;
  f[pre + 'payloadVersion'] = o.payloadVersion;
  f[pre + 'filterIndex'] = o.filterIndex;
  f[pre + 'frameId'] = o.frameId;
  f[pre + 'subframe_id'] = o.subframeId;
  f[pre + 'slotId'] = o.slotId;
  if (o.plane === 'u') {
    f[pre + 'symbolId'] = o.symbolId;
    f[pre + 'numberOfSections'] = o.sectionCount; // not carried in U-plane: sections decoded, as Wireshark shows it
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      put(f, pre + 'sectionId', s.sectionId);
      put(f, pre + 'rb', s.rb);
      put(f, pre + 'symInc', s.symInc);
      put(f, pre + 'startPrbu', s.startPrbu);
      put(f, pre + 'numPrbu', s.numPrbu);
      if (s.udCompHdr >= 0) {
        put(f, pre + 'udCompHdrWidth', s.udCompHdr >> 4);
        put(f, pre + 'udCompHdrMeth', s.udCompHdr & 15);
      }
    }
    // Our own (non-Wireshark) per-section IQ summary and what the heuristics had to guess.
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      put(f, 'l1t.iq_width', s.iqWidth);
      put(f, 'l1t.comp_method', s.compMethod);
      if (s.iqSupported) {
        put(f, 'l1t.zero_prbs', s.zeroPrbs);
        put(f, 'l1t.clipped_prbs', s.clippedPrbs);
      }
    }
    if (o.inferred !== 0) {
      const guessed: string[] = [];
      if (o.inferred & Inferred.IQ_WIDTH) guessed.push('iq_width');
      if (o.inferred & Inferred.COMP_METHOD) guessed.push('comp_method');
      if (o.inferred & Inferred.COMP_HDR) guessed.push('comp_hdr');
      if (o.inferred & Inferred.NRB) guessed.push('nrb');
      f['l1t.inferred'] = guessed;
    }
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      if (s.compMethod !== 1) continue;
      const n = Math.min(s.nPrb, o.prbCount - s.prbIndex);
      for (let k = 0; k < n; k++) put(f, pre + 'exponent', o.prbExponent[s.prbIndex + k]);
    }
    return;
  }
  f[pre + 'startSymbolId'] = o.symbolId;
  if (o.sectionType < 0) return;
  f[pre + 'numberOfSections'] = o.numberOfSections;
  f[pre + 'sectionType'] = o.sectionType;
  if (o.timeOffset >= 0) {
    f[pre + 'timeOffset'] = o.timeOffset;
    f[pre + 'frameStructure.fft'] = o.fftSize;
    f[pre + 'frameStructure.spacing'] = o.scs;
    f[pre + 'cpLength'] = o.cpLength;
  }
  if (o.udCompHdr >= 0) {
    f[pre + 'udCompHdrWidth'] = o.udCompHdr >> 4;
    f[pre + 'udCompHdrMeth'] = o.udCompHdr & 15;
  }
  if (o.numberOfUEs >= 0) f[pre + 'numberOfUEs'] = o.numberOfUEs;
  for (let i = 0; i < o.sectionCount; i++) {
    const s = o.cSections[i]!;
    if (s.sectionId >= 0) put(f, pre + 'sectionId', s.sectionId);
    if (s.laaMsgType >= 0) {
      put(f, pre + 'laaMsgType', s.laaMsgType);
      put(f, pre + 'laaMsgLen', s.laaMsgLen);
      const l = s.laa;
      const laa: [string, number][] = [
        ['lbtHandle', l.lbtHandle], ['lbtOffset', l.lbtOffset], ['lbtMode', l.lbtMode], ['lbtDeferFactor', l.lbtDeferFactor],
        ['lbtBackoffCounter', l.lbtBackoffCounter], ['MCOT', l.mcot], ['lbtPdschRes', l.lbtPdschRes],
        ['initialPartialSF', l.initialPartialSF], ['sfStatus', l.sfStatus], ['sfnSfEnd', l.sfnSfEnd], ['lbtDrsRes', l.lbtDrsRes],
        ['lbtBufErr', l.lbtBufErr], ['lbtCWConfig_H', l.lbtCWConfigH], ['lbtCWConfig_T', l.lbtCWConfigT],
        ['lbtTrafficClass', l.lbtTrafficClass], ['lbtCWR_Rst', l.lbtCWRRst],
      ];
      for (const [k, v] of laa) if (v >= 0) put(f, pre + k, v);
      continue;
    }
    put(f, pre + 'rb', s.rb);
    put(f, pre + 'symInc', s.symInc);
    put(f, pre + 'startPrbc', s.startPrbc);
    put(f, pre + 'numPrbc', s.numPrbc);
    if (s.reMask >= 0) {
      put(f, pre + 'reMask', s.reMask);
      put(f, pre + 'numSymbol', s.numSymbol);
    }
    if (o.sectionType !== 0) put(f, pre + 'ef', s.ef === 1);
    if (s.beamId >= 0) put(f, pre + 'beamId', s.beamId);
    if (s.ueId >= 0) put(f, pre + 'ueId', s.ueId);
    if (o.sectionType === 3) put(f, pre + 'freqOffset', s.freqOffset);
    if (o.sectionType === 6) put(f, pre + 'regularizationFactor', s.regularizationFactor);
    for (let k = 0; k < s.extensionCount; k++) {
      const e = s.extensions[k]!;
      put(f, pre + 'ef', e.ef === 1); // Wireshark shows each extension's ef under the same name
      put(f, pre + 'extType', e.extType);
      put(f, pre + 'extLen', e.extLen);
      if (e.bfwIqWidth >= 0) {
        put(f, pre + 'bfwCompHdr_iqWidth', e.bfwIqWidth);
        put(f, pre + 'bfwCompHdr_compMeth', e.bfwCompMeth);
      }
      if (e.bfwExponent >= 0) put(f, pre + 'exponent', e.bfwExponent);
      if (e.extType === 4 && e.modCompScaler >= 0) {
        put(f, pre + 'csf', e.csf === 1);
        put(f, pre + 'modcompscaler', e.modCompScaler);
      }
      if (e.extType === 6 && e.rbgSize >= 0) {
        put(f, pre + 'repetition', e.repetition);
        put(f, pre + 'rbgSize', e.rbgSize);
        put(f, pre + 'rbgMask', e.rbgMask);
        put(f, pre + 'priority', e.priority);
        put(f, pre + 'symbolMask', e.symbolMask);
      }
      if (e.extType === 10 && e.beamGroupType >= 0) {
        put(f, pre + 'beamGroupType', e.beamGroupType);
        put(f, pre + 'numPortc', e.numPortc);
      }
      // Wireshark lists the port / bundle beam ids of ext 10 and 11 under beamId as well.
      for (let b = 0; b < e.beamIdCount; b++) put(f, pre + 'beamId', e.beamIds[b]);
      if (e.extType === 11 && e.numBundPrb >= 0) {
        put(f, pre + 'disableBFWs', e.disableBFWs === 1);
        put(f, pre + 'rad', e.rad === 1);
        put(f, pre + 'numBundPrbs', e.numBundPrb);
      }
    }
  }
}

const TIMESTAMP_PREFIX: Record<number, string> = {
  0: 'ptp.v2.sdr.origintimestamp',
  1: 'ptp.v2.sdr.origintimestamp',
  2: 'ptp.v2.pdrq.origintimestamp',
  3: 'ptp.v2.pdrs.requestreceipttimestamp',
  8: 'ptp.v2.fu.preciseorigintimestamp',
  9: 'ptp.v2.dr.receivetimestamp',
  10: 'ptp.v2.pdfu.responseorigintimestamp',
  11: 'ptp.v2.an.origintimestamp',
};

function ptpFields(p: DecodedPacket, f: Fields): void {
  const m = p.ptp;
  if (!m.valid) return;
  f['ptp.v2.majorsdoid'] = m.majorSdoId;
  f['ptp.v2.messagetype'] = m.messageType;
  f['ptp.v2.versionptp'] = m.version;
  f['ptp.v2.messagelength'] = m.messageLength;
  f['ptp.v2.domainnumber'] = m.domainNumber;
  f['ptp.v2.flags'] = m.flags;
  f['ptp.v2.flags.twostep'] = m.twoStep;
  f['ptp.v2.flags.timescale'] = m.ptpTimescale;
  f['ptp.v2.correction.ns'] = bigintValue(m.correctionField >> 16n);
  f['ptp.v2.clockidentity'] = ptpIdentityHex(m.clockIdentityHi, m.clockIdentityLo);
  f['ptp.v2.sourceportid'] = m.sourcePort;
  f['ptp.v2.sequenceid'] = m.sequenceId;
  f['ptp.v2.controlfield'] = m.controlField;
  f['ptp.v2.logmessageperiod'] = m.logMessageInterval;
  const ts = TIMESTAMP_PREFIX[m.messageType];
  // In IEEE 802.1AS (gPTP, majorSdoId 1) a two-step Sync carries 10 reserved bytes, not a timestamp
  // (802.1AS §11.4.3); Wireshark then shows `ptp.v2.sync.reserved` instead.
  if (ts !== undefined && m.timestampSec >= 0 && !(m.messageType === 0 && m.twoStep && m.majorSdoId === 1)) {
    f[ts + '.seconds'] = m.timestampSec;
    f[ts + '.nanoseconds'] = m.timestampNs;
  }
  if (m.requestingPort >= 0 && (m.messageType === 9 || m.messageType === 3 || m.messageType === 10)) {
    const pre = m.messageType === 9 ? 'ptp.v2.dr.requesting' : m.messageType === 3 ? 'ptp.v2.pdrs.requesting' : 'ptp.v2.pdfu.requesting';
    f[pre + (m.messageType === 3 ? 'portidentity' : 'sourceportidentity')] = ptpIdentityHex(m.requestingClockIdentityHi, m.requestingClockIdentityLo);
    f[pre + 'sourceportid'] = m.requestingPort;
  }
  if (m.messageType === 11 && m.clockClass >= 0) {
    f['ptp.v2.an.origincurrentutcoffset'] = m.currentUtcOffset;
    f['ptp.v2.an.priority1'] = m.grandmasterPriority1;
    f['ptp.v2.an.grandmasterclockclass'] = m.clockClass;
    f['ptp.v2.an.grandmasterclockaccuracy'] = m.clockAccuracy;
    f['ptp.v2.an.grandmasterclockvariance'] = m.offsetScaledLogVariance;
    f['ptp.v2.an.priority2'] = m.grandmasterPriority2;
    f['ptp.v2.an.grandmasterclockidentity'] = ptpIdentityHex(m.grandmasterIdentityHi, m.grandmasterIdentityLo);
    f['ptp.v2.an.localstepsremoved'] = m.stepsRemoved;
    f['ptp.v2.timesource'] = m.timeSource;
  }
  for (let i = 0; i < m.tlvCount; i++) put(f, 'ptp.v2.tlv.type', m.tlvTypes[i]);
}

/**
 * The `l1t decode` object of a decoded packet, keyed by Wireshark display-filter names. With
 * `fields`, only those keys (in that order) that the packet has.
 */
export function toWiresharkFields(decoded: DecodedPacket, fields?: string[]): Record<string, unknown> {
  const all = allFields(decoded);
  if (fields === undefined) return all;
  const out: Fields = {};
  for (const k of fields) if (k in all) out[k] = all[k];
  return out;
}
