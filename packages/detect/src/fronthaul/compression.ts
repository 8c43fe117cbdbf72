import { COMP_METHOD_CODE, Inferred } from '@l1t/capture';
import type { FlowKey, Profile } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  Occurrence,
} from '../framework/detector.js';
import { radioOf, slotKeyOf } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';

/**
 * `compression_mismatch` (O-RAN WG4 CUS §6.3.3 udCompHdr in U-plane, §7.5.2.10 udCompHdr in C-plane):
 *
 * - `dl_cplane_reserved`: a DL C-plane message (section type 1, 3 or 5) with udCompHdr ≠ 0 — the field is
 *   reserved in DL and must be 0.
 * - `ul_cplane_vs_profile`: a UL C-plane udCompHdr ≠ 0 announcing a method/width other than the profile's
 *   static U-plane compression (`uplane.comp_hdr: static` with `comp_method` / `iq_width`).
 * - `uplane_vs_announced`: a UL U-plane section whose method/width differs from the non-zero udCompHdr of
 *   the UL C-plane message for the same eAxC and slot. Reported at the C-plane message (the first packet
 *   involved), once per announcement, with the U-plane packet in the evidence.
 * - `uplane_vs_profile`: a U-plane section carrying its own udCompHdr (dynamic) that differs from the
 *   profile's method/width, where no non-zero UL announcement applies.
 *
 * udIqWidth 0 means 16 (CUS Table 6.3.3.13-1). When the decoder had to guess the U-plane format (no
 * profile), the evidence says so and the confidence is lower: the guess is the format the payload sizes and
 * BFP exponents fit, so a differing announcement is still backed by the bytes.
 */

const METHOD_NAMES = ['none', 'bfp', 'block_scaling', 'mu_law', 'modulation', 'bfp_selective_re', 'mod_selective_re'];
const RING = 32;

function methodName(code: number): string {
  return METHOD_NAMES[code] ?? `method ${code}`;
}

function hdrText(hdr: number): string {
  return `0x${hdr.toString(16).padStart(2, '0')}`;
}

/** Width of a udCompHdr (udIqWidth 0 = 16). */
function hdrWidth(hdr: number): number {
  return hdr >> 4 || 16;
}

/** The last {@link RING} UL C-plane udCompHdr announcements of one eAxC, by slot. */
class Announcements {
  pos = 0;
  readonly slot = new Int32Array(RING).fill(-1);
  readonly hdr = new Int16Array(RING);
  readonly index = new Float64Array(RING);
  readonly ts = new BigInt64Array(RING);
  readonly reported = new Uint8Array(RING);
  flow: FlowKey | undefined;
  name = '';
  radio = new Int16Array(RING * 4);

  find(slotKey: number): number {
    for (let k = 0; k < RING; k++) if (this.slot[k] === slotKey) return k;
    return -1;
  }
}

export const compressionDetector: DetectorDefinition = {
  name: 'fronthaul/compression',
  types: ['compression_mismatch'],
  thresholds: { compression_mismatch: [] },
  reference: 'O-RAN WG4 CUS §6.3.3 (U-plane udCompHdr), §7.5.2.10 (C-plane udCompHdr: reserved in DL, announces UL)',
  create: ({ profile }) => new CompressionDetector(profile),
};

export class CompressionDetector implements Detector {
  private readonly method: number | undefined;
  private readonly width: number | undefined;
  private readonly staticHdr: boolean;
  /** UL C-plane announcements per stream (link × eAxC × UL): the C-plane and U-plane flows share a pair. */
  private readonly ann = new FlowStates<Announcements>(() => new Announcements(), true);

  constructor(profile: Profile | undefined) {
    const u = profile?.uplane;
    this.method = u?.comp_method !== undefined ? COMP_METHOD_CODE[u.comp_method] : undefined;
    this.width = u?.iq_width ?? (u?.comp_method === 'none' ? 16 : undefined);
    this.staticHdr = u?.comp_hdr === 'static';
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m: o } = msg;
    const slotKey = slotKeyOf(o);
    if (o.plane === 'c') {
      const st = o.sectionType;
      if ((st !== 1 && st !== 3 && st !== 5) || o.udCompHdr < 0) return;
      const hdr = o.udCompHdr;
      if (o.dataDirection === 1) {
        if (hdr !== 0) {
          this.report(
            msg,
            ctx,
            'dl_cplane_reserved',
            `DL C-plane udCompHdr ${hdrText(hdr)} on ${msg.flow.label}: reserved in DL, must be 0`,
            {
              udCompHdr: hdrText(hdr),
            },
          );
        }
        return;
      }
      const a = this.ann.get(msg.flow);
      const k = a.pos;
      a.pos = (k + 1) % RING;
      a.slot[k] = slotKey;
      a.hdr[k] = hdr;
      a.index[k] = p.index;
      a.ts[k] = p.tsNs;
      a.reported[k] = 0;
      a.radio[k * 4] = o.frameId;
      a.radio[k * 4 + 1] = o.subframeId;
      a.radio[k * 4 + 2] = o.slotId;
      a.radio[k * 4 + 3] = o.symbolId;
      if (a.flow === undefined) {
        a.flow = msg.flow.key;
        a.name = msg.flow.name;
      }
      if (hdr !== 0 && this.staticHdr && this.method !== undefined && this.width !== undefined) {
        const m = hdr & 15;
        const w = hdrWidth(hdr);
        if (m !== this.method || w !== this.width) {
          a.reported[k] = 1;
          this.report(
            msg,
            ctx,
            'ul_cplane_vs_profile',
            `UL C-plane on ${msg.flow.label} announces ${methodName(m)} ${w}-bit (udCompHdr ${hdrText(hdr)}); the profile configures ${methodName(this.method)} ${this.width}-bit`,
            {
              udCompHdr: hdrText(hdr),
              announced: { method: methodName(m), iq_width: w },
              profile: { method: methodName(this.method), iq_width: this.width },
            },
          );
        }
      }
      return;
    }
    const ul = o.dataDirection === 0;
    const a = ul ? this.ann.peek(msg.flow) : undefined;
    const k = a ? a.find(slotKey) : -1;
    const hdr = k >= 0 ? a!.hdr[k]! : 0;
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      if (hdr !== 0) {
        if (a!.reported[k]) return;
        const m = hdr & 15;
        const w = hdrWidth(hdr);
        if (s.compMethod !== m || s.iqWidth !== w) {
          a!.reported[k] = 1;
          this.reportAnnounced(msg, ctx, a!, k, s.compMethod, s.iqWidth, s.sectionId);
          return;
        }
      } else if (
        s.udCompHdr >= 0 &&
        this.method !== undefined &&
        this.width !== undefined &&
        (s.compMethod !== this.method || s.iqWidth !== this.width)
      ) {
        this.report(
          msg,
          ctx,
          'uplane_vs_profile',
          `U-plane section ${s.sectionId} on ${msg.flow.label} carries ${methodName(s.compMethod)} ${s.iqWidth}-bit (udCompHdr ${hdrText(s.udCompHdr)}); the profile configures ${methodName(this.method)} ${this.width}-bit`,
          {
            udCompHdr: hdrText(s.udCompHdr),
            uplane: { method: methodName(s.compMethod), iq_width: s.iqWidth },
            profile: { method: methodName(this.method), iq_width: this.width },
          },
        );
        return;
      }
    }
  }

  finish(): void {}

  private report(
    msg: FronthaulMessage,
    ctx: DetectContext,
    reason: string,
    description: string,
    evidence: Record<string, unknown>,
  ): void {
    ctx.report({
      type: 'compression_mismatch',
      source: 'fronthaul',
      severity: 'major',
      confidence: 0.95,
      tsNs: msg.p.tsNs,
      packetIndex: msg.p.index,
      packetCount: 1,
      flow: msg.flow.key,
      radio: radioOf(msg.m),
      aggregationKey: `compression_mismatch|${msg.flow.name}|${reason}`,
      description,
      evidence: { reason, ...evidence },
    });
  }

  private reportAnnounced(
    msg: FronthaulMessage,
    ctx: DetectContext,
    a: Announcements,
    k: number,
    method: number,
    width: number,
    sectionId: number,
  ): void {
    const hdr = a.hdr[k]!;
    const m = hdr & 15;
    const w = hdrWidth(hdr);
    const { p, m: um } = msg;
    const guessed = (um.inferred & (Inferred.IQ_WIDTH | Inferred.COMP_METHOD)) !== 0;
    const eaxc = um.eaxc;
    const o: Occurrence = {
      type: 'compression_mismatch',
      source: 'fronthaul',
      severity: 'major',
      confidence: guessed ? 0.8 : 0.95,
      tsNs: a.ts[k]!,
      packetIndex: a.index[k]!,
      packetCount: 2,
      flow: { ...a.flow },
      radio: {
        frame_id: a.radio[k * 4]!,
        subframe_id: a.radio[k * 4 + 1]!,
        slot_id: a.radio[k * 4 + 2]!,
        symbol_id: a.radio[k * 4 + 3]!,
      },
      aggregationKey: `compression_mismatch|${a.name}|uplane_vs_announced`,
      description:
        `UL C-plane on eAxC ${eaxc} announced ${methodName(m)} ${w}-bit (udCompHdr ${hdrText(hdr)}) but the UL U-plane ` +
        `(packet ${p.index}, section ${sectionId}) carries ${methodName(method)} ${width}-bit`,
      evidence: {
        reason: 'uplane_vs_announced',
        udCompHdr: hdrText(hdr),
        announced: { method: methodName(m), iq_width: w },
        uplane: {
          method: methodName(method),
          iq_width: width,
          ...(guessed ? { format_source: 'inferred by the decoder from the payload (no profile)' } : {}),
        },
        uplane_packet_index: p.index,
      },
    };
    ctx.report(o);
  }
}
