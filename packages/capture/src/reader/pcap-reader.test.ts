import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../bytes/capture-errors.js';
import { buildPcap } from '../test-support/pcap-builder.js';
import { pcapTimeNs } from './pcap-reader.js';
import { createCaptureReader } from './create-capture-reader.js';
import {
  describeCaptureReaderSuite,
  packetsOf,
  readAll,
  type SuiteFileSpec,
} from '../test-support/capture-reader-suite.js';

function build(spec: SuiteFileSpec): Uint8Array {
  const div = spec.nanos ? 1_000_000_000n : 1_000_000n;
  const per = spec.nanos ? 1n : 1000n;
  return buildPcap({
    byteOrder: spec.byteOrder,
    nanos: spec.nanos,
    snapLen: spec.snapLen ?? 262144,
    linkType: spec.linkType ?? 1,
    packets: spec.packets.map((p) => {
      const units = p.tsNs / per;
      return { tsSec: Number(units / div), tsFrac: Number(units % div), data: p.data, origLen: p.origLen };
    }),
  });
}

describeCaptureReaderSuite({
  format: 'pcap',
  build,
  hostileLength() {
    const data = new Uint8Array(20);
    const bytes = buildPcap({
      packets: [
        { tsSec: 1, tsFrac: 0, data },
        { tsSec: 2, tsFrac: 0, data, capLen: 0x80000000 },
      ],
    });
    return { bytes, offset: 24 + 16 + 20 };
  },
});

describe('pcap reader', () => {
  it('copies packet bytes under copyData even when fed Node Buffers', () => {
    const input = Buffer.from(buildPcap({ packets: [{ tsSec: 1, tsFrac: 0, data: Uint8Array.of(1, 2, 3) }] }));
    const pk = packetsOf(readAll('pcap', input, input.length, { copyData: true }).records)[0]!;
    expect(pk.data).toEqual(Uint8Array.of(1, 2, 3));
    input.fill(0);
    expect(pk.data).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('gives records from Node Buffers as plain Uint8Array views of the same bytes (the cheaper subarray)', () => {
    const packets = [1, 2, 3].map((k) => ({ tsSec: k, tsFrac: 0, data: Uint8Array.of(k, k + 1, k + 2) }));
    const input = Buffer.from(buildPcap({ packets }));
    for (const chunk of [input.length, 30]) {
      const reader = createCaptureReader('pcap'); // copyData off: each record's data is a view, valid until next()
      const got: number[][] = [];
      const take = (): void => {
        for (let r = reader.next(); r !== undefined; r = reader.next()) {
          if (r.kind !== 'packet') continue;
          expect(r.data.constructor.name).toBe('Uint8Array'); // a Buffer's subarray is a Buffer
          if (chunk === input.length) expect(r.data.buffer).toBe(input.buffer); // not a copy
          got.push([...r.data]);
        }
      };
      for (let o = 0; o < input.length; o += chunk) {
        reader.append(input.subarray(o, o + chunk));
        take();
      }
      reader.end();
      take();
      expect(got).toEqual(packets.map((p) => [...p.data]));
    }
  });

  it('accepts a caplen above the snaplen up to Wireshark’s 262144 limit', () => {
    const data = new Uint8Array(2000);
    const bytes = buildPcap({ snapLen: 1500, packets: [{ tsSec: 1, tsFrac: 2, data }] });
    const { records, error } = readAll('pcap', bytes);
    expect(error).toBeUndefined();
    expect(packetsOf(records)[0]!.capLen).toBe(2000);
  });

  it('rejects a caplen above both the snaplen and 262144', () => {
    const bytes = buildPcap({
      snapLen: 65535,
      packets: [{ tsSec: 1, tsFrac: 2, data: new Uint8Array(4), capLen: 262145 }],
    });
    const { error } = readAll('pcap', bytes);
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect((error as Error).message).toBe(
      'offset 24: pcap record caplen 262145 exceeds the maximum 262144 (snaplen 65535)',
    );
  });

  it('rejects a short input that cannot start a pcap magic as corrupt, and waits on one that can', () => {
    const bad = readAll('pcap', Uint8Array.of(0x0a, 0x0d));
    expect(bad.error).toBeInstanceOf(CaptureFormatError);
    expect((bad.error as CaptureFormatError).truncated).toBe(false);
    const cut = readAll('pcap', Uint8Array.of(0xd4, 0xc3, 0xb2));
    expect((cut.error as CaptureFormatError).truncated).toBe(true);
  });

  it('reads Linux cooked v1 and v2 link types', () => {
    for (const linkType of [113, 276]) {
      const bytes = buildPcap({ linkType, packets: [{ tsSec: 1, tsFrac: 0, data: new Uint8Array(20) }] });
      const reader = readAll('pcap', bytes);
      expect(packetsOf(reader.records)[0]!.linkType).toBe(linkType);
      expect(reader.records[0]).toMatchObject({ kind: 'interface', linkTypeSupported: true });
    }
  });

  it('keeps the FCS length bits apart from the link type', () => {
    const bytes = buildPcap({ linkType: 0x10000000 | (2 << 29) | 1, packets: [] });
    const { records } = readAll('pcap', bytes);
    expect(records[0]).toMatchObject({ kind: 'interface', linkType: 1, fcsLen: 4 });
  });

  it('makes each record time as the bigint arithmetic does, over the whole range of the fields', () => {
    // Deterministic (xorshift): u32 seconds; ns fields up to 2^32 − 1 and µs fields × 1000 (malformed ones too).
    let x = 0x9e3779b9;
    const u32 = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    const edges = [0, 1, 999, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 2 ** 31, 2 ** 32 - 1];
    const cases: [number, number][] = [];
    for (const sec of edges) for (const sub of edges) cases.push([sec, sub], [sec, sub * 1000]);
    for (let i = 0; i < 40_000; i++) cases.push([u32(), u32()], [u32(), (u32() % 1_000_000) * 1000]);
    for (const [sec, sub] of cases) {
      const want = BigInt(sec) * 1_000_000_000n + BigInt(sub);
      if (pcapTimeNs(sec, sub) !== want) expect(`${sec} s + ${sub} ns → ${pcapTimeNs(sec, sub)}`).toBe(String(want));
    }
  });

  it('reads µs and ns records to the same times as the bigint arithmetic', () => {
    const data = new Uint8Array(20);
    const secs = [0, 1728187747, 2 ** 32 - 1];
    for (const nanos of [false, true]) {
      const fracs = nanos ? [0, 999_999_999, 2 ** 32 - 1] : [0, 999_999, 2 ** 32 - 1];
      const packets = secs.flatMap((tsSec) => fracs.map((tsFrac) => ({ tsSec, tsFrac, data })));
      const got = packetsOf(readAll('pcap', buildPcap({ nanos, packets })).records).map((p) => p.tsNs);
      const unit = nanos ? 1n : 1000n;
      expect(got).toEqual(packets.map((p) => BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsFrac) * unit));
    }
  });
});
