import type { DecodedPacket, FindingCode, OranMessage } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import {
  ECPRI_PACKETS,
  type DetectContext,
  type Detector,
  type DetectorDefinition,
  type FronthaulMessage,
} from '../framework/detector.js';
import { flowKeyOf, radioOf, type FlowRef } from '../framework/flow.js';

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

/** eCPRI v2.0 §3.2.4 Table 8: message types 8–63 are reserved (0–7 defined, 64–255 vendor specific). */
function reservedEcpriType(t: number): boolean {
  return t >= 8 && t <= 63;
}

/**
 * Findings of a packet are reported once: with the flow of its first O-RAN message when it has one (the
 * stage's flow identity, so two radios sharing eAxC ids stay apart), else on the eCPRI level. Checks the
 * decoders leave to the analysis, because they need the profile, are added here as findings of the same
 * types: a reserved eCPRI message type, and a slotId beyond the numerology (O-RAN WG4 CUS §5.4.4.9:
 * slotId < 2^μ slots per subframe; 16 is the largest any numerology allows).
 */
class MalformedDetector implements Detector {
  readonly packetKinds = ECPRI_PACKETS;
  private readonly slotsPerSubframe: number;

  constructor(profile: Profile | undefined) {
    const scs = profile?.scs_khz;
    this.slotsPerSubframe = scs !== undefined ? Math.max(1, scs / 15) : 16;
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    const reserved = this.reservedTypeAt(p);
    if (p.findings.count === 0 && reserved < 0) return;
    // the packet's flow: that of its first O-RAN message with a complete header, as the stage resolves it
    let m: OranMessage | undefined;
    for (let i = 0; p.hasOran && i < p.oranCount && m === undefined; i++)
      if (p.oranMessages[i]!.headerComplete) m = p.oranMessages[i];
    const flow = m !== undefined ? ctx.flowOf(p, m) : undefined;
    this.reportFindings(p, flow, m, reserved, ctx);
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m } = msg;
    if (m.slotId >= this.slotsPerSubframe) {
      const scs = ctx.profile?.scs_khz;
      const limit =
        scs !== undefined
          ? `${this.slotsPerSubframe} slots per subframe at ${scs} kHz`
          : '16 slots per subframe (any numerology)';
      this.report(
        ctx,
        p,
        msg.flow,
        'oran_malformed',
        'slot_id_range',
        `slotId ${m.slotId} beyond ${limit}`,
        {
          code: 'slot_id_range',
          slot_id: m.slotId,
          slots_per_subframe: this.slotsPerSubframe,
          ...(scs !== undefined ? { scs_khz: scs } : {}),
        },
        radioOf(m),
      );
    }
  }

  finish(): void {}

  private reservedTypeAt(p: DecodedPacket): number {
    for (let i = 0; i < p.ecpri.count; i++) if (reservedEcpriType(p.ecpri.messages[i]!.messageType)) return i;
    return -1;
  }

  private reportFindings(
    p: DecodedPacket,
    flow: FlowRef | undefined,
    m: OranMessage | undefined,
    reserved: number,
    ctx: DetectContext,
  ): void {
    const n = p.findings.count;
    for (let i = 0; i < n; i++) {
      const f = p.findings.items[i]!;
      // One occurrence per packet and code: a packet with the same fault twice is one malformed packet.
      let dup = false;
      for (let j = 0; j < i; j++)
        if (p.findings.items[j]!.code === f.code && p.findings.items[j]!.type === f.type) dup = true;
      if (dup) continue;
      const evidence: Record<string, unknown> = {
        code: f.code,
        byte_offset: f.byteOffset,
        value: f.value,
        frame_length: p.data.length,
      };
      this.report(ctx, p, flow, f.type, f.code, describe(f.code), evidence, m ? radioOf(m) : undefined);
    }
    if (reserved >= 0) {
      const t = p.ecpri.messages[reserved]!.messageType;
      this.report(
        ctx,
        p,
        flow,
        'ecpri_malformed',
        'reserved_message_type',
        `reserved eCPRI message type 0x${t.toString(16).padStart(2, '0')}`,
        {
          code: 'reserved_message_type',
          message_index: reserved,
          frame_length: p.data.length,
        },
        undefined,
      );
    }
  }

  private report(
    ctx: DetectContext,
    p: DecodedPacket,
    flow: FlowRef | undefined,
    type: string,
    code: string,
    what: string,
    evidence: Record<string, unknown>,
    radio: ReturnType<typeof radioOf>,
  ): void {
    if (p.ecpri.count > 0) {
      const e = p.ecpri.messages[0]!;
      evidence.ecpri_revision = e.revision;
      evidence.ecpri_type = e.messageType;
      evidence.ecpri_payload_size = e.payloadSize;
    }
    ctx.report({
      type,
      source: 'fronthaul',
      severity: 'major',
      // A decoded rule on the bytes themselves: no statistics involved.
      confidence: 1,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: flow?.key ?? flowKeyOf(p),
      ...(radio !== undefined ? { radio } : {}),
      aggregationKey: `${type}|${code}|${flow ? flow.name : 'ecpri'}`,
      description: `${type === 'ecpri_malformed' ? 'Malformed eCPRI' : 'Malformed O-RAN'} message${flow ? ` on ${flow.label}` : ''}: ${what}`,
      evidence,
    });
  }
}

export const malformedDetector: DetectorDefinition = {
  name: 'malformed',
  types: ['ecpri_malformed', 'oran_malformed'],
  thresholds: {},
  reference: 'eCPRI v2.0 §3.1.3; O-RAN WG4 CUS §5.4, §7',
  create: ({ profile }) => new MalformedDetector(profile),
};
