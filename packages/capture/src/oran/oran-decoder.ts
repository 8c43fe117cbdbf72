import type { FindingList } from '../decode/findings.js';
import type { DecodeOptions } from '../decode/options.js';
import { decodeCplaneBody } from './cplane.js';
import { splitEaxc } from './eaxc.js';
import type { OranMessage } from './oran-message.js';
import { decodeUplaneSections, type UplaneFormatCache } from './uplane.js';

/*
 * Shared start of U- and C-plane messages (O-RAN WG4 CUS §5.4.4, §6.3.2, §7.4): the eCPRI payload
 * begins with ecpriPcid/ecpriRtcid (the eAxC) and ecpriSeqid, then the 4-byte application header
 *
 *   dataDirection(1) | payloadVersion(3) | filterIndex(4) | frameId(8) |
 *   subframeId(4) | slotId(6) | symbolId / startSymbolId(6)
 */

/**
 * Decodes an O-RAN message from the eCPRI payload at `offset` (`length` bytes actually present).
 * `plane` is 'u' for eCPRI type 0, 'c' for type 2.
 */
export function decodeOran(
  data: Uint8Array,
  offset: number,
  length: number,
  plane: 'u' | 'c',
  opts: DecodeOptions,
  cache: UplaneFormatCache,
  msg: OranMessage,
  findings: FindingList,
): void {
  msg.plane = plane;
  msg.sectionCount = 0;
  msg.prbCount = 0;
  msg.inferred = 0;
  msg.headerComplete = false;
  msg.numberOfSections = 0;
  msg.sectionType = msg.timeOffset = msg.fftSize = msg.scs = msg.cpLength = msg.udCompHdr = msg.numberOfUEs = -1;
  const end = offset + length;
  if (length < 8) {
    findings.add('oran_malformed', 'truncated', offset, length);
    if (length >= 2) {
      msg.eaxc = (data[offset]! << 8) | data[offset + 1]!;
      splitEaxc(msg.eaxc, opts.eaxcBits, msg);
    }
    return;
  }
  msg.eaxc = (data[offset]! << 8) | data[offset + 1]!;
  splitEaxc(msg.eaxc, opts.eaxcBits, msg);
  msg.sequenceId = data[offset + 2]!;
  msg.eBit = data[offset + 3]! >> 7;
  msg.subsequenceId = data[offset + 3]! & 0x7f;
  const h = offset + 4;
  msg.dataDirection = data[h]! >> 7;
  msg.payloadVersion = (data[h]! >> 4) & 7;
  msg.filterIndex = data[h]! & 15;
  msg.frameId = data[h + 1]!;
  msg.subframeId = data[h + 2]! >> 4;
  msg.slotId = ((data[h + 2]! & 15) << 2) | (data[h + 3]! >> 6);
  msg.symbolId = data[h + 3]! & 0x3f;
  msg.headerComplete = true;
  if (msg.payloadVersion !== 1) findings.add('oran_malformed', 'payload_version', h, msg.payloadVersion);
  if (plane === 'c') {
    // C-plane messages are never fragmented at the eCPRI layer (CUS §5.4.4.4): E = 1, subSeqId = 0.
    if (msg.eBit !== 1 || msg.subsequenceId !== 0)
      findings.add('oran_malformed', 'cplane_fragment', offset + 3, data[offset + 3]!);
    decodeCplaneBody(data, h + 4, end, opts.numBfAntennas ?? 32, msg, findings);
  } else {
    decodeUplaneSections(data, h + 4, end, opts, cache, msg, findings);
  }
}
