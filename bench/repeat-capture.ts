/**
 * Builds a large capture from a small real one by time-shifted repetition (issue 14): the sample's
 * records written again and again, each copy's timestamps moved on by the sample's span plus one mean
 * packet interval, so capture time stays monotonic across copies. Classic pcap only (µs or ns, either
 * byte order): the real fronthaul and PTP samples are pcap. The result is cut at a record boundary once
 * it reaches `targetBytes`, and reused when it already exists at that size.
 *
 * Radio time moves with capture time: the shift is rounded up to whole 10 ms radio frames and each copy's
 * O-RAN frameId (eCPRI types 0 and 2 over Ethernet, CUS §5.4.4.1 common header) advanced by as many frames
 * (mod 256), so a copy's messages keep the arrival offsets of the sample. Without it every message after
 * the first copy would arrive a sample's span late or early against its radio time, and the bench would
 * measure the rx-window detector reporting every message.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

export interface RepeatedCapture {
  path: string;
  bytes: number;
  packets: number;
  copies: number;
  cached: boolean;
}

interface Pcap {
  header: Uint8Array;
  records: Uint8Array[];
  little: boolean;
  /** Sub-second units per second: 1e6 (µs) or 1e9 (ns). */
  unitsPerS: number;
}

function readPcap(path: string): Pcap {
  const b = readFileSync(path);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magicLe = view.getUint32(0, true);
  let little: boolean;
  let unitsPerS: number;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    little = true;
    unitsPerS = magicLe === 0xa1b2c3d4 ? 1e6 : 1e9;
  } else {
    const magicBe = view.getUint32(0, false);
    if (magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d) throw new Error(`${path}: not a classic pcap file`);
    little = false;
    unitsPerS = magicBe === 0xa1b2c3d4 ? 1e6 : 1e9;
  }
  const records: Uint8Array[] = [];
  let o = 24;
  while (o + 16 <= b.length) {
    const incl = view.getUint32(o + 8, little);
    if (o + 16 + incl > b.length) break;
    records.push(b.subarray(o, o + 16 + incl));
    o += 16 + incl;
  }
  if (records.length === 0) throw new Error(`${path}: no whole record`);
  return { header: b.subarray(0, 24), records, little, unitsPerS };
}

/** Timestamp of a record in sub-second units (a JS number: exact up to 2^53, ~104 days of ns). */
function stamp(r: Uint8Array, p: Pcap): number {
  const v = new DataView(r.buffer, r.byteOffset, 16);
  return v.getUint32(0, p.little) * p.unitsPerS + v.getUint32(4, p.little);
}

export function repeatCapture(samplePath: string, outPath: string, targetBytes: number): RepeatedCapture {
  const p = readPcap(samplePath);
  const sampleBytes = p.records.reduce((n, r) => n + r.length, 0);
  const perCopy = p.records.length;
  const expectedCopies = Math.ceil(targetBytes / sampleBytes);
  if (existsSync(outPath)) {
    const size = statSync(outPath).size;
    const copies = Math.floor((size - 24) / sampleBytes);
    if (size >= targetBytes && size < targetBytes + sampleBytes + 24)
      return { path: outPath, bytes: size, packets: estimatePackets(p, size), copies, cached: true };
  }
  const first = stamp(p.records[0]!, p);
  const last = stamp(p.records[perCopy - 1]!, p);
  const span = Math.max(last - first, 0);
  const frame = p.unitsPerS / 100; // 10 ms
  const frames = Math.ceil((span + Math.max(1, Math.round(span / Math.max(perCopy - 1, 1)))) / frame);
  const step = frames * frame;
  const fd = openSync(outPath, 'w');
  let bytes = 0;
  let packets = 0;
  let copies = 0;
  try {
    writeSync(fd, p.header);
    bytes = 24;
    // One copy at a time into a buffer of the sample's size, timestamps rewritten in place.
    const buf = new Uint8Array(sampleBytes);
    const view = new DataView(buf.buffer);
    for (let c = 0; c < expectedCopies + 1 && bytes < targetBytes; c++) {
      let o = 0;
      let n = 0;
      for (const r of p.records) {
        if (bytes + o >= targetBytes) break;
        buf.set(r, o);
        const t = stamp(r, p) + c * step;
        view.setUint32(o, Math.floor(t / p.unitsPerS), p.little);
        view.setUint32(o + 4, t % p.unitsPerS, p.little);
        const at = frameIdAt(buf, o + 16, r.length - 16);
        if (at >= 0) buf[at] = (buf[at]! + c * frames) & 0xff;
        o += r.length;
        n++;
      }
      writeSync(fd, buf, 0, o);
      bytes += o;
      packets += n;
      copies++;
    }
  } finally {
    closeSync(fd);
  }
  return { path: outPath, bytes, packets, copies, cached: false };
}

/** Offset of the O-RAN frameId of an Ethernet frame at `o` (eCPRI IQ data or real-time control), or −1. */
function frameIdAt(b: Uint8Array, o: number, len: number): number {
  let e = 12;
  let type = (b[o + e]! << 8) | b[o + e + 1]!;
  while ((type === 0x8100 || type === 0x88a8) && e + 6 <= len) {
    e += 4;
    type = (b[o + e]! << 8) | b[o + e + 1]!;
  }
  const ecpri = e + 2;
  if (type !== 0xaefe || ecpri + 10 > len) return -1;
  const msgType = b[o + ecpri + 1]!;
  // eCPRI header (4) + PC_ID/RTC_ID (2) + SEQ_ID (2), then dataDirection|payloadVersion|filterIndex, frameId
  return msgType === 0 || msgType === 2 ? o + ecpri + 9 : -1;
}

/** Packets of a cached repetition: whole copies plus the records of the last partial one. */
function estimatePackets(p: Pcap, size: number): number {
  let left = size - 24;
  let packets = 0;
  for (;;) {
    for (const r of p.records) {
      if (left < r.length) return packets;
      left -= r.length;
      packets++;
    }
  }
}
