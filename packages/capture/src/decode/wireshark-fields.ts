import { formatMac } from '../layers/format-address.js';
import type { DecodedPacket } from './decoded-packet.js';
import { bigintValue, macString, put, timeEpochString, unmark, type Fields } from './field-values.js';
import { oranFields } from './fields-oran.js';
import { ptpFields } from './fields-ptp.js';

export { timeEpochString } from './field-values.js';

/*
 * The `l1t decode` JSON object (reference/interfaces.md): keys are Wireshark display-filter field
 * names. A field that occurs several times in a packet (sections, PRB exponents, concatenated eCPRI
 * messages) is an array in packet order; once, a scalar. Where Wireshark versions differ we follow
 * current Wireshark: the U-plane symbol is `oran_fh_cus.symbolId` and `ecpri.pcid`/`ecpri.rtcid` are
 * given for O-RAN messages too. Not for the hot path: this allocates.
 */

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
  else if (p.kind === 'ptp') ptpFields(p.ptp, f);
  if (p.findings.count > 0) {
    f['l1t.findings'] = p.findings
      .toArray()
      .map((x) => ({ type: x.type, code: x.code, offset: x.byteOffset, value: x.value }));
  }
  return unmark(f);
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
  for (let i = 0; i < p.oranCount; i++) oranFields(p.oranMessages[i]!, f);
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

/** The fields `l1t decode` promises by name (reference/interfaces.md), in the contract's order. */
export const DECODE_CONTRACT_FIELDS: readonly string[] = [
  'frame.number',
  'frame.time_epoch',
  'eth.src',
  'vlan.id',
  'ecpri.type',
  'ecpri.pcid',
  'ecpri.size',
  'oran_fh_cus.du_port_id',
  'oran_fh_cus.bandsector_id',
  'oran_fh_cus.cc_id',
  'oran_fh_cus.ru_port_id',
  'oran_fh_cus.sequence_id',
  'oran_fh_cus.data_direction',
  'oran_fh_cus.frameId',
  'oran_fh_cus.subframe_id',
  'oran_fh_cus.slotId',
  'oran_fh_cus.symbolId',
  'oran_fh_cus.startSymbolId',
  'oran_fh_cus.sectionType',
  'oran_fh_cus.sectionId',
  'oran_fh_cus.startPrbu',
  'oran_fh_cus.numPrbu',
  'oran_fh_cus.startPrbc',
  'oran_fh_cus.numPrbc',
  'oran_fh_cus.exponent',
  'ptp.v2.messagetype',
  'ptp.v2.sequenceid',
  'ptp.v2.clockidentity',
];
