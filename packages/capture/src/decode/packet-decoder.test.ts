import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureRecords } from '../reader/create-capture-reader.js';
import { DecodedPacket } from './decoded-packet.js';
import { createPacketDecoder } from './packet-decoder.js';
import { toWiresharkFields, timeEpochString } from './wireshark-fields.js';

// prettier-ignore
const DST = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
// prettier-ignore
const SRC = [0x00, 0x33, 0x22, 0x33, 0x00, 0x11];

/** Ethernet II with one 802.1Q tag (PCP 7, VID 21) carrying `ethertype`. */
function ethVlan(ethertype: number, payload: number[]): Uint8Array {
  return Uint8Array.from([...DST, ...SRC, 0x81, 0x00, 0xe0, 0x15, ethertype >> 8, ethertype & 0xff, ...payload]);
}

/** Ethernet / IPv4 / UDP carrying `payload` to `dstPort`. */
// prettier-ignore
function ethUdp(dstPort: number, payload: number[]): Uint8Array {
  const udpLen = 8 + payload.length;
  const ipLen = 20 + udpLen;
  // prettier-ignore
  return Uint8Array.from([
    ...DST, ...SRC, 0x08, 0x00,
    0x45, 0x00, ipLen >> 8, ipLen & 0xff, 0, 0, 0x40, 0x00, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4
    0x04, 0x00, dstPort >> 8, dstPort & 0xff, udpLen >> 8, udpLen & 0xff, 0, 0, // UDP
    ...payload,
  ]);
}

/** eCPRI type 0 + O-RAN U-plane: eAxC 0x0001, seq 9, DL, frame 12, subframe 3, slot 1, symbol 7, one 9-bit BFP PRB. */
// prettier-ignore
const UPLANE = [
  0x10, 0x00, 0x00, 4 + 4 + 4 + 28, // eCPRI header: revision 1, type 0, payload size 40
  0x00, 0x01, 0x09, 0x80, // pcid (eAxC 1), seqid: seq 9 | E=1
  0x90, 12, 0x30, 0x47, // DL | payloadVersion 1, frameId 12, subframe 3 | slot 1 | symbol 7
  0x00, 0x10, 0x05, 0x01, // sectionId 1, startPrbu 5, numPrbu 1
  0x04, ...Array(27).fill(0x11), // udCompParam exponent 4 + 24 × 9-bit mantissas
];

/** PTP Sync, two-step, domain 24, sequence 77. */
// prettier-ignore
const SYNC = [0x00, 0x02, 0x00, 44, 24, 0, 0x02, 0x00, ...Array(8).fill(0), 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 77, 0, 0xfc, ...Array(10).fill(0)];

describe('createPacketDecoder', () => {
  const options = { compMethod: 'bfp' as const, iqWidth: 9, compHdr: 'static' as const, nrb: 106 };

  it('decodes Ethernet/VLAN/eCPRI U-plane into the reused object and maps Wireshark fields', () => {
    const dec = createPacketDecoder(options);
    const out = new DecodedPacket();
    const got = dec.decode(1, ethVlan(0xaefe, UPLANE), 1_760_727_098_799_598_000n, 3, out);
    expect(got).toBe(out);
    expect([out.kind, out.hasOran, out.oran.plane, out.findings.count]).toEqual(['ecpri', true, 'u', 0]);
    expect(toWiresharkFields(out)).toMatchObject({
      'frame.number': 3,
      'frame.time_epoch': '1760727098.799598000',
      'eth.src': '00:33:22:33:00:11',
      'vlan.id': 21,
      'ecpri.type': 0,
      'ecpri.pcid': 1,
      'ecpri.size': 40,
      'oran_fh_cus.du_port_id': 0,
      'oran_fh_cus.ru_port_id': 1,
      'oran_fh_cus.sequence_id': 9,
      'oran_fh_cus.data_direction': 1,
      'oran_fh_cus.frameId': 12,
      'oran_fh_cus.subframe_id': 3,
      'oran_fh_cus.slotId': 1,
      'oran_fh_cus.symbolId': 7,
      'oran_fh_cus.sectionId': 1,
      'oran_fh_cus.startPrbu': 5,
      'oran_fh_cus.numPrbu': 1,
      'oran_fh_cus.exponent': 4,
    });
  });

  // prettier-ignore
  it('decodes every O-RAN message of a concatenated eCPRI PDU', () => {
    const first = [...UPLANE];
    first[0] = 0x11; // C bit: another eCPRI message follows (UPLANE is 44 bytes: already 4-byte aligned)
    const second = [...UPLANE];
    second[6] = 0x0a; // ecpriSeqid: seq 10
    const out = createPacketDecoder(options).decode(1, ethVlan(0xaefe, [...first, ...second]), 0n, 1, new DecodedPacket());
    expect([out.ecpri.count, out.oranCount, out.findings.count]).toEqual([2, 2, 0]);
    expect(toWiresharkFields(out)).toMatchObject({ 'ecpri.cbit': [true, false], 'oran_fh_cus.sequence_id': [9, 10], 'oran_fh_cus.exponent': [4, 4] });
  });

  // prettier-ignore
  it('keeps only the requested fields, in the requested order', () => {
    const dec = createPacketDecoder(options);
    const out = dec.decode(1, ethVlan(0xaefe, UPLANE), 0n, 1, new DecodedPacket());
    expect(Object.keys(toWiresharkFields(out, ['oran_fh_cus.frameId', 'frame.number', 'ptp.v2.sequenceid']))).toEqual(['oran_fh_cus.frameId', 'frame.number']);
  });

  // prettier-ignore
  it('decodes eCPRI over UDP only on a configured port', () => {
    const frame = ethUdp(123, UPLANE);
    expect(createPacketDecoder({ ...options, ecpriUdpPorts: [123] }).decode(1, frame, 0n, 1, new DecodedPacket()).kind).toBe('ecpri');
    expect(createPacketDecoder(options).decode(1, frame, 0n, 1, new DecodedPacket()).kind).toBe('other');
  });

  // prettier-ignore
  it('recognises eCPRI on an unknown UDP port only with the opt-in heuristic', () => {
    const frame = ethUdp(40000, UPLANE);
    expect(createPacketDecoder({ ...options, ecpriUdpHeuristic: true }).decode(1, frame, 0n, 1, new DecodedPacket()).kind).toBe('ecpri');
    expect(createPacketDecoder(options).decode(1, frame, 0n, 1, new DecodedPacket()).kind).toBe('other');
    const dns = ethUdp(53, [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(createPacketDecoder({ ecpriUdpHeuristic: true }).decode(1, dns, 0n, 1, new DecodedPacket()).kind).toBe('other');
  });

  // prettier-ignore
  it('decodes PTP over Ethernet 0x88F7 and UDP 319', () => {
    const dec = createPacketDecoder();
    const out = new DecodedPacket();
    for (const frame of [ethVlan(0x88f7, SYNC), ethUdp(319, SYNC)]) {
      dec.decode(1, frame, 0n, 1, out);
      expect(out.kind).toBe('ptp');
      expect(toWiresharkFields(out)).toMatchObject({ 'ptp.v2.messagetype': 0, 'ptp.v2.sequenceid': 77, 'ptp.v2.clockidentity': '0x0102030405060708', 'ptp.v2.flags.twostep': true });
    }
  });

  // prettier-ignore
  it('reports findings on the decoded object for a payload size past the frame', () => {
    const bad = [...UPLANE];
    bad[3] = 200;
    const out = createPacketDecoder(options).decode(1, ethVlan(0xaefe, bad), 0n, 1, new DecodedPacket());
    expect(out.findings.has('payload_size_beyond_frame')).toBe(true);
    expect(toWiresharkFields(out)['l1t.findings']).toEqual([{ type: 'ecpri_malformed', code: 'payload_size_beyond_frame', offset: 20, value: 200 }]);
  });

  it('formats frame.time_epoch with 9 decimals', () => {
    expect(timeEpochString(0n)).toBe('0.000000000');
    expect(timeEpochString(1_547_785_419_603_555_060n)).toBe('1547785419.603555060');
  });

  // prettier-ignore
  it('never throws on random frames or truncations, and clears state between packets', () => {
    const dec = createPacketDecoder();
    const out = new DecodedPacket();
    let seed = 1;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 3000; n++) {
      const body = Array.from({ length: rnd() % 200 }, rnd);
      const ethertype = [0xaefe, 0x88f7, 0x0800][n % 3]!;
      expect(() => dec.decode(1, ethVlan(ethertype, body), 0n, n + 1, out)).not.toThrow();
      expect(() => toWiresharkFields(out)).not.toThrow();
    }
    const good = ethVlan(0xaefe, UPLANE);
    for (let cut = 0; cut <= good.length; cut++) expect(() => dec.decode(1, good.subarray(0, cut), 0n, 1, out)).not.toThrow();
    dec.decode(1, ethVlan(0x0800, []), 0n, 1, out);
    expect([out.kind, out.hasOran, out.findings.count]).toEqual(['other', false, 0]);
  });
});

const SAMPLE = '/work/shared/samples/Utilities/fh_1x1.pcap';

describe('decode throughput', () => {
  it.skipIf(!existsSync(SAMPLE) && process.env['L1T_REQUIRE_ALL_SUITES'] !== '1')(
    'decodes a real BFP capture fast (reported in MB/s)',
    () => {
      const buf = new Uint8Array(readFileSync(join(SAMPLE)));
      const frames: { linkType: number; data: Uint8Array; tsNs: bigint }[] = [];
      for (const r of readCaptureRecords(buf, 'pcap', { copyData: true }))
        if (r.kind === 'packet') frames.push({ linkType: r.linkType, data: r.data, tsNs: r.tsNs });
      const bytes = frames.reduce((a, f) => a + f.data.length, 0);
      for (const computeIq of [true, false]) {
        const dec = createPacketDecoder({
          eaxcBits: { duPort: 4, bandSector: 4, cc: 4, ruPort: 4 },
          compMethod: 'bfp',
          iqWidth: 9,
          compHdr: 'static',
          nrb: 106,
          computeIq,
        });
        const out = new DecodedPacket();
        for (let i = 0; i < frames.length; i++) dec.decode(1, frames[i]!.data, frames[i]!.tsNs, i + 1, out); // warm-up
        let total = 0;
        const t0 = performance.now();
        let rounds = 0;
        while (performance.now() - t0 < 400) {
          for (let i = 0; i < frames.length; i++)
            dec.decode(frames[i]!.linkType, frames[i]!.data, frames[i]!.tsNs, i + 1, out);
          total += bytes;
          rounds++;
        }
        const mbps = total / 1e6 / ((performance.now() - t0) / 1000);
        console.log(
          `decode fh_1x1.pcap computeIq=${computeIq}: ${mbps.toFixed(0)} MB/s (${rounds} rounds of ${frames.length} frames)`,
        );
        // Informational (machines are shared): only a gross regression fails. tshark 4.0 does ~8 MB/s here.
        expect(mbps).toBeGreaterThan(2);
      }
    },
  );
});
