import { concatBytes, parseFaultSpec, synthFronthaul, type FaultLabel } from '../../capture/src/synth/index.js';
import { readFileSync } from 'node:fs';
import { Anomaly as AnomalySchema, type Anomaly, type Profile } from '@l1t/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { readCaptureRecords } from '../../capture/src/index.js';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { analyzeFile, type AnalyzeInput } from './analyze-file.js';

/**
 * End to end: the fronthaul generator injects faults with ground-truth labels; analyzeFile() must find
 * every one at its labelled packet, and nothing of these types on clean traffic.
 */
const TYPES = new Set(['seq_gap', 'seq_duplicate', 'seq_reorder', 'ecpri_malformed', 'oran_malformed']);

const CONFIG = { durationS: 0.5, scsKhz: 15, nrb: 12, eaxc: { dl: [0, 1, 2, 3], ul: [0, 1] } };
const PROFILE: Profile = {
  scs_khz: 15,
  nrb: 12,
  eaxc_bits: { du_port: 2, band_sector: 6, cc: 4, ru_port: 4 },
  uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
};

function bytesInput(name: string, bytes: Uint8Array): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
    },
  };
}

async function analyzeSynth(
  spec: string,
  seed = 7,
): Promise<{ anomalies: Anomaly[]; labels: readonly FaultLabel[]; details: Record<string, unknown> }> {
  const synth = synthFronthaul(CONFIG, parseFaultSpec(spec), seed);
  const bytes = concatBytes([...synth]);
  const r = await analyzeFile(bytesInput('synth.pcap', bytes), { profile: PROFILE });
  expect(r.status).toBe('done');
  return { anomalies: r.anomalies, labels: synth.labels, details: r.summary.details };
}

describe('fronthaul detection end to end on synthetic captures', () => {
  it('finds nothing of the sequence and malformed types on clean traffic, and tallies the packets', async () => {
    const { anomalies, details } = await analyzeSynth('');
    expect(anomalies.filter((a) => TYPES.has(a.type))).toEqual([]);
    expect(details).toMatchObject({ flows: 12, ecpri_other_packets: 0 });
    expect(details.oran_uplane_packets).toBeGreaterThan(1000);
    expect(details.ptp_packets).toBeGreaterThan(0);
    const counters = details.flow_counters as Record<string, Record<string, number>>;
    expect(counters['u|dl|eaxc=0']).toMatchObject({ RX_SEQID_ERR: 0 });
    // Every O-RAN flow carries the sequence counters (other detectors may add keys of their own).
    const seqFlows = Object.entries(counters).filter(([, c]) => c.RX_TOTAL !== undefined || c.RX_TOTAL_C !== undefined);
    expect(seqFlows).toHaveLength(12);
    for (const [, c] of seqFlows) expect(c.RX_SEQID_ERR ?? c.RX_SEQID_ERR_C).toBe(0);
  });

  it('matches every injected sequence and malformed fault at its labelled packet', async () => {
    const spec = [
      'seq_gap@0.05:eaxc=0',
      'seq_gap@0.10:eaxc=1,count=3,mode=drop',
      'seq_gap@0.15:eaxc=0,plane=c,count=2',
      'seq_duplicate@0.20:eaxc=2',
      'seq_duplicate@0.22:eaxc=0,dir=ul',
      'seq_reorder@0.25:eaxc=3',
      'seq_reorder@0.27:eaxc=1,dir=ul',
      'ecpri_malformed@0.30:eaxc=2',
      'ecpri_malformed@0.32:eaxc=3,kind=revision',
      'oran_malformed@0.35',
      'oran_malformed@0.38:plane=u,eaxc=1,kind=section_overrun',
    ].join(';');
    const { anomalies, labels } = await analyzeSynth(spec);
    expect(labels).toHaveLength(11);
    const found = anomalies.filter((a) => TYPES.has(a.type));
    expect(found).toHaveLength(labels.length);
    for (const l of labels) {
      const hit = found.find((a) => a.type === l.type && a.packet_index === l.packet_index);
      expect(hit, `${l.spec} labelled at packet ${l.packet_index}`).toBeDefined();
      if (l.flow.eaxc !== undefined) expect(hit!.flow?.eaxc).toBe(l.flow.eaxc);
    }
    // Nothing else of these types, except what a label says may follow from its fault.
    const explained = new Set(labels.flatMap((l) => [`${l.type}@${l.packet_index}`]));
    const allowed = new Set(labels.flatMap((l) => l.also ?? []));
    const extra = found.filter((a) => !explained.has(`${a.type}@${a.packet_index}`) && !allowed.has(a.type as never));
    expect(extra.map((a) => `${a.type}@${a.packet_index}: ${a.description}`)).toEqual([]);
    // Every anomaly (with its packet_context) is what the contracts and the published JSON Schema accept.
    const schemas = requireSharedDir('reference/schemas');
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = schemas.available
      ? ajv.compile(JSON.parse(readFileSync(`${schemas.path}/anomaly.schema.json`, 'utf8')) as object)
      : undefined;
    for (const a of anomalies) {
      const json = JSON.parse(JSON.stringify(a)) as unknown;
      expect(AnomalySchema.safeParse(json).error).toBeUndefined();
      if (validate) expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    }
    const gap = found.find((a) => a.type === 'seq_gap' && a.flow?.eaxc === 1)!;
    expect(gap.evidence).toMatchObject({ missing: 3 });
    expect(gap.severity).toBe('critical');
    expect(gap.packet_context?.some((e) => e.focus === true && e.frame === gap.packet_index)).toBe(true);
  });

  it('a burst of one fault on one flow is one anomaly counting every packet', async () => {
    const { anomalies, labels } = await analyzeSynth(
      'seq_reorder@0.1:eaxc=2,count=12;seq_duplicate@0.2:eaxc=1,count=3',
    );
    const reorders = anomalies.filter((a) => a.type === 'seq_reorder');
    const dups = anomalies.filter((a) => a.type === 'seq_duplicate');
    expect(reorders).toHaveLength(1);
    expect(dups).toHaveLength(1);
    const lr = labels.find((l) => l.type === 'seq_reorder')!;
    expect(reorders[0]).toMatchObject({ packet_index: lr.packet_index, packet_count: 12, severity: 'major' });
    expect(reorders[0]!.evidence).toMatchObject({ occurrences: 12 });
    expect(reorders[0]!.end_timestamp! > reorders[0]!.timestamp).toBe(true);
    expect(dups[0]).toMatchObject({ packet_count: 3, severity: 'minor' });
  });

  it('frames cut by the capture snaplen are not malformed; their wire faults still are', async () => {
    const synth = synthFronthaul(
      CONFIG,
      parseFaultSpec('ecpri_malformed@0.2:eaxc=1,kind=revision;seq_gap@0.3:eaxc=2'),
      3,
    );
    const full = concatBytes([...synth]);
    const packets = [];
    for (const r of readCaptureRecords(full, 'pcap', { copyData: true })) {
      if (r.kind !== 'packet') continue;
      const ns = r.tsNs;
      packets.push({
        tsSec: Number(ns / 1_000_000_000n),
        tsFrac: Number(ns % 1_000_000_000n),
        data: r.data.subarray(0, 96),
        origLen: r.origLen,
      });
    }
    const cut = buildPcap({ nanos: true, snapLen: 96, packets });
    const r = await analyzeFile(bytesInput('cut.pcap', cut), { profile: PROFILE });
    expect(r.summary.details.snaplen_truncated_packets).toBeGreaterThan(1000);
    const found = r.anomalies.filter((a) => TYPES.has(a.type)).map((a) => `${a.type}@${a.packet_index}`);
    expect(found.sort()).toEqual(synth.labels.map((l) => `${l.type}@${l.packet_index}`).sort());
  });
});
