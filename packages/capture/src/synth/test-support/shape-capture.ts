/** Test helper: a generated capture of one traffic shape, read back independently and by the package. */
import { DecodedPacket, createPacketDecoder } from '../../decode/index.js';
import { concatBytes } from '../capture-writer.js';
import { parseFaultSpec } from '../fault-spec.js';
import type { FronthaulConfig, FronthaulConfigInput } from '../fronthaul-config.js';
import { resolveFronthaulConfig } from '../fronthaul-config.js';
import { synthFronthaul } from '../fronthaul-synth.js';
import { prbBytes } from '../iq.js';
import type { SynthProfile, TrafficShape } from '../traffic-shapes.js';
import { profileForSynth, shapeConfig } from '../traffic-shapes.js';
import type { Decoded, RawRecord } from './synth-reader.js';
import { decodeAll, readRecords } from './synth-reader.js';

export interface ShapeCapture {
  synth: ReturnType<typeof synthFronthaul>;
  bytes: Uint8Array;
  cfg: FronthaulConfig;
  profile: SynthProfile;
  recs: RawRecord[];
  /** Every message of every frame (several per frame with concatenation), independently decoded. */
  msgs: Decoded[];
}

export function shapeCapture(
  shape: TrafficShape,
  overrides: FronthaulConfigInput = {},
  faults = '',
  seed = 1,
): ShapeCapture {
  const input = shapeConfig(shape, overrides);
  const synth = synthFronthaul(input, parseFaultSpec(faults), seed);
  const bytes = concatBytes([...synth]);
  const cfg = resolveFronthaulConfig(input);
  const recs = readRecords(bytes);
  const msgs = recs.flatMap((r) => decodeAll(r, prbBytes(cfg.comp), cfg.nrb, cfg.compHdr === 'dynamic'));
  return { synth, bytes, cfg, profile: profileForSynth(cfg), recs, msgs };
}

export interface PackageFrame {
  index: number;
  /** O-RAN messages as the package's decoder reads them: plane, direction, eAxC, ecpriSeqid. */
  oran: { plane: string; dl: boolean; eaxc: number; seq: number; slotId: number }[];
  /** `type/code` of the decoder's findings. */
  findings: string[];
}

/** The package's decoder (packages/capture/src/decode) over the records, with the profile's options. */
export function decodeWithPackage(recs: readonly RawRecord[], profile: SynthProfile): PackageFrame[] {
  const decoder = createPacketDecoder({
    compMethod: profile.uplane.comp_method,
    iqWidth: profile.uplane.iq_width,
    compHdr: profile.uplane.comp_hdr,
    nrb: profile.nrb,
    ecpriUdpPorts: profile.ecpri_udp_ports ?? [],
  });
  const out = new DecodedPacket();
  return recs.map((r) => {
    decoder.decode(1, r.data, r.tsNs, r.index, out);
    const oran = out.oranMessages.slice(0, out.oranCount).map((m) => ({
      plane: m.plane,
      dl: m.dataDirection === 1,
      eaxc: m.eaxc,
      seq: m.sequenceId,
      slotId: m.slotId,
    }));
    const findings = out.findings.items.slice(0, out.findings.count).map((f) => `${f.type}/${f.code}`);
    return { index: r.index, oran, findings };
  });
}
