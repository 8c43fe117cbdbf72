import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { analyzeFile } from '../analyze-file.js';
import { fileInput } from '../sources.js';
import { CLOCK_WARNING } from './capture-verdict.js';

/**
 * Issue 12: a file with nothing the product analyses said "0 anomalies" with no hint that nothing was
 * judged, and a capture whose clock never moves was analysed silently. Checked on the real captures.
 */
const samples = requireSharedDir('samples');

async function summaryOf(relative: string) {
  const r = await analyzeFile(fileInput(join(samples.path, relative), relative));
  expect(r.status).toBe('done');
  return {
    r,
    details: r.summary.details as { analysed_packets: number; not_analysed: { note: string }[]; warnings?: string[] },
  };
}

describe.runIf(samples.available)('file summary: what was not analysed, and why', () => {
  it('names RoE frames by their Ethertype instead of saying nothing was wrong', async () => {
    const { r, details } = await summaryOf('Wireshark-xRAN-RoE-eCPRI/capture_xran.pcap');
    expect(r.summary.records).toBe(4);
    expect(details.analysed_packets).toBe(0);
    expect(details.not_analysed).toEqual([
      { protocol: 'RoE', by: 'Ethertype 0xFC3D', frames: 4, note: '4 RoE frames (Ethertype 0xFC3D): not analysed' },
    ]);
    expect(details.warnings).toEqual(['4 RoE frames (Ethertype 0xFC3D): not analysed']);
    expect(r.warning).toBe('4 RoE frames (Ethertype 0xFC3D): not analysed');
    expect(r.counts.anomalyCount).toBe(0);
  });

  it('names an F1AP capture by its SCTP port', async () => {
    const { r, details } = await summaryOf('Vikas_python/2ue_attach1.pcap');
    expect(details.not_analysed[0]).toMatchObject({ protocol: 'F1AP', frames: 32 });
    expect(r.warning).toBe('32 F1AP frames (SCTP port 38472): not analysed');
  });

  it('points at eCPRI on a UDP port the profile does not list', async () => {
    const { r } = await summaryOf('Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap');
    expect(r.warning).toBe(
      "3 eCPRI-like frames (UDP port 123): not analysed, the port is not in the profile's ecpri_udp_ports",
    );
  });

  it('warns that timing was not judged when every timestamp is the same (dos-attacker: all at 1970-01-01)', async () => {
    const { r, details } = await summaryOf('dos-attacker/up_dl_short_1mb.pcap');
    expect(r.summary.firstTimestampNs).toBe(r.summary.lastTimestampNs);
    expect(details.analysed_packets).toBe(r.summary.records);
    expect(details.warnings).toEqual([CLOCK_WARNING]);
    expect(r.warning).toBe(CLOCK_WARNING);
  });

  it('adds no warning to a fronthaul capture whose clock advances', async () => {
    const { r, details } = await summaryOf('Utilities/fh_1x1.pcap');
    expect(details.analysed_packets).toBeGreaterThan(0);
    expect(details.warnings).toBeUndefined();
    expect(r.warning).toBeUndefined();
    // the summary keeps its earlier keys (interfaces.md: extend, never break)
    expect(r.summary.details).toMatchObject({ ecpri_packets: expect.any(Number), flows: expect.any(Number) });
  });
});
