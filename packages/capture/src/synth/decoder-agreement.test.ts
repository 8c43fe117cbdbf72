import { describe, expect, it } from 'vitest';
import { DecodedPacket, createPacketDecoder } from '../index.js';
import { concatBytes } from './capture-writer.js';
import { parseFaultSpec } from './fault-spec.js';
import { synthFronthaul } from './fronthaul-synth.js';
import { decodeWithPackage, shapeCapture } from './test-support/shape-capture.js';
import { readRecords } from './test-support/synth-reader.js';
import { TRAFFIC_SHAPES } from './traffic-shapes.js';

/** The package's own decoder (packages/capture/src/decode) must agree with the generator's ground truth. */
function findings(
  spec: string,
  udp = false,
  dynamic = false,
): {
  found: Map<number, string[]>;
  labels: { type: string; packet_index: number; kind: string }[];
  oran: number;
  expectedOran: number;
} {
  const synth = synthFronthaul(
    {
      durationS: 0.5,
      scsKhz: 15,
      nrb: 12,
      eaxc: { dl: [0, 1], ul: [0, 1] },
      transport: udp ? 'udp' : 'ethernet',
      compHdr: dynamic ? 'dynamic' : 'static',
    },
    parseFaultSpec(spec),
    3,
  );
  const bytes = concatBytes([...synth]);
  const decoder = createPacketDecoder({
    compMethod: 'bfp',
    iqWidth: 9,
    compHdr: dynamic ? 'dynamic' : 'static',
    nrb: 12,
    ecpriUdpPorts: udp ? [50001] : [],
  });
  const out = new DecodedPacket();
  const found = new Map<number, string[]>();
  let oran = 0;
  for (const r of readRecords(bytes)) {
    decoder.decode(1, r.data, r.tsNs, r.index, out);
    if (out.hasOran) oran++;
    for (let i = 0; i < out.findings.count; i++) {
      const f = out.findings.items[i]!;
      found.set(r.index, [...(found.get(r.index) ?? []), `${f.type}/${f.code}`]);
    }
  }
  return {
    found,
    labels: synth.labels.map((l) => ({ type: l.type, packet_index: l.packet_index, kind: String(l.params.kind) })),
    oran,
    expectedOran: synth.stats.uplanePackets + synth.stats.cplanePackets,
  };
}

describe('generator output against the capture decoder', () => {
  it('a clean capture has no decoder findings (Ethernet and UDP transport, static and dynamic udCompHdr)', () => {
    for (const [udp, dynamic] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const r = findings('', udp, dynamic);
      expect([...r.found]).toEqual([]);
      expect(r.oran).toBe(r.expectedOran);
    }
  });

  it('each malformed kind is found exactly at its labelled packet, and nowhere else', () => {
    const spec = [
      'ecpri_malformed@0.05',
      'ecpri_malformed@0.10:kind=revision',
      'ecpri_malformed@0.15:kind=reserved',
      'ecpri_malformed@0.20:kind=concat',
      'oran_malformed@0.25',
      'oran_malformed@0.30:plane=u',
      'oran_malformed@0.35:plane=u,kind=payload_version',
    ].join(';');
    const { found, labels } = findings(spec);
    expect(labels).toHaveLength(7);
    const expected = new Map(
      labels.map((l) => [
        l.packet_index,
        {
          size: 'ecpri_malformed/payload_size_beyond_frame',
          revision: 'ecpri_malformed/revision',
          reserved: 'ecpri_malformed/reserved_bits',
          concat: 'ecpri_malformed/concatenation',
          cplane_fragment: 'oran_malformed/cplane_fragment',
          section_overrun: 'oran_malformed/section_overrun',
          payload_version: 'oran_malformed/payload_version',
        }[l.kind],
      ]),
    );
    expect(new Map([...found].map(([k, v]) => [k, v[0]]))).toEqual(expected);
  });

  it('decodes every traffic shape with its own profile: each O-RAN message, no findings; malformed at the label only', () => {
    for (const shape of TRAFFIC_SHAPES) {
      const spec = 'oran_malformed@0.006:plane=u,eaxc=1;ecpri_malformed@0.008:eaxc=1';
      const cap = shapeCapture(shape, { durationS: 0.012, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } }, spec, 9);
      expect([shape, cap.synth.labels.length]).toEqual([shape, 2]);
      const frames = decodeWithPackage(cap.recs, cap.profile);
      const messages = frames.reduce((n, f) => n + f.oran.length, 0);
      expect([shape, messages]).toEqual([shape, cap.synth.stats.uplanePackets + cap.synth.stats.cplanePackets]);
      const found = frames.filter((f) => f.findings.length > 0).map((f) => [f.index, f.findings[0]]);
      const want = cap.synth.labels.map((l) => [
        l.packet_index,
        l.type === 'oran_malformed' ? 'oran_malformed/section_overrun' : 'ecpri_malformed/payload_size_beyond_frame',
      ]);
      expect([shape, found]).toEqual([shape, want]);
    }
  });
});
