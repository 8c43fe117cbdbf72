/**
 * Byte builders of DIAG records: wrappers and the bodies of the log codes the decoders read, field by
 * field with a comment naming each. Used by the decoders' tests (through test-support/diag-fixtures.ts)
 * and by `l1t synth ue`, so the generator writes exactly the layouts the decoders read. Add a builder here
 * with each new decoder version.
 */
import { ByteWriter } from '../../bytes/byte-writer.js';

export { diagLogPacket, dlfRecord, hdlcFrame, qmdl2Header } from './diag-frames.js';

/** Raw DIAG timestamp: 1.25 ms ticks << 16 | fraction. */
export function rawTs(ticks: number, fraction = 0): bigint {
  return (BigInt(ticks) << 16n) | BigInt(fraction);
}

/** The 0x98 multi-SIM wrapper around an inner command payload. */
export function multiSim(subscription: number, inner: Uint8Array): Uint8Array {
  return new ByteWriter(true)
    .u8(0x98) // command: multi-SIM
    .u8(0x01) // wrapper version
    .u16(0) // reserved
    .u32(subscription) // subscription id
    .bytes(inner) // inner command (0x10 log packet …)
    .toBytes();
}

/** A non-HDLC variant frame: 0x7E · 0x01 · length u16 LE · payload · 0x7E. */
export function unframed(payload: Uint8Array): Uint8Array {
  return new ByteWriter(true)
    .u8(0x7e) // opening flag
    .u8(0x01) // variant marker
    .u16(payload.length) // payload length
    .bytes(payload) // payload, no escaping
    .u8(0x7e) // closing flag
    .toBytes();
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Raw 0xB193 values of one cell (what the modem stores, before scaling). */
export interface ScmrCellRaw {
  pci: number;
  scellIndex?: number;
  sfn: number;
  subframe: number;
  rsrpRx: [number, number];
  rsrp: number;
  rsrqRx: [number, number];
  rsrq: number;
  rssiRx: [number, number];
  rssi: number;
  snrRx: [number, number];
}

/**
 * A serving cell at about −120 dBm RSRP (raw 955 → 0.0625·955 − 180 = −120.3 dBm), RSRQ −15 dB, two receive
 * chains: the cell the pipeline and CLI tests log (only `sfn`/`subframe` differ between them).
 */
export function weakCell(sfn: number, subframe: number): ScmrCellRaw {
  return {
    pci: 314,
    sfn,
    subframe,
    rsrpRx: [955, 861],
    rsrp: 955,
    rsrqRx: [216, 240],
    rsrq: 240,
    rssiRx: [353, 236],
    rssi: 353,
    snrRx: [195, 192],
  };
}

const pciWord = (c: ScmrCellRaw): number => c.pci | ((c.scellIndex ?? 0) << 9);
const sfnWord = (c: ScmrCellRaw): number => c.sfn | (c.subframe << 10);

/** 0xB193 body: version 1, one sub-packet 25 of `version` with `payload`. */
export function scmrBody(version: number, payload: Uint8Array): Uint8Array {
  return new ByteWriter(true)
    .u8(1) // packet version
    .u8(1) // sub-packet count
    .u16(0) // reserved
    .u8(25) // sub-packet id: Serving Cell Measurement Result
    .u8(version) // sub-packet version
    .u16(4 + payload.length) // sub-packet size, header included
    .bytes(payload)
    .toBytes();
}

/** Sub-packet 25 version 4: single cell, u16 EARFCN (76 bytes). */
export function scmrV4(earfcn: number, c: ScmrCellRaw): Uint8Array {
  const w = new ByteWriter(true);
  w.u16(earfcn); // E-ARFCN
  w.u16(pciWord(c)); // PCI (9 bits) | serving cell index (3 bits)
  w.u16(sfnWord(c)); // SFN (10 bits) | subframe (4 bits)
  w.u16(0); // reserved
  w.u32(0); // is restricted, cell timing [0]
  w.u32(c.rsrpRx[0] << 10); // RSRP Rx[0]: bits 10..21
  w.u32(c.rsrpRx[1] << 12); // RSRP Rx[1]: bits 12..23
  w.u32(c.rsrp << 12); // RSRP: bits 12..23
  w.u32(c.rsrqRx[0] << 12); // RSRQ Rx[0]: bits 12..21
  w.u32(c.rsrqRx[1] | (c.rsrq << 20)); // RSRQ Rx[1]: bits 0..9 | RSRQ: bits 20..29
  w.u32((c.rssiRx[0] << 10) | (c.rssiRx[1] << 21)); // RSSI Rx[0]: bits 10..20 | Rx[1]: bits 21..31
  w.u32(c.rssi); // RSSI: bits 0..10
  w.bytes(new Uint8Array(20)); // unknown
  w.u32(c.snrRx[0] | (c.snrRx[1] << 9)); // FTL SNR Rx[0]: bits 0..8 | Rx[1]: bits 9..17
  w.bytes(new Uint8Array(12)); // unknown
  return w.toBytes();
}

/** Sub-packet 25 version 7: v4 with a u32 EARFCN and 2 reserved bytes after the PCI word (80 bytes). */
export function scmrV7(earfcn: number, c: ScmrCellRaw): Uint8Array {
  const v4 = scmrV4(0, c);
  return new ByteWriter(true)
    .u32(earfcn) // E-ARFCN u32
    .bytes(v4.subarray(2, 4)) // PCI word
    .u16(0) // reserved
    .bytes(v4.subarray(4)) // SFN word onwards, as v4
    .toBytes();
}

/** Sub-packet 25 version 19 (4 cell slots of 88 bytes) or 36 (4 slots of 128 bytes, valid-Rx mask). */
export function scmrMulti(version: 19 | 36, earfcn: number, cells: readonly ScmrCellRaw[], validRx = 3): Uint8Array {
  const stride = version === 19 ? 88 : 128;
  const w = new ByteWriter(true);
  w.u32(earfcn); // E-ARFCN
  w.u16(cells.length); // number of cells
  w.u16(version === 36 ? validRx : 0); // v36: valid Rx (1: Rx0, 3: Rx0+Rx1); v19: reserved
  for (let i = 0; i < 4; i++) {
    const c = cells[i];
    const cell = new ByteWriter(true);
    if (c) {
      cell.u16(pciWord(c) | (1 << 12)); // PCI | serving cell index | is serving cell (bit 12)
      cell.u16(0); // reserved
      cell.u16(sfnWord(c)); // SFN | subframe
      cell.u16(0); // reserved
      cell.u32(0); // cell timing [0]
      cell.u32(0); // cell timing [1], cell timing SFN [0]
      cell.u32(c.rsrpRx[0] << 10); // +16 RSRP Rx[0]: bits 10..21
      cell.u32(c.rsrpRx[1] << 12); // +20 RSRP Rx[1]: bits 12..23
      if (version === 19) {
        cell.u32(c.rsrp << 12); // +24 RSRP: bits 12..23
        cell.u32(c.rsrqRx[0] << 12); // +28 RSRQ Rx[0]: bits 12..21
        cell.u32(c.rsrqRx[1] | (c.rsrq << 20)); // +32 RSRQ Rx[1] | RSRQ: bits 20..29
        cell.u32((c.rssiRx[0] << 10) | (c.rssiRx[1] << 21)); // +36 RSSI Rx[0] | Rx[1]
        cell.u32(c.rssi); // +40 RSSI
        cell.bytes(new Uint8Array(20)); // +44 unknown
        cell.u32(c.snrRx[0] | (c.snrRx[1] << 9)); // +64 SNR Rx[0] | Rx[1]
      } else {
        cell.u32(0); // +24 Rx[2] (absent)
        cell.u32((c.rsrp - 640) << 12); // +28 Rx[3] (absent) | RSRP − 640 (v35 reading)
        cell.u32(c.rsrp); // +32 RSRP: bits 0..11
        cell.u32(c.rsrqRx[0] | (c.rsrqRx[1] << 20)); // +36 RSRQ Rx[0] | Rx[1]
        cell.u32(0); // +40 RSRQ Rx[2], Rx[3]
        cell.u32(c.rsrq); // +44 RSRQ
        cell.u32(c.rssiRx[0] | (c.rssiRx[1] << 11)); // +48 RSSI Rx[0] | Rx[1]
        cell.u32(0); // +52 RSSI Rx[2], Rx[3]
        cell.u32(c.rssi); // +56 RSSI
        cell.bytes(new Uint8Array(20)); // +60 unknown
        cell.u32(c.snrRx[0] | (c.snrRx[1] << 9)); // +80 SNR Rx[0] | Rx[1]
      }
    }
    const bytes = cell.toBytes();
    w.bytes(bytes);
    w.bytes(new Uint8Array(stride - bytes.length)); // rest of the cell slot
  }
  return w.toBytes();
}

/** 0xB0C0 body of a v8–v24 layout (u32 EARFCN, SIB mask), or v7 (u16 EARFCN) when `version` < 8. */
export function rrcOtaBody(
  version: number,
  o: { pci: number; earfcn: number; sfn: number; subframe: number; pdu: number; msg: readonly number[] },
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // packet version
  w.u8(9); // RRC release major
  w.u8(0xb0); // RRC release minor
  if (version >= 25) w.u8(15).u8(0x20); // NR RRC release major, minor
  w.u8(1); // radio bearer id
  w.u16(o.pci); // physical cell id
  if (version >= 8) w.u32(o.earfcn);
  else w.u16(o.earfcn); // EARFCN
  w.u16((o.sfn << 4) | o.subframe); // SFN (bits 4..15) | subframe (bits 0..3)
  w.u8(o.pdu); // PDU number (channel, per version)
  w.u32(0); // SIB mask
  w.u16(o.msg.length); // message length
  w.bytes(o.msg); // UPER-encoded RRC message
  return w.toBytes();
}

/** MSB-first bit packer for RRC message fixtures. */
export function perBits(fields: readonly [value: number, width: number][]): number[] {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const [v, width] of fields) {
    for (let i = width - 1; i >= 0; i--) {
      acc = (acc << 1) | ((v >>> i) & 1);
      if (++n === 8) {
        out.push(acc);
        acc = 0;
        n = 0;
      }
    }
  }
  if (n > 0) out.push(acc << (8 - n));
  return out;
}

/** 0xB17F body, v4 (u16 EARFCN and PCI word) or v5 (u32 EARFCN and PCI word); raw values before scaling. */
export function scellMeasEvalBody(
  version: 4 | 5,
  o: { earfcn: number; pci: number; rsrp: number; rsrpAvg: number; rsrq: number; rsrqAvg: number; rssi: number },
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // packet version
  w.u8(1); // RRC release (1: Rel-9)
  w.u16(0); // reserved
  if (version === 4)
    w.u16(o.earfcn).u16(o.pci | (3 << 9)); // EARFCN u16 | PCI (9 bits) + serving layer priority 3
  else w.u32(o.earfcn).u32(o.pci | (3 << 9)); // EARFCN u32 | PCI word u32
  w.u32(o.rsrp); // measured RSRP: bits 0..11
  w.u32(o.rsrpAvg); // average RSRP: bits 0..11
  w.u32(o.rsrq | (o.rsrqAvg << 20)); // measured RSRQ bits 0..9 | average RSRQ bits 20..29
  w.u32(o.rssi << 10); // measured RSSI from bit 10
  w.u32(0); // rxlev fields
  w.u32(0); // s_search fields
  w.u32(0); // Rel-9 fields
  return w.toBytes();
}

/** 0xB180 body v5: u32 EARFCN, count word (cells << 6), 32-byte cells. */
export function ncellMeasBody(
  earfcn: number,
  cells: readonly { pci: number; rssi: number; rsrp: number; rsrq: number }[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(5); // packet version
  w.u8(1); // RRC release
  w.u16(0); // reserved
  w.u32(earfcn); // EARFCN
  w.u32(cells.length << 6); // q_rxlevmin (bits 0..5) | cell count (from bit 6)
  for (const c of cells) {
    w.u32((c.pci | (c.rssi << 9) | (c.rsrp << 20)) >>> 0); // PCI bits 0..8 | RSSI 9..19 | RSRP 20..31
    w.u32(c.rsrp << 12); // average RSRP bits 12..23
    w.u32(c.rsrq << 12); // measured RSRQ bits 12..21
    w.u32(c.rsrq); // average RSRQ bits 0..9
    w.u16(0).u16(0); // frequency offset, reserved
    w.u32(0).u32(0); // antenna 0/1 frame and sample offsets
    w.u32(0); // Rel-9 S_qual
  }
  return w.toBytes();
}

/** 0xB139 v102 body: header and 68-byte records. */
export function puschTxReportBody(
  pci: number,
  records: readonly {
    sfn: number;
    subframe: number;
    retx: number;
    rv: number;
    startRb: number;
    numRb: number;
    tbBytes: number;
    rate1024: number;
    mod: number;
    /** PUSCH Tx power (dBm, 7 bits); 16 when not given. */
    txPowerDbm?: number;
  }[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(102); // version
  w.u16(pci | (records.length << 9)); // serving cell PCI (9 bits) | record count (5 bits)
  w.u8(0); // reserved
  w.u16(((records[0]?.sfn ?? 0) << 4) | (records[0]?.subframe ?? 0)); // dispatch SFN/SF
  w.u16(0); // reserved
  for (const r of records) {
    const rec = new ByteWriter(true);
    rec.u16((r.sfn << 4) | r.subframe); // +0 current SFN/SF
    rec.u16((r.retx << 7) | (r.rv << 12)); // +2 carrier 0, ACK/CQI/RI 0, hopping 0 | re-tx index | RV
    rec.u32((r.startRb << 1) | (r.startRb << 8) | (r.numRb << 15)); // +4 RA type 0 | start RB slot 0/1 | RBs
    rec.u16(r.tbBytes); // +8 TB size (bytes)
    rec.u16(r.rate1024); // +10 coding rate × 1024
    rec.u32(0).u32(0); // +12 ACK/RI bits, +16 ACK payload
    rec.u32(r.mod); // +20 modulation code | digital gain 0
    rec.u32((r.txPowerDbm ?? 16) & 127); // +24 PUSCH Tx power (dBm) bits 0–6 | CQI bits 0
    rec.u32(0); // +28 DL carriers, ACK/NACK index
    rec.bytes(new Uint8Array(28)); // +32 CQI payload
    rec.u32(0); // +60 Tx resampler
    rec.u32(0); // +64 DMRS cyclic shifts and roots
    w.bytes(rec.toBytes());
  }
  return w.toBytes();
}

/** 0xB18A v1 body: 12-byte RLM records. */
export function rlmReportBody(
  records: readonly {
    sfn: number;
    subframe: number;
    oosBler: number;
    isBler: number;
    oosCount: number;
    isCount: number;
    t310: number;
  }[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(1); // version
  w.u16(0); // reserved
  w.u8(records.length); // record count
  for (const r of records) {
    w.u16(r.sfn | (r.subframe << 10)); // SFN (10 bits) | subframe (4 bits)
    w.u16(r.oosBler); // out-of-sync BLER × 32768 / 100
    w.u16(r.isBler); // in-sync BLER × 32768 / 100
    w.u16(r.oosCount | (r.isCount << 5)); // out-of-sync count (5 bits) | in-sync count (5 bits)
    w.u8(r.t310); // T310 status
    w.u8(0).u8(0).u8(0); // reserved
  }
  return w.toBytes();
}

/** 0xB0C2 body: v2 (u16 EARFCNs, 25 bytes) or v3 (u32 EARFCNs, 29 bytes). */
export function servCellInfoBody(
  version: 2 | 3,
  o: {
    pci: number;
    dl: number;
    ul: number;
    bwRb: number;
    cellId: number;
    tac: number;
    band: number;
    mcc: number;
    mncDigits: number;
    mnc: number;
  },
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // version
  w.u16(o.pci); // physical cell id
  if (version === 2)
    w.u16(o.dl).u16(o.ul); // DL / UL EARFCN u16
  else w.u32(o.dl).u32(o.ul); // DL / UL EARFCN u32
  w.u8(o.bwRb).u8(o.bwRb); // DL / UL bandwidth (RBs)
  w.u32(o.cellId); // cell identity
  w.u16(o.tac); // tracking area code
  w.u32(o.band); // band indicator
  w.u16(o.mcc); // MCC
  w.u8(o.mncDigits); // MNC digits
  w.u16(o.mnc); // MNC
  w.u8(1); // allowed access
  return w.toBytes();
}

/** 0xB0C1 body: v1 (u16 EARFCN, 9 bytes) or v2 (u32 EARFCN, 11 bytes). */
export function mibBody(
  version: 1 | 2,
  o: { pci: number; earfcn: number; sfn: number; antennas: number; bwRb: number },
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // version
  w.u16(o.pci); // physical cell id
  if (version === 1) w.u16(o.earfcn);
  else w.u32(o.earfcn); // EARFCN
  w.u16(o.sfn); // SFN
  w.u8(o.antennas); // number of Tx antennas
  w.u8(o.bwRb); // DL bandwidth (RBs)
  return w.toBytes();
}

/** One sample of a 0xB063 DL (sub-packet 7) or 0xB064 UL (sub-packet 8) MAC transport block. */
export interface MacTbSample {
  sfn: number;
  subframe: number;
  rntiType: number;
  harqId: number;
  /** DL TB size or UL grant, bytes. */
  bytes: number;
  padding: number;
  /** MAC header + control elements as logged. */
  header: readonly number[];
  /** Versions 4 (DL) / 2 (UL): cell index. */
  cellIndex?: number;
}

/** 0xB063 (`downlink`) or 0xB064 body: packet version 1, one sub-packet, padded to 4 bytes. */
export function macTbBody(downlink: boolean, subVersion: number, samples: readonly MacTbSample[]): Uint8Array {
  const prefixed = downlink ? subVersion === 4 : subVersion === 2;
  const s = new ByteWriter(true);
  s.u8(samples.length); // sample count
  for (const x of samples) {
    if (prefixed) s.u8(0).u8(x.cellIndex ?? 0); // sub id | cell index
    if (downlink) {
      s.u16((x.sfn << 4) | x.subframe); // SFN (12 bits) | subframe (4 bits)
      s.u8(x.rntiType); // RNTI type
      s.u8(x.harqId); // HARQ id
      s.u16(0); // PMCH id
      s.u16(x.bytes); // TB size
      s.u8(1); // RLC PDUs
      s.u16(x.padding); // padding bytes
    } else {
      s.u8(x.harqId); // HARQ id
      s.u8(x.rntiType); // RNTI type
      s.u16((x.sfn << 4) | x.subframe); // SFN | subframe
      s.u16(x.bytes); // grant
      s.u8(1); // RLC PDUs
      s.u16(x.padding); // padding bytes
      s.u8(1); // BSR event: periodic
      s.u8(3); // BSR trigger: short BSR
    }
    s.u8(x.header.length); // header length
    s.bytes(new Uint8Array(x.header)); // MAC header + CEs
  }
  const sub = s.toBytes();
  const size = (4 + sub.length + 3) & ~3; // header included, padded to 4 bytes
  return new ByteWriter(true)
    .u8(1) // packet version
    .u8(1) // sub-packet count
    .u16(0) // reserved
    .u8(downlink ? 7 : 8) // sub-packet id
    .u8(subVersion) // sub-packet version
    .u16(size) // sub-packet size
    .bytes(sub)
    .bytes(new Uint8Array(size - 4 - sub.length)) // pad
    .toBytes();
}

/** One transport block of a 0xB173 record. */
export interface PdschTbRaw {
  harqId: number;
  rv: number;
  ndi: number;
  crcPass: boolean;
  rntiType: number;
  recombined: boolean;
  tbSize: number;
  mcs: number;
  numRb: number;
}

/** 0xB173 body (v5/v16: 6-byte TB slots, v24: 8): records of one or two TBs, the unused slot zeroed. */
export function pdschStatBody(
  version: 5 | 16 | 24,
  records: readonly { sfn: number; subframe: number; layers: number; cellIndex: number; tbs: readonly PdschTbRaw[] }[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // version
  w.u8(records.length); // record count
  w.u16(0); // reserved
  const slot = version === 24 ? 8 : 6;
  for (const r of records) {
    w.u16((r.sfn << 4) | r.subframe); // subframe (4 bits) | SFN (12 bits)
    w.u8(r.tbs[0]?.numRb ?? 0); // RBs
    w.u8(r.layers); // layers
    w.u8(r.tbs.length); // TBs present
    w.u8(r.cellIndex); // serving cell index (3 bits), HSIC 0
    for (let t = 0; t < 2; t++) {
      const tb = r.tbs[t];
      if (!tb) {
        w.bytes(new Uint8Array(slot)); // unused TB slot
        continue;
      }
      w.u8(tb.harqId | (tb.rv << 4) | (tb.ndi << 6) | (tb.crcPass ? 0x80 : 0)); // HARQ id | RV | NDI | CRC
      w.u8(tb.rntiType | (t << 4) | (tb.recombined ? 0x40 : 0)); // RNTI type | TB index | discarded 0 | recombined
      w.u16(tb.tbSize); // TB size
      w.u8(tb.mcs); // MCS
      w.u8(tb.numRb); // RBs
      if (version === 24) w.u8(6).u8(0); // modulation order 6 (64QAM) | reserved
    }
    w.u8(0).u8(0); // PMCH id | area id
  }
  return w.toBytes();
}

/** 0xB062 body: packet version 1, sub-packet 6 (v2, or v3 with sub id and cell index) holding one attempt. */
export function rachAttemptBody(
  subVersion: 2 | 3,
  a: {
    attempt: number;
    result: number;
    contention: number;
    mask: number;
    preamble: number;
    ta: number;
    tcRnti: number;
    grant: number;
    harqId: number;
  },
): Uint8Array {
  const s = new ByteWriter(true);
  if (subVersion === 3) s.u8(0).u8(1); // sub id | cell index 1
  s.u8(a.attempt); // retx counter
  s.u8(a.result); // RACH result
  s.u8(a.contention); // contention procedure
  s.u8(a.mask); // message bitmask
  s.u8(a.preamble).u8(0xff).u16(0); // Msg1: preamble index | index mask | power offset
  s.u16(20).u8(1).u16(a.tcRnti).u16(a.ta); // Msg2: backoff 20 ms | result | TC-RNTI | TA
  s.u32(0).u16(a.grant).u8(a.harqId).bytes(new Uint8Array(10)); // Msg3: grant raw | grant | HARQ id | MAC PDU
  const sub = s.toBytes();
  return new ByteWriter(true)
    .u8(1) // packet version
    .u8(1) // sub-packet count
    .u16(0) // reserved
    .u8(6) // sub-packet id: RACH attempt
    .u8(subVersion) // sub-packet version
    .u16(4 + sub.length) // size, header included
    .bytes(sub)
    .toBytes();
}

/** 0xB821 body, versions 8/9 (24-byte header) or 12/14 (23 bytes: 3-byte frame/slot). */
export function nrRrcOtaBody(
  version: 8 | 9 | 12 | 14,
  pci: number,
  arfcn: number,
  pdu: number,
  msg: readonly number[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u32(version); // version
  w.u8(15).u8(0x60); // RRC release 15.6.0
  w.u8(1); // rb id
  w.u16(pci); // PCI
  w.u32(arfcn); // NR-ARFCN
  if (version <= 9)
    w.u32(0x03620030); // frame/slot (raw)
  else w.u8(0x30).u16(0x0362); // frame/slot, 3 bytes
  w.u8(pdu); // PDU number
  w.u32(0); // SIB mask
  w.u16(msg.length); // message length
  w.bytes(new Uint8Array(msg)); // UPER message
  return w.toBytes();
}

/** One cell of a 0xB97F carrier: measurements in dB(m), encoded as the Q8.7 words (raw = (v + 256) × 128). */
export interface NrSearcherCell {
  pci: number;
  rsrp: number;
  rsrq: number;
  /** Beams: SSB index and RSRP per receive chain. */
  beams: readonly { ssb: number; rsrpRx: readonly [number, number] }[];
}

/** 0xB97F body, version 2.7 or 2.9: carriers of cells of beams. */
export function nrSearcherMeasBody(
  minor: 7 | 9,
  carriers: readonly { arfcn: number; servingPci: number; cells: readonly NrSearcherCell[] }[],
): Uint8Array {
  const q7 = (v: number): number => Math.round((v + 256) * 128) & 0x7fff; // negative Q8.7
  const w = new ByteWriter(true);
  w.u16(minor).u16(2); // minor | major version
  if (minor === 9) w.u32(0); // v2.9: unknown word
  w.u8(carriers.length).u8(20).u16(0); // carriers | SSB periodicity (ms) | reserved
  w.u32(0).u32(0); // frequency offset | timing offset
  for (const c of carriers) {
    w.u32(c.arfcn); // raster NR-ARFCN
    if (minor === 9)
      w.u8(0).u8(c.cells.length); // v2.9: serving cell index | cells
    else w.u8(c.cells.length).u8(0); // cells | serving cell index
    w.u16(c.servingPci).u8(0).u8(0).u16(0); // serving PCI | serving SSB | 3 reserved
    w.u32(0).u32(0); // serving Rx2/3 RSRP
    w.u16(0xffff).u16(0xffff).u16(0xffff).u16(0).u16(0xffff).u16(0xffff); // Rx beams | RFIC | reserved | sub-arrays
    for (const cell of c.cells) {
      w.u16(cell.pci).u16(0).u8(cell.beams.length).u8(0).u16(0); // PCI | PBCH SFN | beams | 3 reserved
      w.u32(q7(cell.rsrp)).u32(q7(cell.rsrq)); // cell quality RSRP | RSRQ
      for (const beam of cell.beams) {
        w.u16(beam.ssb).u16(0).u16(1).u16(2).u32(0); // SSB index | reserved | Rx beam ids | reserved
        w.u32(0).u32(0); // SSB reference timing (u64)
        w.u32(q7(beam.rsrpRx[0])).u32(q7(beam.rsrpRx[1])); // Rx beam RSRPs
        w.u32(q7(cell.rsrp)).u32(q7(cell.rsrq)).u32(0).u32(0); // L3 RSRP | RSRQ | L2 RSRP | RSRQ
      }
    }
  }
  return w.toBytes();
}

/** Channel state feedback values of a 0xB14D/0xB14E fixture. */
export interface CsfRaw {
  sfn: number;
  subframe: number;
  /** Reporting mode (3 bits). */
  mode: number;
  /** Rank index (rank − 1). */
  ri: number;
  cqi0: number;
  cqi1: number;
  pmi: number;
  carrier: number;
}

/** 0xB14D PUCCH CSF body, v43 (rank in the CQI word) or v101/102 (rank after the CSI-RS ports): 12 bytes. */
export function pucchCsfBody(version: 43 | 101 | 102, c: CsfRaw): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // version
  w.u16(c.subframe | (c.sfn << 4) | ((c.mode & 3) << 14)); // subframe | SFN | reporting mode low bits
  w.u8((c.mode >> 2) | (2 << 1)); // reporting mode high bit | report type 2
  const ri = version === 43 ? c.ri << 7 : 0;
  w.u32(4 | ri | (c.cqi0 << 10) | (c.cqi1 << 14) | (c.pmi << 18) | (c.carrier << 22) | (1 << 26)); // subbands 4 | RI (v43) | CQIs | PMI | carrier | Tx mode 1
  if (version === 43)
    w.u32(0); // reserved
  else
    w.u8(2)
      .u8(c.ri << 2)
      .u16(0); // CSI-RS ports 2 | rank index bits 2–3 | reserved
  return w.toBytes();
}

/** 0xB14E PUSCH CSF body, v22 or v42: 36 bytes. */
export function puschCsfBody(version: 22 | 42, c: CsfRaw): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version); // version
  if (version === 22) {
    w.u16(c.subframe | (c.sfn << 4)); // subframe | SFN
    w.u8((c.mode << 1) | (c.ri << 4)); // reporting mode bits 1–3 | rank index bit 4
  } else {
    w.u16(c.subframe | (c.sfn << 4) | ((c.mode & 3) << 14)); // subframe | SFN | mode low bits
    w.u8((c.mode >> 2) | (c.ri << 1)); // mode high bit | rank index bit 1 | CSI meas set 0
  }
  w.u32(13 | (c.cqi0 << 5) | (c.cqi1 << 9) | (6 << 13) | (c.pmi << 20) | (1 << 28)); // subbands 13 | CQIs | sub-band size 6 | WB PMI | Tx mode 1
  w.bytes(new Uint8Array(27)); // sub-band CQIs and PMIs (not decoded)
  w.u8(c.carrier | (version === 42 ? 2 << 4 : 0)); // carrier index | CSI-RS ports (v42)
  return w.toBytes();
}

/** 0xB126 v23 body (56 bytes): the header fields the decoder reads, RB bitmaps and the rest zero. */
export function pdschDemapperBody(p: {
  pci: number;
  sfn: number;
  subframe: number;
  rnti: number;
  rntiType: number;
  /** Antenna codes: Tx 0/1/2 = 1/2/4, Rx 0/1 = 1/2. */
  txCode: number;
  rxCode: number;
  rank: number;
}): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(23); // version
  w.u8(p.pci & 0xff); // serving cell PCI bits 0–7
  w.u16((p.pci >> 8) | (p.subframe << 1) | (p.sfn << 5)); // PCI bit 8 | subframe | SFN
  w.u16(p.rnti); // PDSCH RNTI
  w.u16(p.rntiType | (p.txCode << 8) | (p.rxCode << 10) | ((p.rank - 1) << 14)); // RNTI type | Tx | Rx | rank index
  w.bytes(new Uint8Array(32)); // RB allocation bitmaps
  w.bytes(new Uint8Array(16)); // PMI, scheme, TB sizes, modulation (not decoded)
  return w.toBytes();
}

/** 0xB179 body, v3 (u16 E-ARFCN) or v4 (u32): serving RSRP/RSRQ raw (0.0625 dB steps) and neighbours. */
export function intraFreqMeasBody(
  version: 3 | 4,
  s: { cellIndex: number; earfcn: number; pci: number; rsrp: number; rsrq: number },
  neighbours: readonly { pci: number; rsrp: number; rsrq: number }[],
  detected: readonly number[] = [],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(version).u8(0).u16(0); // version | 3 reserved
  w.u8(s.cellIndex).u8(0).u16(0); // serving cell index | 3 reserved
  if (version === 4)
    w.u32(s.earfcn); // E-ARFCN
  else w.u16(s.earfcn);
  w.u16(s.pci).u16(0x1234); // serving PCI | sub-frame number
  w.u16(s.rsrp).u16(s.rsrp).u16(s.rsrq).u16(s.rsrq); // filtered RSRP, RSRQ (each twice)
  w.u8(neighbours.length).u8(detected.length); // neighbour and detected cell counts
  if (version === 4) w.u16(0); // reserved
  for (const n of neighbours) w.u16(n.pci).u16(n.rsrp).u16(n.rsrp).u16(n.rsrq).u16(n.rsrq).u16(0); // neighbour
  for (const pci of detected) {
    if (version === 4)
      w.u16(pci).u16(0); // PCI (v4: u16 + 2)
    else w.u32(pci); // PCI (v3: u32)
    w.u32(500).u32(0).u32(0); // SSS correlation | reference time
  }
  return w.toBytes();
}

/** Cumulative counters of one 0xB888 carrier record. */
export interface NrPdschStatsRaw {
  carrier: number;
  slots: number;
  decodes: number;
  pass: number;
  fail: number;
  retx: number;
  ackAsNack: number;
  harqFailures: number;
  passBytes: number;
  failBytes: number;
}

/** 0xB888 body (versions 2.x/3.x): 28-byte header, 72-byte carrier records. */
export function nrPdschStatsBody(major: 2 | 3, minor: 0 | 2, recs: readonly NrPdschStatsRaw[]): Uint8Array {
  const u64 = (w: ByteWriter, v: number): ByteWriter => w.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  const w = new ByteWriter(true);
  w.u16(minor).u16(major); // minor | major version
  w.u8(0).u8(0).u8(0).u8(0).u8(1).u8(1); // sleep, beam change, signal change, DL dyn cfg change, DL config, UL config
  w.u16(0).u16(0).u8(0); // reserved | changed-fields mask | reserved
  w.u8(recs.length); // record count
  w.bytes(new Uint8Array(12)); // reserved
  for (const r of recs) {
    w.u32(r.carrier).u32(r.slots).u32(r.decodes).u32(r.pass).u32(r.fail); // carrier | slots | decodes | CRC pass | fail
    w.u32(r.retx).u32(r.ackAsNack).u32(r.harqFailures); // retransmissions | ACK as NACK | HARQ failures
    u64(u64(w, r.passBytes), r.failBytes); // CRC pass bytes | CRC fail bytes
    u64(u64(u64(w, r.passBytes + r.failBytes), 0), 0); // TB bytes | padding | retransmitted bytes
  }
  return w.toBytes();
}
