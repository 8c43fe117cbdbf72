import { Inferred, type OranMessage } from '../oran/oran-message.js';
import { put, type Fields } from './field-values.js';

/** O-RAN CUS fields of the `l1t decode` object (Wireshark `oran_fh_cus.*` names, plus `l1t.*`). */
export function oranFields(o: OranMessage, f: Fields): void {
  const pre = 'oran_fh_cus.';
  put(f, pre + 'du_port_id', o.duPortId);
  put(f, pre + 'bandsector_id', o.bandSectorId);
  put(f, pre + 'cc_id', o.ccId);
  put(f, pre + 'ru_port_id', o.ruPortId);
  if (!o.headerComplete) return;
  put(f, pre + 'sequence_id', o.sequenceId);
  put(f, pre + 'e_bit', o.eBit);
  put(f, pre + 'subsequence_id', o.subsequenceId);
  put(f, pre + 'data_direction', o.dataDirection);
  put(f, pre + 'payloadVersion', o.payloadVersion);
  put(f, pre + 'filterIndex', o.filterIndex);
  put(f, pre + 'frameId', o.frameId);
  put(f, pre + 'subframe_id', o.subframeId);
  put(f, pre + 'slotId', o.slotId);
  if (o.plane === 'u') {
    put(f, pre + 'symbolId', o.symbolId);
    put(f, pre + 'numberOfSections', o.sectionCount); // not carried in U-plane: sections decoded, as Wireshark shows it
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
      put(f, 'l1t.inferred', guessed);
    }
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      if (s.compMethod !== 1) continue;
      const n = Math.min(s.nPrb, o.prbCount - s.prbIndex);
      for (let k = 0; k < n; k++) put(f, pre + 'exponent', o.prbExponent[s.prbIndex + k]);
    }
    return;
  }
  put(f, pre + 'startSymbolId', o.symbolId);
  if (o.sectionType < 0) return;
  put(f, pre + 'numberOfSections', o.numberOfSections);
  put(f, pre + 'sectionType', o.sectionType);
  if (o.timeOffset >= 0) {
    put(f, pre + 'timeOffset', o.timeOffset);
    put(f, pre + 'frameStructure.fft', o.fftSize);
    put(f, pre + 'frameStructure.spacing', o.scs);
    put(f, pre + 'cpLength', o.cpLength);
  }
  if (o.udCompHdr >= 0) {
    put(f, pre + 'udCompHdrWidth', o.udCompHdr >> 4);
    put(f, pre + 'udCompHdrMeth', o.udCompHdr & 15);
  }
  if (o.numberOfUEs >= 0) put(f, pre + 'numberOfUEs', o.numberOfUEs);
  for (let i = 0; i < o.sectionCount; i++) {
    const s = o.cSections[i]!;
    if (s.sectionId >= 0) put(f, pre + 'sectionId', s.sectionId);
    if (s.laaMsgType >= 0) {
      put(f, pre + 'laaMsgType', s.laaMsgType);
      put(f, pre + 'laaMsgLen', s.laaMsgLen);
      const l = s.laa;
      const laa: [string, number][] = [
        ['lbtHandle', l.lbtHandle],
        ['lbtOffset', l.lbtOffset],
        ['lbtMode', l.lbtMode],
        ['lbtDeferFactor', l.lbtDeferFactor],
        ['lbtBackoffCounter', l.lbtBackoffCounter],
        ['MCOT', l.mcot],
        ['lbtPdschRes', l.lbtPdschRes],
        ['initialPartialSF', l.initialPartialSF],
        ['sfStatus', l.sfStatus],
        ['sfnSfEnd', l.sfnSfEnd],
        ['lbtDrsRes', l.lbtDrsRes],
        ['lbtBufErr', l.lbtBufErr],
        ['lbtCWConfig_H', l.lbtCWConfigH],
        ['lbtCWConfig_T', l.lbtCWConfigT],
        ['lbtTrafficClass', l.lbtTrafficClass],
        ['lbtCWR_Rst', l.lbtCWRRst],
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
