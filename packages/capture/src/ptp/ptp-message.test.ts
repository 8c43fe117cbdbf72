import { describe, expect, it } from 'vitest';
import { decodePtp, PtpMessage, ptpIdentityHex } from './ptp-message.js';

/** 34-byte PTP v2 common header. */
// prettier-ignore
function header(type: number, length: number, opts: { flags?: number; seq?: number; correction?: number[]; sdo?: number } = {}): number[] {
  // prettier-ignore
  return [
    ((opts.sdo ?? 0) << 4) | type, // majorSdoId | messageType
    0x02, // minorVersionPTP 0 | versionPTP 2
    length >> 8, length & 0xff, // messageLength
    24, // domainNumber
    0, // minorSdoId
    (opts.flags ?? 0) >> 8, (opts.flags ?? 0) & 0xff, // flagField
    ...(opts.correction ?? [0, 0, 0, 0, 0, 0, 0, 0]), // correctionField
    0, 0, 0, 0, // messageTypeSpecific
    0xb8, 0xce, 0xf6, 0xff, 0xfe, 0x5e, 0x6a, 0xfa, // clockIdentity
    0x00, 0x01, // portNumber
    (opts.seq ?? 5731) >> 8, (opts.seq ?? 5731) & 0xff, // sequenceId
    0x00, // controlField
    0xfc, // logMessageInterval -4
  ];
}
// prettier-ignore
const ts = (sec: number, ns: number): number[] => [0, 0, sec >>> 24, (sec >> 16) & 255, (sec >> 8) & 255, sec & 255, ns >>> 24, (ns >> 16) & 255, (ns >> 8) & 255, ns & 255];

function run(bytes: number[]): PtpMessage {
  const m = new PtpMessage();
  decodePtp(Uint8Array.from(bytes), 0, bytes.length, m);
  return m;
}

describe('PTP v2', () => {
  // prettier-ignore
  it('decodes the common header of a two-step Sync', () => {
    const m = run([...header(0, 44, { flags: 0x0208, correction: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00] }), ...ts(0, 0)]);
    expect([m.valid, m.messageType, m.version, m.messageLength, m.domainNumber, m.twoStep, m.ptpTimescale]).toEqual([true, 0, 2, 44, 24, true, true]);
    expect(m.correctionField).toBe(-65536n); // −1 ns × 2^16
    expect(ptpIdentityHex(m.clockIdentityHi, m.clockIdentityLo)).toBe('0xb8cef6fffe5e6afa');
    expect([m.sourcePort, m.sequenceId, m.controlField, m.logMessageInterval]).toEqual([1, 5731, 0, -4]);
  });

  // prettier-ignore
  it('decodes Follow_Up, Delay_Req and Delay_Resp timestamps and requesting port', () => {
    expect([run([...header(8, 44), ...ts(1716234511, 645305282)]).timestampSec, run([...header(8, 44), ...ts(1716234511, 645305282)]).timestampNs]).toEqual([1716234511, 645305282]);
    expect(run([...header(1, 44), ...ts(7, 8)]).timestampNs).toBe(8);
    const r = run([...header(9, 54), ...ts(100, 200), 1, 2, 3, 4, 5, 6, 7, 8, 0, 9]);
    expect([r.timestampSec, r.timestampNs, r.requestingPort, ptpIdentityHex(r.requestingClockIdentityHi, r.requestingClockIdentityLo)]).toEqual([100, 200, 9, '0x0102030405060708']);
  });

  it('decodes Pdelay_Req, Pdelay_Resp and Pdelay_Resp_Follow_Up', () => {
    expect(run([...header(2, 54), ...ts(1, 2), ...Array(10).fill(0)]).timestampSec).toBe(1);
    const resp = run([...header(3, 54), ...ts(3, 4), 1, 1, 1, 1, 1, 1, 1, 1, 0, 2]);
    expect([resp.timestampSec, resp.requestingPort]).toEqual([3, 2]);
    expect(run([...header(10, 54), ...ts(5, 6), ...Array(10).fill(0)]).timestampNs).toBe(6);
  });

  // prettier-ignore
  it('decodes Announce: UTC offset, priorities, clock quality, grandmaster, steps, time source', () => {
    const m = run([
      ...header(11, 64, { flags: 0x0008 }),
      ...ts(0, 0), // originTimestamp
      0x00, 0x25, // currentUtcOffset 37
      0x00, // reserved
      128, // grandmasterPriority1
      6, 0x21, 0xff, 0xff, // clockClass 6, clockAccuracy 0x21, offsetScaledLogVariance 0xffff
      128, // grandmasterPriority2
      0xfc, 0xaf, 0x6a, 0xff, 0xfe, 0x02, 0xba, 0xbe, // grandmasterIdentity
      0x00, 0x02, // stepsRemoved
      0x20, // timeSource GPS
    ]);
    expect([m.currentUtcOffset, m.grandmasterPriority1, m.clockClass, m.clockAccuracy, m.offsetScaledLogVariance, m.grandmasterPriority2]).toEqual([37, 128, 6, 0x21, 0xffff, 128]);
    expect([ptpIdentityHex(m.grandmasterIdentityHi, m.grandmasterIdentityLo), m.stepsRemoved, m.timeSource, m.ptpTimescale]).toEqual(['0xfcaf6afffe02babe', 2, 0x20, true]);
  });

  // prettier-ignore
  it('returns Signaling and Management as unknown bodies with their TLV types', () => {
    const sig = run([...header(12, 58), ...Array(10).fill(0xff), 0x00, 0x04, 0x00, 0x06, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x05, 0x00, 0x00]);
    expect([sig.unknownBody, sig.tlvCount, sig.tlvTypes[0], sig.tlvTypes[1]]).toEqual([true, 2, 4, 5]);
    const mgmt = run([...header(13, 54), ...Array(10).fill(0xff), 1, 1, 0x01, 0, 0x00, 0x01, 0x00, 0x02, 0x20, 0x00]);
    expect([mgmt.unknownBody, mgmt.tlvCount, mgmt.tlvTypes[0]]).toEqual([true, 1, 1]);
  });

  it('never throws on short or random input', () => {
    expect(run([0x00, 0x02]).valid).toBe(false);
    let seed = 5;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 2000; n++) expect(() => run(Array.from({ length: rnd() }, rnd))).not.toThrow();
  });
  // prettier-ignore
  it('keeps what ptp_malformed judges: bytes present, nanoseconds as UInteger32, a TLV running past the end', () => {
    // a Sync of the TIMESAFE one-step attack: nanoseconds 2790862324 (tshark 4.0 prints -1504104972)
    const sync = run([...header(0, 44), ...ts(104807774, 2790862324), 0, 0]);
    expect([sync.timestampNs, sync.available, sync.tlvOverrun]).toEqual([2790862324, 46, false]);
    // Signaling (44 + TLV header 4 + 2 bytes) whose TLV lengthField claims 8 bytes
    const sig = run([...header(0xc, 50), ...Array<number>(10).fill(0), 0x00, 0x01, 0x00, 0x08, 1, 2]);
    expect([sig.tlvCount, sig.tlvOverrun]).toEqual([1, true]);
    // messageLength 256 in a 44-byte frame: the body is read up to the bytes present
    const long = run([...header(0, 256), ...ts(1, 2)]);
    expect([long.messageLength, long.available, long.timestampNs]).toEqual([256, 44, 2]);
  });
});
