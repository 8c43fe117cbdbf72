import { describe, expect, it } from 'vitest';
import type { AnomalyDraft } from '@l1t/contracts';
import { AnomalyIdentity } from './anomaly-identity.js';

const FILE = '6f1c2d3e-4a5b-8c6d-9e7f-0a1b2c3d4e5f';

/** Two findings of `Vikas_python/ecpri.pcap` frame 1: same type, packet, flow and radio position. */
function malformed(reason: string, code: string, over: Partial<AnomalyDraft> = {}): AnomalyDraft {
  return {
    type: 'oran_malformed',
    source: 'fronthaul',
    severity: 'major',
    confidence: 1,
    timestamp: '2026-11-26T03:11:54.000000000Z',
    packet_index: 1,
    packet_count: 1,
    flow: { eaxc: 4660, plane: 'u', direction: 'ul' },
    radio: { frame_id: 14, subframe_id: 0, slot_id: 52, symbol_id: 12 },
    description: `Malformed O-RAN message on eAxC 4660 U-plane UL: ${reason}`,
    evidence: { code, byte_offset: 22 },
    ...over,
  };
}

const ids = (drafts: AnomalyDraft[]): string[] => {
  const identity = new AnomalyIdentity(FILE, { file: 'ecpri.pcap' });
  return drafts.map((d) => identity.complete(d).id);
};

describe('AnomalyIdentity', () => {
  it('gives distinct findings of one packet and flow distinct ids, the same ones on every analysis', () => {
    const drafts = [
      malformed('payloadVersion is not 1', 'payload_version'),
      malformed('section overruns the message', 'section_overrun'),
    ];
    const once = ids(drafts);
    expect(new Set(once).size).toBe(2);
    expect(ids(drafts)).toEqual(once);
    expect(ids([...drafts].reverse())).toEqual([...once].reverse());
  });

  it('keeps the id of a burst whatever number of occurrences was merged into it', () => {
    const single = malformed('payloadVersion is not 1', 'payload_version');
    const burst = malformed('payloadVersion is not 1 (4 occurrences over 3.0 ms)', 'x', {
      packet_count: 4,
      evidence: { code: 'payload_version', occurrences: 4, first: { code: 'payload_version', byte_offset: 22 } },
    });
    expect(ids([burst])).toEqual(ids([single]));
  });

  it('never repeats an id in one file: an identical finding gets a stable ordinal', () => {
    const d = malformed('payloadVersion is not 1', 'payload_version');
    const [a, b, c] = ids([d, d, d]);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(ids([d, d, d])).toEqual([a, b, c]);
  });

  it('fills in the file and session keys', () => {
    const identity = new AnomalyIdentity(FILE, { file: 'ecpri.pcap', session_id: 's1' });
    expect(identity.complete(malformed('x', 'y'))).toMatchObject({
      file: 'ecpri.pcap',
      file_id: FILE,
      session_id: 's1',
    });
  });
});
