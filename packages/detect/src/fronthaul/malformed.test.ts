import { describe, expect, it } from 'vitest';
import { runDetectors } from '../framework/fronthaul-detection.js';
import { oranPacket } from '../framework/test-support/packets.js';
import { malformedDetector } from './malformed.js';

describe('malformed detector', () => {
  it('turns decoder findings into ecpri_malformed / oran_malformed per flow and code', () => {
    const a = oranPacket({ index: 1, seq: 1, plane: 'c' });
    a.findings.add('oran_malformed', 'cplane_fragment', 17, 0x00);
    a.findings.add('oran_malformed', 'cplane_fragment', 17, 0x00); // same code twice in one packet: one packet
    const b = oranPacket({ index: 2, seq: 2, eaxc: 1 });
    b.findings.add('ecpri_malformed', 'revision', 14, 2);
    const c = oranPacket({ index: 3, seq: 3, eaxc: 1 });
    c.findings.add('ecpri_malformed', 'revision', 14, 2);
    const r = runDetectors([a, b, c], { profile: undefined, definitions: [malformedDetector] });
    expect(
      r.anomalies.map((x) => [x.type, x.packet_index, x.packet_count, x.severity, x.flow?.eaxc, x.flow?.plane]),
    ).toEqual([
      ['oran_malformed', 1, 1, 'major', 0, 'c'],
      ['ecpri_malformed', 2, 2, 'major', 1, 'u'],
    ]);
    expect(r.anomalies[0]!.description).toBe(
      'Malformed O-RAN message on eAxC 0 C-plane DL: C-plane message fragmented (E ≠ 1 or subSeqId ≠ 0)',
    );
    expect(r.anomalies[1]!.evidence).toMatchObject({ code: 'revision', byte_offset: 14, value: 2, occurrences: 2 });
  });

  it('reports eCPRI findings of packets without an O-RAN message on the eCPRI key', () => {
    const p = oranPacket({ index: 5, seq: 0 });
    p.hasOran = false;
    p.findings.add('ecpri_malformed', 'truncated', 14, 2);
    const r = runDetectors([p], { profile: undefined, definitions: [malformedDetector] });
    expect(r.anomalies).toHaveLength(1);
    expect(r.anomalies[0]!.flow?.eaxc).toBeUndefined();
    expect(r.anomalies[0]!.radio).toBeUndefined();
  });
});
