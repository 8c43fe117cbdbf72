import {
  DiagDecodeError,
  u16,
  u32,
  u8,
  type DiagFields,
  type DiagLogDecoder,
  type DiagVersionDecoder,
} from './diag-decoder.js';
import { bitsAt } from './per-bits.js';

/*
 * 0xB821 NR5G RRC OTA Packet (little-endian; SCAT diagnrlogparser.py parse_nr_rrc):
 *
 *   v8, v9: 0 version u32 | 4 rel maj u8 | 5 rel min u8 | 6 rb id u8 | 7 pci u16 | 9 NR-ARFCN u32
 *           | 13 frame/slot (4 bytes, raw) | 17 PDU number u8 | 18 SIB mask u32 | 22 len u16 | 24 msg
 *   v12, v14: … 9 NR-ARFCN u32 | 13 frame/slot (3 bytes) | 16 PDU number u8 | 17 SIB mask u32 | 21 len u16 | 23 msg
 *
 * SCAT knows version 9 but not 8. The Xiaomi Mi 10 logs (mobileinsight-core, 315 records) are version 8 with
 * the version-9 header: in every record `len` equals the bytes after the 24-byte header, and the PDU numbers
 * are those of SCAT's version-9 table (9 RRCReconfiguration, 26 Freq Band List …); PCIs 0–1007 and the
 * NR-ARFCN 504990 (band n41) of China Mobile's NR carrier (0 on the 14 records logged before NR was found).
 * The PDU number names the channel (v8/9/12 and v14 tables below, SCAT's); for a channel the message type
 * comes from the first UNALIGNED PER bits (TS 38.331 §6.2.1: 1-bit c1/messageClassExtension, c1 index);
 * PDU numbers that are not channels name the structure logged (e.g. `CellGroupConfig`).
 */

export const NR_RRC_OTA = 0xb821;

const CHANNELS_V9: Readonly<Record<number, string>> = {
  1: 'BCCH-BCH',
  2: 'BCCH-DL-SCH',
  3: 'DL-CCCH',
  4: 'DL-DCCH',
  5: 'PCCH',
  6: 'UL-CCCH',
  7: 'UL-CCCH1',
  8: 'UL-DCCH',
  9: 'RRCReconfiguration',
  10: 'RRCReconfigurationComplete',
  11: 'SIB1',
  12: 'SysInfo',
  13: 'UECapabilityInquiry-v1560',
  22: 'CellGroupConfig',
  23: 'MeasResultCellListEUTRA',
  24: 'MeasResultSCG-Failure',
  25: 'RadioBearerConfig',
  26: 'FreqBandList',
  27: 'UE-CapabilityRequestFilterNR',
  28: 'UE-MRDC-Capability',
  29: 'UE-NR-Capability',
};
const CHANNELS_V14: Readonly<Record<number, string>> = {
  ...CHANNELS_V9,
  13: 'OverheatingAssistance',
  14: 'UECapabilityInquiry-v1560',
  22: 'SIB9',
  23: 'SIB12-r16',
  25: 'CellGroupConfig',
  26: 'MeasResultCellListEUTRA',
  27: 'MeasResultSCG-Failure',
  28: 'RadioBearerConfig',
  29: 'FreqBandList',
  30: 'UE-CapabilityRequestFilterNR',
  31: 'UE-MRDC-Capability',
  32: 'UE-NR-Capability',
  33: 'UE-NR-Capability',
};

/* TS 38.331 c1 alternatives in ASN.1 order */
const C1: Readonly<Record<string, readonly string[]>> = {
  'DL-CCCH': ['rrcReject', 'rrcSetup', 'spare2', 'spare1'],
  'UL-CCCH': ['rrcSetupRequest', 'rrcResumeRequest', 'rrcReestablishmentRequest', 'rrcSystemInfoRequest'],
  PCCH: ['paging', 'spare1'],
  'BCCH-DL-SCH': ['systemInformation', 'systemInformationBlockType1'],
  'DL-DCCH': [
    'rrcReconfiguration',
    'rrcResume',
    'rrcRelease',
    'rrcReestablishment',
    'securityModeCommand',
    'dlInformationTransfer',
    'ueCapabilityEnquiry',
    'counterCheck',
    'mobilityFromNRCommand',
    'dlDedicatedMessageSegment-r16',
    'ueInformationRequest-r16',
    'dlInformationTransferMRDC-r16',
    'loggedMeasurementConfiguration-r16',
    'spare3',
    'spare2',
    'spare1',
  ],
  'UL-DCCH': [
    'measurementReport',
    'rrcReconfigurationComplete',
    'rrcSetupComplete',
    'rrcReestablishmentComplete',
    'rrcResumeComplete',
    'securityModeComplete',
    'securityModeFailure',
    'ulInformationTransfer',
    'locationMeasurementIndication',
    'ueCapabilityInformation',
    'counterCheckResponse',
    'ueAssistanceInformation',
    'failureInformation',
    'ulInformationTransferMRDC',
    'scgFailureInformation',
    'scgFailureInformationEUTRA',
  ],
};

/** PDU numbers that log one message without its channel's wrapper. */
const BARE_MESSAGES: Readonly<Record<string, string>> = {
  RRCReconfiguration: 'rrcReconfiguration',
  RRCReconfigurationComplete: 'rrcReconfigurationComplete',
};

function messageOf(pdu: string, msg: Uint8Array): string | null {
  if (pdu === 'BCCH-BCH') return 'mib';
  const alts = C1[pdu];
  if (!alts) return BARE_MESSAGES[pdu] ?? null;
  if (bitsAt(msg, 0, 1) === 1) return 'messageClassExtension';
  const idx = bitsAt(msg, 1, Math.log2(alts.length));
  return idx === undefined ? null : alts[idx]!;
}

function decoderFor(pduAt: number, table: Readonly<Record<number, string>>): DiagVersionDecoder {
  const header = pduAt + 7; // PDU u8 | SIB mask u32 | len u16
  return (b) => {
    const len = u16(b, pduAt + 5);
    if (b.length !== header + len)
      throw new DiagDecodeError(
        pduAt + 5,
        `message length ${len} disagrees with the ${b.length - header} bytes after the header`,
      );
    const pduNumber = u8(b, pduAt);
    const pdu = table[pduNumber] ?? null;
    const min = u8(b, 5);
    const f: DiagFields = {
      rrc_release: `${u8(b, 4)}.${min >> 4}.${min & 15}`,
      rb_id: u8(b, 6),
      pci: u16(b, 7),
      arfcn: u32(b, 9),
      pdu_number: pduNumber,
      channel: pdu,
      message: pdu ? messageOf(pdu, b.subarray(header)) : null,
      message_length: len,
    };
    return f;
  };
}

export const nrRrcOta: DiagLogDecoder = {
  logCode: NR_RRC_OTA,
  name: 'NR5G RRC OTA Packet',
  version: (b) => (b.length >= 4 ? u32(b, 0) : undefined),
  versions: new Map([
    [8, decoderFor(17, CHANNELS_V9)],
    [9, decoderFor(17, CHANNELS_V9)],
    [12, decoderFor(16, CHANNELS_V9)],
    [14, decoderFor(16, CHANNELS_V14)],
  ]),
};
