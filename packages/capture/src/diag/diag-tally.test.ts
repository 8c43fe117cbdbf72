import { describe, expect, it } from 'vitest';
import { DiagDecoderRegistry } from './decoders/registry.js';
import { DiagLogReader, type DiagRecord } from './diag-log-reader.js';
import { DiagTally } from './diag-tally.js';
import { concat, diagLogPacket, hdlcFrame, rawTs } from './test-support/diag-fixtures.js';

/** Tallies an HDLC stream of the given log packets the way the DIAG analyzer does. */
function tally(packets: Uint8Array[]): DiagTally {
  const reader = new DiagLogReader('diag_hdlc');
  const registry = new DiagDecoderRegistry();
  const t = new DiagTally();
  reader.append(concat(packets.map((p) => hdlcFrame(p))));
  reader.end();
  for (let r = reader.next(); r; r = reader.next())
    t.add(r, r.kind === 'log' ? registry.decode(r.packet.logCode, r.packet.body) : undefined);
  return t;
}

describe('DiagTally', () => {
  it('counts each (log code, version) pair apart, versions of one code interleaved', () => {
    // 0x1234 and 0x1235 have no decoder: their version is the body's first byte.
    const t = tally([
      diagLogPacket(0x1234, rawTs(1), [7, 0]),
      diagLogPacket(0x1234, rawTs(2), [9, 0]),
      diagLogPacket(0x1234, rawTs(3), [7, 0]),
      diagLogPacket(0x1235, rawTs(4), [7]),
      diagLogPacket(0x1234, rawTs(5), []),
    ]);
    expect(t.records).toBe(5);
    expect(t.unknown).toBe(5);
    expect(t.sortedPairs().map((c) => [c.logCode, c.version, c.unknown])).toEqual([
      [0x1234, 7, 2],
      [0x1234, -1, 1],
      [0x1234, 9, 1],
      [0x1235, 7, 1],
    ]);
  });

  it('keeps large versions of one code apart from small versions of another', () => {
    // Keyed as code · 512 + version, 0x1234 version 512 and 0x1235 version 0 were one pair.
    const t = new DiagTally();
    const packet = (logCode: number) =>
      ({
        kind: 'log',
        index: 1,
        byteOffset: 0,
        badReason: undefined,
        packet: { logCode, subscription: -1, bodyBytes: new Uint8Array(1), bodyStart: 0, bodyEnd: 1 },
      }) as unknown as DiagRecord;
    const result = (logCode: number, version: number) =>
      ({ status: 'decoded', logCode, version, name: 'x', fields: {}, reason: undefined }) as const;
    t.add(packet(0x1234), result(0x1234, 512));
    t.add(packet(0x1235), result(0x1235, 0));
    t.add(packet(0x1234), result(0x1234, 0x20007));
    t.add(packet(0x1234 + 256), result(0x1234 + 256, 7));
    expect(t.sortedPairs().map((c) => [c.logCode, c.version, c.decoded])).toEqual([
      [0x1234, 512, 1],
      [0x1234, 0x20007, 1],
      [0x1235, 0, 1],
      [0x1234 + 256, 7, 1],
    ]);
  });
});
