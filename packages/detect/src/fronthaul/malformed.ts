import type { DecodedPacket, FindingCode } from '@l1t/capture';
import type { DetectContext, Detector, DetectorDefinition } from '../framework/detector.js';
import { flowKeyOf, flowLabel, flowName, radioOf } from '../framework/flow.js';

/**
 * `ecpri_malformed` / `oran_malformed`: the decoders' findings (`p.findings`, eCPRI v2.0 §3.1.3, O-RAN WG4
 * CUS §5.4, §7) as occurrences, aggregated per flow and finding code. Any finding triggers (anomalies.md).
 */
const WHAT: Readonly<Record<FindingCode, string>> = {
  truncated: 'message cut short',
  payload_size_beyond_frame: 'eCPRI payload size beyond the frame',
  revision: 'eCPRI revision is not 1',
  reserved_bits: 'reserved bits set',
  concatenation: 'eCPRI concatenation misused',
  payload_too_short: 'payload too short for its message type',
  section_overrun: 'section overruns the message',
  section_count_mismatch: 'numberOfSections differs from the sections carried',
  ext_len_zero: 'section extension with extLen 0',
  ext_len_overrun: 'section extension overruns the section',
  ext_len_wrong: 'section extension length inconsistent',
  bfp_width_zero: 'BFP IQ width 0',
  reserved_value: 'reserved value used',
  section_type_direction: 'section type illegal for the direction',
  unknown_section_type: 'unknown section type',
  cplane_fragment: 'C-plane message fragmented (E ≠ 1 or subSeqId ≠ 0)',
  ud_comp_len_mismatch: 'udCompLen differs from the section length',
  payload_version: 'payloadVersion is not 1',
  trailing_bytes: 'bytes left after the last section',
};

function describe(code: FindingCode): string {
  return WHAT[code] ?? code;
}

class MalformedDetector implements Detector {
  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    const n = p.findings.count;
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      const f = p.findings.items[i]!;
      // One occurrence per packet and code: a packet with the same fault twice is one malformed packet.
      let dup = false;
      for (let j = 0; j < i; j++)
        if (p.findings.items[j]!.code === f.code && p.findings.items[j]!.type === f.type) dup = true;
      if (dup) continue;
      const onFlow = p.hasOran;
      const where = onFlow ? ` on ${flowLabel(p)}` : '';
      const evidence: Record<string, unknown> = {
        code: f.code,
        byte_offset: f.byteOffset,
        value: f.value,
        frame_length: p.data.length,
      };
      if (p.ecpri.count > 0) {
        const m = p.ecpri.messages[0]!;
        evidence.ecpri_revision = m.revision;
        evidence.ecpri_type = m.messageType;
        evidence.ecpri_payload_size = m.payloadSize;
      }
      ctx.report({
        type: f.type,
        source: 'fronthaul',
        severity: 'major',
        confidence: 1,
        tsNs: p.tsNs,
        packetIndex: p.index,
        packetCount: 1,
        flow: flowKeyOf(p),
        ...(onFlow ? { radio: radioOf(p) } : {}),
        aggregationKey: `${f.type}|${f.code}|${onFlow ? flowName(p) : 'ecpri'}`,
        description: `${f.type === 'ecpri_malformed' ? 'Malformed eCPRI' : 'Malformed O-RAN'} message${where}: ${describe(f.code)}`,
        evidence,
      });
    }
  }

  finish(): void {}
}

export const malformedDetector: DetectorDefinition = {
  name: 'malformed',
  types: ['ecpri_malformed', 'oran_malformed'],
  thresholds: {},
  reference: 'eCPRI v2.0 §3.1.3; O-RAN WG4 CUS §5.4, §7',
  create: () => new MalformedDetector(),
};
