import { ByteWriter } from '../../bytes/byte-writer.js';
import { crc16X25 } from '../../sniff/crc16-x25.js';

/**
 * DIAG containers byte by byte (reference/diag.md): HDLC frames, log packets, DLF records, the qmdl2
 * header. Shared by the fixtures of the tests and by `l1t synth ue`, so both write what the readers read.
 */

/** One DIAG HDLC frame: escape(payload · CRC-16/X.25 LE) · 0x7E (see reference/diag.md). */
export function hdlcFrame(payload: Uint8Array | readonly number[]): Uint8Array {
  const p = Uint8Array.from(payload);
  const crc = crc16X25(p);
  const raw = [...p, crc & 0xff, crc >> 8];
  const out: number[] = [];
  for (const b of raw) {
    if (b === 0x7e || b === 0x7d)
      out.push(0x7d, b ^ 0x20); // escape flag and escape bytes
    else out.push(b);
  }
  out.push(0x7e); // frame terminator
  return Uint8Array.from(out);
}

/** A DIAG log packet (command 0x10): cmd, pending, outer length, length, log code, timestamp, body. */
export function diagLogPacket(logCode: number, ts: bigint, body: Uint8Array | readonly number[]): Uint8Array {
  const w = new ByteWriter(true);
  w.u8(0x10); // command code: log
  w.u8(0); // pending messages
  w.u16(12 + body.length); // outer length
  w.u16(12 + body.length); // length = 12 + body
  w.u16(logCode); // log code
  w.u64(ts); // timestamp: 1.25 ms ticks << 16
  w.bytes(body);
  return w.toBytes();
}

/** A bare DLF log record: length(2) · log code(2) · timestamp(8) · body. */
export function dlfRecord(logCode: number, ts: bigint, body: Uint8Array | readonly number[]): Uint8Array {
  return new ByteWriter(true)
    .u16(12 + body.length) // length including this 12-byte header
    .u16(logCode) // log code
    .u64(ts) // timestamp
    .bytes(body)
    .toBytes();
}

/** A qmdl2 (QShrink4) header: header_length u32, version u8, hdlc_data_type u8, guid_count u32, GUIDs. */
export function qmdl2Header(guidCount = 1, version = 2, hdlc = 1): Uint8Array {
  const w = new ByteWriter(true);
  const length = 10 + guidCount * 16;
  w.u32(length); // header length
  w.u8(version); // version
  w.u8(hdlc); // hdlc_data_type: 1 = HDLC framed
  w.u32(guidCount); // GUID count
  for (let i = 0; i < guidCount * 16; i++) w.u8(i * 13); // GUID bytes
  return w.toBytes();
}
