/**
 * Minimal independent reader for the generator's own output (tests only): pcap/pcapng records and the
 * fixed frame layouts of fronthaul-frames.ts / ptp-frames.ts, decoded from first principles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REQUIRE_ALL_SUITES } from '../../../../../test-support/shared.js';

export interface RawRecord {
  index: number;
  tsNs: bigint;
  data: Uint8Array;
  comment?: string;
  /** pcapng interface id (0 for pcap). */
  interfaceId: number;
}

export function readRecords(bytes: Uint8Array): RawRecord[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RawRecord[] = [];
  const magic = v.getUint32(0, true);
  if (magic === 0xa1b23c4d || magic === 0xa1b2c3d4) {
    const ns = magic === 0xa1b23c4d;
    let o = 24;
    while (o + 16 <= bytes.length) {
      const sec = v.getUint32(o, true);
      const frac = v.getUint32(o + 4, true);
      const len = v.getUint32(o + 8, true);
      out.push({
        index: out.length + 1,
        tsNs: BigInt(sec) * 1_000_000_000n + BigInt(ns ? frac : frac * 1000),
        data: bytes.subarray(o + 16, o + 16 + len),
        interfaceId: 0,
      });
      o += 16 + len;
    }
    return out;
  }
  if (magic !== 0x0a0d0d0a) throw new Error('not a capture');
  let o = 0;
  // ns per timestamp unit of each interface (IDB if_tsresol, option 9: 10^-n s; default µs)
  const unitNs: bigint[] = [];
  while (o + 12 <= bytes.length) {
    const type = v.getUint32(o, true);
    const len = v.getUint32(o + 4, true);
    if (type === 1) {
      let res = 6;
      for (let p = o + 16; p + 4 <= o + len - 4;) {
        const code = v.getUint16(p, true);
        const olen = v.getUint16(p + 2, true);
        if (code === 0) break;
        if (code === 9) res = bytes[p + 4] ?? 6;
        p += 4 + ((olen + 3) & ~3);
      }
      unitNs.push(10n ** BigInt(9 - res));
    }
    if (type === 6) {
      const iface = v.getUint32(o + 8, true);
      const units = (BigInt(v.getUint32(o + 12, true)) << 32n) | BigInt(v.getUint32(o + 16, true));
      const ts = units * (unitNs[iface] ?? 1000n);
      const cap = v.getUint32(o + 20, true);
      const rec: RawRecord = {
        index: out.length + 1,
        tsNs: ts,
        data: bytes.subarray(o + 28, o + 28 + cap),
        interfaceId: iface,
      };
      let p = o + 28 + ((cap + 3) & ~3);
      while (p + 4 <= o + len - 4) {
        const code = v.getUint16(p, true);
        const olen = v.getUint16(p + 2, true);
        if (code === 0) break;
        if (code === 1) rec.comment = Buffer.from(bytes.subarray(p + 4, p + 4 + olen)).toString('utf8');
        p += 4 + ((olen + 3) & ~3);
      }
      out.push(rec);
    }
    o += len;
  }
  return out;
}

export interface Decoded {
  index: number;
  tsNs: bigint;
  kind: 'u' | 'c' | 'ptp' | 'owd' | 'other';
  len: number;
  /** Ethernet source/destination MAC and the VLAN id of the frame (eCPRI frames). */
  srcMac?: string;
  dstMac?: string;
  vlan?: number;
  /** 0-based position of the message in its eCPRI PDU and the PDU's message count (decodeAll). */
  message?: number;
  messages?: number;
  ecpriRevisionByte?: number;
  ecpriSize?: number;
  eaxc?: number;
  seq?: number;
  eBit?: number;
  dl?: boolean;
  frameId?: number;
  subframeId?: number;
  slotId?: number;
  symbolId?: number;
  sectionId?: number;
  startPrb?: number;
  numPrb?: number;
  udCompHdr?: number;
  numSymbol?: number;
  exponents?: number[];
  prbData?: Uint8Array;
  ptpType?: number;
  ptpSeq?: number;
  ptpTs?: { sec: number; nsec: number };
  ptpSource?: string;
  clockClass?: number;
  gm?: string;
  owdAction?: number;
  owdId?: number;
}

function ts10(d: Uint8Array, o: number): { sec: number; nsec: number } {
  const sec =
    (((d[o] ?? 0) << 8) | (d[o + 1] ?? 0)) * 2 ** 32 +
    (((d[o + 2] ?? 0) << 24) >>> 0) +
    ((d[o + 3] ?? 0) << 16) +
    ((d[o + 4] ?? 0) << 8) +
    (d[o + 5] ?? 0);
  const nsec = (((d[o + 6] ?? 0) << 24) >>> 0) + ((d[o + 7] ?? 0) << 16) + ((d[o + 8] ?? 0) << 8) + (d[o + 9] ?? 0);
  return { sec, nsec };
}

const hex = (d: Uint8Array): string => Buffer.from(d).toString('hex');
const mac = (d: Uint8Array, o: number): string =>
  Array.from(d.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

/**
 * Every eCPRI message of a frame (eCPRI v2.0 §3.1.3.1: while C = 1 another message follows, 4-byte aligned
 * from the PDU start), each decoded as `decode` decodes a frame's first one.
 */
export function decodeAll(rec: RawRecord, prbBytes: number, nrb: number, dynamicCompHdr = false): Decoded[] {
  const first = decode(rec, prbBytes, nrb, dynamicCompHdr);
  const out = [first];
  if (first.kind !== 'u' && first.kind !== 'c' && first.kind !== 'owd') return out;
  const d = rec.data;
  const pduStart = (d[16] === 0x08 && d[17] === 0x00 ? 28 : 0) + 18;
  let at = pduStart;
  for (let m = out[0]; m && ((m.ecpriRevisionByte ?? 0) & 1) === 1 && out.length < 64;) {
    const size = ((d[at + 2] ?? 0) << 8) | (d[at + 3] ?? 0);
    const end = at + 4 + size;
    at = end + ((4 - ((end - pduStart) & 3)) & 3);
    if (at + 4 > d.length) break;
    m = decode(rec, prbBytes, nrb, dynamicCompHdr, at);
    out.push(m);
  }
  out.forEach((m, i) => {
    m.message = i;
    m.messages = out.length;
  });
  return out;
}

/** Decodes a frame's (first) message; `at`: offset of another message's eCPRI header in the frame. */
export function decode(rec: RawRecord, prbBytes: number, nrb: number, dynamicCompHdr = false, at?: number): Decoded {
  const d = rec.data;
  const u16 = (o: number): number => ((d[o] ?? 0) << 8) | (d[o + 1] ?? 0);
  const base: Decoded = { index: rec.index, tsNs: rec.tsNs, kind: 'other', len: d.length };
  if (u16(12) === 0x88f7) {
    const p = 14;
    const t = (d[p] ?? 0) & 0x0f;
    const r: Decoded = {
      ...base,
      kind: 'ptp',
      ptpType: t,
      ptpSeq: u16(p + 30),
      ptpTs: ts10(d, p + 34),
      ptpSource: hex(d.subarray(p + 20, p + 28)),
    };
    if (t === 0xb) {
      r.clockClass = d[p + 34 + 14];
      r.gm = hex(d.subarray(p + 34 + 19, p + 34 + 27));
    }
    return r;
  }
  if (u16(12) !== 0x8100) return base;
  // eCPRI right after the VLAN tag (0xAEFE), or behind IPv4 (no options) + UDP
  let shift = 0;
  if (u16(16) === 0x0800 && d[18] === 0x45 && d[27] === 17) shift = 28;
  else if (u16(16) !== 0xaefe) return base;
  const ipShift = shift;
  if (at !== undefined) shift = at - 18;
  // byte / 16-bit word at the offset the Ethernet layout gives it (fronthaul-frames.ts)
  const b = (i: number): number => d[i + shift] ?? 0;
  const w16 = (i: number): number => (b(i) << 8) | b(i + 1);
  const type = b(19);
  const r: Decoded = {
    ...base,
    srcMac: mac(d, 6),
    dstMac: mac(d, 0),
    vlan: u16(14) & 0x0fff,
    ecpriRevisionByte: b(18),
    ecpriSize: w16(20),
  };
  if (ipShift) r.ecpriSize = w16(20) + ipShift; // compare with the frame length as in the Ethernet layout
  if (at !== undefined) r.ecpriSize = w16(20) + at - 18;
  // a message of a concatenated PDU ends where its payload size says, not at the frame's end
  const msgEnd = (b(18) & 1) === 1 || at !== undefined ? Math.min(d.length, 22 + shift + w16(20)) : d.length;
  if (type === 5) return { ...r, kind: 'owd', owdId: b(22), owdAction: b(23), ptpTs: ts10(d, 24 + shift) };
  r.eaxc = w16(22);
  r.seq = b(24);
  r.eBit = b(25) >> 7;
  r.dl = (b(26) & 0x80) !== 0;
  r.frameId = b(27);
  const w = w16(28);
  r.subframeId = w >> 12;
  r.slotId = (w >> 6) & 0x3f;
  r.symbolId = w & 0x3f;
  if (type === 0) {
    r.kind = 'u';
    const sec = (b(30) << 16) | (b(31) << 8) | b(32);
    r.sectionId = sec >> 12;
    r.startPrb = sec & 0x3ff;
    r.numPrb = b(33) === 0 ? nrb : b(33);
    const data = 34 + shift + (dynamicCompHdr ? 2 : 0);
    if (dynamicCompHdr) r.udCompHdr = b(34);
    r.prbData = d.subarray(data, msgEnd);
    r.exponents = [];
    for (let o = data; o + prbBytes <= msgEnd; o += prbBytes) r.exponents.push((d[o] ?? 0) & 0x0f);
  } else if (type === 2) {
    r.kind = 'c';
    r.udCompHdr = b(32);
    const sec = (b(34) << 16) | (b(35) << 8) | b(36);
    r.sectionId = sec >> 12;
    r.startPrb = sec & 0x3ff;
    r.numPrb = b(37) === 0 ? nrb : b(37);
    r.numSymbol = b(39) & 0x0f;
  }
  return r;
}

/** tshark availability: skip when missing, fail under L1T_REQUIRE_ALL_SUITES=1. */
export function tsharkAvailable(): boolean {
  let ok = existsSync('/usr/bin/tshark');
  if (ok) {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    } catch {
      ok = false;
    }
  }
  if (!ok && REQUIRE_ALL_SUITES) throw new Error('tshark is missing and L1T_REQUIRE_ALL_SUITES=1');
  return ok;
}

/** Runs tshark -T fields on a file; returns one array of columns per packet. */
export function tsharkFields(file: string, fields: string[], extra: string[] = []): string[][] {
  const args = [
    '-r',
    file,
    '-o',
    'oran_fh_cus.oran.iq_bitwidth_down:9',
    '-o',
    'oran_fh_cus.oran.iq_bitwidth_up:9',
    ...extra,
    '-T',
    'fields',
  ];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/**
 * Air time (Unix ns, floored) of frame/subframe/slot/symbol nearest `nearNs`, computed from first
 * principles (GPS epoch, 18 leap seconds, TS 38.211 §5.3.1 symbol lengths) independently of radio-time.ts.
 */
export function expectedAirNs(
  mu: number,
  frameId: number,
  subframeId: number,
  slotId: number,
  symbolId: number,
  nearNs: bigint,
): bigint {
  const origin = (315964800n - 18n) * 1_000_000_000n;
  const rel = nearNs - origin;
  const sfNow = rel / 1_000_000n;
  const wrap = 2560n;
  const baseSf = sfNow - (sfNow % wrap);
  const want = BigInt(frameId * 10 + subframeId);
  let best = baseSf + want;
  for (const c of [baseSf - wrap + want, baseSf + wrap + want]) {
    const dc = c > sfNow ? c - sfNow : sfNow - c;
    const db = best > sfNow ? best - sfNow : sfNow - best;
    if (dc < db) best = c;
  }
  // Tc units within the subframe: symbol n lasts (2048+144)·64·2^-μ Tc, +16·64 Tc at each half-subframe start
  const n = slotId * 14 + symbolId;
  const perHalf = 7 << mu;
  let tc = 0n;
  for (let i = 0; i < n; i++) tc += BigInt((2192 * 64) >> mu) + (i % perHalf === 0 ? 1024n : 0n);
  return origin + best * 1_000_000n + (tc * 1_000_000_000n) / 1_966_080_000n;
}
