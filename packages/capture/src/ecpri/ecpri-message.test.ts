import { describe, expect, it } from 'vitest';
import { FindingList } from '../decode/findings.js';
import { EcpriPdu } from './ecpri-message.js';

/** eCPRI common header: revision(4)=1 | reserved(3) | C(1) ; type ; payload size (16). */
// prettier-ignore
function header(type: number, size: number, opts: { c?: boolean; revision?: number; reserved?: number } = {}): number[] {
  const rev = opts.revision ?? 1;
  return [(rev << 4) | ((opts.reserved ?? 0) << 1) | (opts.c ? 1 : 0), type, size >> 8, size & 0xff];
}

function decode(bytes: number[]): { pdu: EcpriPdu; findings: FindingList } {
  const pdu = new EcpriPdu();
  const findings = new FindingList();
  pdu.decode(Uint8Array.from(bytes), 0, bytes.length, findings);
  return { pdu, findings };
}

describe('eCPRI common header and message types', () => {
  // prettier-ignore
  it('decodes type 0 IQ data: PC_ID and SEQ_ID', () => {
    const { pdu, findings } = decode([
      ...header(0, 8),
      0x12, 0x34, // PC_ID
      0x87, 0x65, // SEQ_ID
      1, 2, 3, 4, // IQ samples
    ]);
    const m = pdu.messages[0]!;
    expect(pdu.count).toBe(1);
    expect([m.revision, m.reserved, m.cBit, m.messageType, m.payloadSize]).toEqual([1, 0, false, 0, 8]);
    expect([m.pcId, m.seqId]).toEqual([0x1234, 0x8765]);
    expect(findings.count).toBe(0);
  });

  // prettier-ignore
  it('decodes type 2 RTC_ID and type 3 32-bit PC_ID / SEQ_ID', () => {
    expect(decode([...header(2, 4), 0xab, 0xcd, 0x01, 0x80]).pdu.messages[0]!.pcId).toBe(0xabcd);
    const m = decode([...header(3, 8), 0x12, 0x34, 0x56, 0x78, 0x87, 0x65, 0x43, 0x21]).pdu.messages[0]!;
    expect([m.pcId, m.seqId]).toEqual([0x12345678, 0x87654321]);
  });

  // prettier-ignore
  it('decodes type 4 remote memory access', () => {
    const m = decode([
      ...header(4, 12),
      0x11, // RMA ID
      0x12, // read/write 1 (write) | request/response 2 (failure)
      0x22, 0x33, // element ID
      0x05, 0x04, 0x03, 0x02, 0x01, 0x00, // address (48 bits)
      0x00, 0x10, // data length
    ]).pdu.messages[0]!;
    expect([m.rmaId, m.readWrite, m.requestResponse, m.elementId, m.address, m.dataLength]).toEqual([0x11, 1, 2, 0x2233, 0x050403020100, 16]);
  });

  // prettier-ignore
  it('decodes type 5 one-way delay measurement: 48+32-bit timestamp and 64-bit compensation', () => {
    const m = decode([
      ...header(5, 20),
      0x11, // measurement ID
      0x00, // action type: request
      0x00, 0x00, 0x45, 0xb1, 0x11, 0x49, // seconds
      0x1c, 0x41, 0x78, 0xf4, // nanoseconds
      0x00, 0x00, 0x00, 0x00, 0x00, 0xb7, 0x80, 0x00, // compensation value
    ]).pdu.messages[0]!;
    expect([m.measurementId, m.actionType, m.timestampSec, m.timestampNs]).toEqual([0x11, 0, 1169232201, 474052852]);
    expect(m.compensationValue).toBe(12025856n);
  });

  // prettier-ignore
  it('decodes type 6 remote reset and type 7 event indication elements', () => {
    const r = decode([...header(6, 3), 0x11, 0x22, 0x02]).pdu.messages[0]!;
    expect([r.resetId, r.resetCode]).toEqual([0x1122, 2]);
    const e = decode([
      ...header(7, 12),
      0x11, // event ID
      0x02, // event type: notification
      0x33, // sequence number
      0x01, // number of faults/notifications
      0xff, 0xff, // element ID
      0x24, 0x00, // raise/cease 2 | fault/notification 0x400
      0xaa, 0xaa, 0xaa, 0xaa, // additional information
    ]).pdu.messages[0]!;
    expect([e.eventId, e.eventType, e.sequenceNumber, e.numberOfFaults, e.elementCount]).toEqual([0x11, 2, 0x33, 1, 1]);
    expect(e.elements[0]).toEqual({ elementId: 0xffff, raiseCease: 2, faultNotif: 0x400, additionalInfo: 0xaaaaaaaa });
  });

  // prettier-ignore
  it('follows concatenation (C bit) to the next 4-byte boundary', () => {
    const { pdu, findings } = decode([
      ...header(6, 3, { c: true }), 0x11, 0x22, 0x00, 0x00, // remote reset + 1 pad byte
      ...header(7, 4), 0x11, 0x01, 0x33, 0x00, // event indication, no elements
    ]);
    expect(pdu.count).toBe(2);
    expect(pdu.messages[1]!.messageType).toBe(7);
    expect(pdu.messages[1]!.offset).toBe(8);
    expect(findings.count).toBe(0);
  });
});

describe('eCPRI malformed input gives findings, never a throw', () => {
  it('flags a payload size beyond the frame and decodes what is there', () => {
    const { pdu, findings } = decode([...header(0, 100), 0x12, 0x34, 0x00, 0x01]);
    expect(findings.has('payload_size_beyond_frame')).toBe(true);
    expect(pdu.messages[0]!.payloadAvailable).toBe(4);
    expect(pdu.messages[0]!.pcId).toBe(0x1234);
  });

  it('flags revision ≠ 1 and reserved bits', () => {
    const { findings } = decode([...header(0, 4, { revision: 2, reserved: 5 }), 0, 0, 0, 0]);
    expect(findings.has('revision')).toBe(true);
    expect(findings.has('reserved_bits')).toBe(true);
  });

  // prettier-ignore
  it('flags a C bit with no message behind it and junk after it', () => {
    expect(decode([...header(6, 3, { c: true }), 0x11, 0x22, 0x00]).findings.has('concatenation')).toBe(true);
    const junk = decode([...header(6, 3, { c: true }), 0x11, 0x22, 0x00, 0x00, 0x7f, 0x10, 0, 0]);
    expect(junk.findings.has('concatenation')).toBe(true);
    expect(junk.pdu.count).toBe(1);
  });

  it('flags a payload shorter than the type minimum and an empty frame', () => {
    expect(decode([...header(5, 2), 0x11, 0x00]).findings.has('payload_too_short')).toBe(true);
    expect(decode([0x10]).findings.has('truncated')).toBe(true);
  });

  it('survives random bytes and every truncation', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 2000; n++) {
      const bytes = Array.from({ length: rnd() % 64 }, rnd);
      expect(() => decode(bytes)).not.toThrow();
    }
    const good = [...header(7, 12, { c: true }), 0x11, 0, 0x33, 1, 0, 1, 0, 0, 0, 0, 0, 0, ...header(6, 4), 1, 2, 3, 0];
    for (let cut = 0; cut <= good.length; cut++) expect(() => decode(good.slice(0, cut))).not.toThrow();
  });
});
