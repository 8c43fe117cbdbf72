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
 * 0xB0C0 LTE RRC OTA Packet (little-endian), header by version (SCAT parse_lte_rrc, MobileInsight
 * LteRrcOtaPacketFmt):
 *
 *   v2–4:   0 ver | 1 rel maj | 2 rel min | 3 rb id | 4 pci u16 | 6 earfcn u16 | 8 sfn/subfn u16 | 10 pdu u8 | 11 len u16 | 13 msg
 *   v5–7:   … 6 earfcn u16 | 8 sfn/subfn u16 | 10 pdu u8 | 11 sib mask u32 | 15 len u16 | 17 msg
 *   v8–24:  … 6 earfcn u32 | 10 sfn/subfn u16 | 12 pdu u8 | 13 sib mask u32 | 17 len u16 | 19 msg
 *   v25–27: 0 ver | 1 rel maj | 2 rel min | 3 NR rel maj | 4 NR rel min | 5 rb id | 6 pci u16 | 8 earfcn u32
 *           | 12 sfn/subfn u16 | 14 pdu u8 | 15 sib mask u32 | 19 len u16 | 21 msg
 *
 * sfn/subfn: subframe in bits 0–3, SFN in bits 4–15. `len` must equal the bytes after the header (checked:
 * a mismatch is a malformed record). The PDU number names the logical channel through a per-version
 * table. The message type comes from the first bits of the UNALIGNED PER encoding (TS 36.331 §6.2.1):
 * a 1-bit c1/messageClassExtension choice, then the c1 alternative index.
 */

export const LTE_RRC_OTA = 0xb0c0;

type Channel = 'BCCH-BCH' | 'BCCH-DL-SCH' | 'MCCH' | 'PCCH' | 'DL-CCCH' | 'DL-DCCH' | 'UL-CCCH' | 'UL-DCCH';
const CH: readonly Channel[] = ['BCCH-BCH', 'BCCH-DL-SCH', 'MCCH', 'PCCH', 'DL-CCCH', 'DL-DCCH', 'UL-CCCH', 'UL-DCCH'];
/** PDU number → channel, from the first PDU number of each channel in CH order. */
const channels = (firsts: readonly number[]): ReadonlyMap<number, Channel> =>
  new Map(firsts.map((n, i) => [n, CH[i]!]));
const MAP_A = channels([1, 2, 3, 4, 5, 6, 7, 8]); // v2–4, 6–8, 13, 22
const MAP_B = channels([8, 9, 10, 11, 12, 13, 14, 15]); // v9, 12
const MAP_C = channels([1, 2, 4, 5, 6, 7, 8, 9]); // v14–16, 20, 24, 25
const MAP_D = channels([1, 3, 6, 7, 8, 9, 10, 11]); // v19, 26, 27

/* TS 36.331 c1 alternatives in ASN.1 order */
const DL_CCCH = [
  'rrcConnectionReestablishment',
  'rrcConnectionReestablishmentReject',
  'rrcConnectionReject',
  'rrcConnectionSetup',
];
const UL_CCCH = ['rrcConnectionReestablishmentRequest', 'rrcConnectionRequest'];
const DL_DCCH = [
  'csfbParametersResponseCDMA2000',
  'dlInformationTransfer',
  'handoverFromEUTRAPreparationRequest',
  'mobilityFromEUTRACommand',
  'rrcConnectionReconfiguration',
  'rrcConnectionRelease',
  'securityModeCommand',
  'ueCapabilityEnquiry',
  'counterCheck',
  'ueInformationRequest-r9',
  'loggedMeasurementConfiguration-r10',
  'rnReconfiguration-r10',
  'rrcConnectionResume-r13',
];
const UL_DCCH = [
  'csfbParametersRequestCDMA2000',
  'measurementReport',
  'rrcConnectionReconfigurationComplete',
  'rrcConnectionReestablishmentComplete',
  'rrcConnectionSetupComplete',
  'securityModeComplete',
  'securityModeFailure',
  'ueCapabilityInformation',
  'ulHandoverPreparationTransfer',
  'ulInformationTransfer',
  'counterCheckResponse',
  'ueInformationResponse-r9',
  'proximityIndication-r9',
  'rnReconfigurationComplete-r10',
  'mbmsCountingResponse-r10',
  'interFreqRSTDMeasurementIndication-r10',
];
/** RRCConnectionReestablishmentRequest reestablishmentCause (TS 36.331 §6.2.2). */
const REEST_CAUSE = ['reconfigurationFailure', 'handoverFailure', 'otherFailure', 'spare1'];

/**
 * The message type of the UNALIGNED PER message at byte `at` of `body` (it runs to the body's end). Its bits
 * are read in place: a view per message (175 k of the 100 MB bench:diag input's records are 0xB0C0) and a
 * closure per call were a sixth of what the DIAG analysis allocated for RRC (issue 13).
 */
function messageType(ch: Channel, body: Uint8Array, at: number, out: RrcOtaFields): void {
  if (ch === 'BCCH-BCH') {
    out.message = 'masterInformationBlock';
    return;
  }
  if (ch === 'MCCH') return;
  const ext = msgBits(body, at, 0, 1);
  if (ext === undefined) return;
  if (ext === 1) {
    out.message = 'messageClassExtension';
    return;
  }
  switch (ch) {
    case 'PCCH':
      out.message = 'paging';
      return;
    case 'BCCH-DL-SCH':
      return pick(BCCH_DL_SCH, 1, body, at, out);
    case 'DL-CCCH':
      return pick(DL_CCCH, 2, body, at, out);
    case 'DL-DCCH':
      return pick(DL_DCCH, 4, body, at, out);
    case 'UL-DCCH':
      return pick(UL_DCCH, 4, body, at, out);
    case 'UL-CCCH': {
      pick(UL_CCCH, 1, body, at, out);
      // RRCConnectionReestablishmentRequest-r8-IEs: criticalExtensions bit 2 (0: r8), c-RNTI 16 bits @3,
      // physCellId 9 bits @19, shortMAC-I 16 bits @28, reestablishmentCause 2 bits @44.
      if (out.message === 'rrcConnectionReestablishmentRequest' && msgBits(body, at, 2, 1) === 0) {
        const cause = msgBits(body, at, 44, 2);
        const rnti = msgBits(body, at, 3, 16);
        const pci = msgBits(body, at, 19, 9);
        if (cause !== undefined) out.reestablishment_cause = REEST_CAUSE[cause]!;
        if (rnti !== undefined) out.c_rnti = rnti;
        if (pci !== undefined) out.reestablishment_pci = pci;
      }
      return;
    }
  }
}

const BCCH_DL_SCH = ['systemInformation', 'systemInformationBlockType1'];

/** The c1 alternative (`width` bits after the extension bit) named from `names` (`spareN` beyond). */
function pick(names: readonly string[], width: number, body: Uint8Array, at: number, out: RrcOtaFields): void {
  const i = msgBits(body, at, 1, width);
  if (i !== undefined) out.message = names[i] ?? `spare${i}`;
}

/** bitsAt() of the message that starts at byte `at` of `body` and runs to its end, without a view of it. */
function msgBits(body: Uint8Array, at: number, bit: number, n: number): number | undefined {
  return bitsAt(body, at * 8 + bit, n);
}

/**
 * A decoded record: a class with every key from the start (undefined until set), so that every record has
 * one hidden class. Keys added as the message asked for them (the NR release from v25, the message type,
 * the re-establishment request's fields) gave records four shapes, and the code reading them — messageType,
 * pick, the DIAG analyzer's RRC handler — was compiled for one and thrown away at the next ('wrong map'
 * under --trace-deopt, issue 13). The keys keep the order they were added in (JSON output unchanged: an
 * undefined key is not written).
 */
class RrcOtaFields {
  rrc_release = '';
  rb_id = 0;
  pci = 0;
  earfcn = 0;
  sfn = 0;
  subframe = 0;
  pdu_number = 0;
  channel: Channel | null = null;
  message_length = 0;
  nr_rrc_release: string | undefined = undefined;
  message: string | undefined = undefined;
  reestablishment_cause: string | undefined = undefined;
  c_rnti: number | undefined = undefined;
  reestablishment_pci: number | undefined = undefined;
  // The keys are defined in this order when the object is made (JSON output: an undefined key is not
  // written); fill() then sets every one of them for each record.

  fill(
    rrcRelease: string,
    rbId: number,
    pci: number,
    earfcn: number,
    sfn: number,
    subframe: number,
    pduNumber: number,
    channel: Channel | null,
    messageLength: number,
  ): this {
    this.rrc_release = rrcRelease;
    this.rb_id = rbId;
    this.pci = pci;
    this.earfcn = earfcn;
    this.sfn = sfn;
    this.subframe = subframe;
    this.pdu_number = pduNumber;
    this.channel = channel;
    this.message_length = messageLength;
    this.nr_rrc_release = undefined;
    this.message = undefined;
    this.reestablishment_cause = undefined;
    this.c_rnti = undefined;
    this.reestablishment_pci = undefined;
    return this;
  }
}

interface Header {
  /** From v25 on: an NR RRC release (major, minor) follows the LTE one (every header has the key: one shape). */
  nrRelease: boolean;
  earfcnBytes: 2 | 4;
  sibMask: boolean;
  map: ReadonlyMap<number, Channel>;
}

/** `maj.min` release strings, made once per pair (a log repeats a handful). */
const RELEASES = new Map<number, string>();
function release(maj: number, min: number): string {
  const k = (maj << 8) | min;
  let r = RELEASES.get(k);
  if (r === undefined) RELEASES.set(k, (r = `${maj}.${min}`));
  return r;
}

function decoder(h: Header): DiagVersionDecoder {
  /**
   * One result refilled by each record of this version (issue 13: an object per 0xB0C0 record, ~700 k on the
   * 400 MB bench:diag input): a record's fields are valid until the next 0xB0C0 record is decoded
   * (DiagDecodeResult.fields) — the DIAG analyzer's RRC handler copies the values it hands on, `l1t decode`
   * prints each record first. Made on the first record, which fills every key (one shape throughout).
   */
  let out: RrcOtaFields | undefined;
  return (body) => {
    const x = h.nrRelease ? 2 : 0;
    const earfcnAt = 6 + x;
    const sfnAt = earfcnAt + h.earfcnBytes;
    const pduAt = sfnAt + 2;
    const lenAt = pduAt + 1 + (h.sibMask ? 4 : 0);
    const msgAt = lenAt + 2;
    const len = u16(body, lenAt);
    if (msgAt + len !== body.length)
      throw new DiagDecodeError(
        lenAt,
        `message length ${len} does not match the ${body.length - msgAt} bytes after the header`,
      );
    const sfnWord = u16(body, sfnAt);
    const pdu = u8(body, pduAt);
    const channel = h.map.get(pdu);
    out ??= new RrcOtaFields();
    out.fill(
      release(u8(body, 1), u8(body, 2)),
      u8(body, 3 + x),
      u16(body, 4 + x),
      h.earfcnBytes === 2 ? u16(body, earfcnAt) : u32(body, earfcnAt),
      sfnWord >> 4,
      sfnWord & 0xf,
      pdu,
      channel ?? null,
      len,
    );
    if (h.nrRelease) out.nr_rrc_release = release(u8(body, 3), u8(body, 4));
    if (channel) messageType(channel, body, msgAt, out);
    return out as unknown as DiagFields;
  };
}

const OLD: Header = { nrRelease: false, earfcnBytes: 2, sibMask: false, map: MAP_A };
const V5: Header = { nrRelease: false, earfcnBytes: 2, sibMask: true, map: MAP_A };
const V8 = (map: ReadonlyMap<number, Channel>): Header => ({ nrRelease: false, earfcnBytes: 4, sibMask: true, map });
const V25 = (map: ReadonlyMap<number, Channel>): Header => ({ nrRelease: true, earfcnBytes: 4, sibMask: true, map });

export const lteRrcOta: DiagLogDecoder = {
  logCode: LTE_RRC_OTA,
  name: 'LTE RRC OTA Packet',
  version: (body) => body[0],
  versions: new Map<number, DiagVersionDecoder>([
    [2, decoder(OLD)],
    [3, decoder(OLD)],
    [4, decoder(OLD)],
    [6, decoder(V5)],
    [7, decoder(V5)],
    [8, decoder(V8(MAP_A))],
    [9, decoder(V8(MAP_B))],
    [12, decoder(V8(MAP_B))],
    [13, decoder(V8(MAP_A))],
    [14, decoder(V8(MAP_C))],
    [15, decoder(V8(MAP_C))],
    [16, decoder(V8(MAP_C))],
    [19, decoder(V8(MAP_D))],
    [20, decoder(V8(MAP_C))],
    [22, decoder(V8(MAP_A))],
    [24, decoder(V8(MAP_C))],
    [25, decoder(V25(MAP_C))],
    [26, decoder(V25(MAP_D))],
    [27, decoder(V25(MAP_D))],
  ]),
};
