/**
 * Runs one detector over a small synthetic capture (`synthFronthaul`, 30 ms, 51 PRBs, seed 11) with the
 * given faults, through the real reader and decoder: the occurrences it reports, its counters and the
 * ground-truth labels. Shared by the fronthaul detectors' end-to-end tests.
 */
import { createPacketDecoder, DecodedPacket, readCaptureRecords } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { parseFaultSpec, synthFronthaul } from '../../../../capture/src/synth/index.js';
import type { DetectorDefinition, Occurrence } from '../../framework/detector.js';
import { end, feed } from '../../framework/test-support/feed.js';
import type { DriverContext } from '../../framework/detector-driver.js';

export function analyse(
  def: DetectorDefinition,
  profile: Profile | undefined,
  faults: string,
  cfg: Record<string, unknown> = {},
) {
  const synth = synthFronthaul({ durationS: 0.03, nrb: 51, ...cfg }, parseFaultSpec(faults), 11);
  const chunks = [...synth];
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  const occ: Occurrence[] = [];
  const counts: Record<string, Record<string, number>> = {};
  const ctx: DriverContext = {
    profile,
    thresholds: {},
    report: (o) => occ.push(o),
    metric: () => {},
    count: (flow, name, value) => {
      const c = (counts[flow] ??= {});
      c[name] = (c[name] ?? 0) + value;
    },
  };
  const d = def.create({ profile, thresholds: {} });
  const dec = createPacketDecoder({ nrb: profile?.nrb });
  const p = new DecodedPacket();
  for (const r of readCaptureRecords(bytes, 'pcap')) {
    if (r.kind !== 'packet') continue;
    feed(d, dec.decode(r.linkType, r.data, r.tsNs, r.index, p), ctx);
  }
  end(d, ctx);
  return { occ, counts, labels: synth.labels };
}
