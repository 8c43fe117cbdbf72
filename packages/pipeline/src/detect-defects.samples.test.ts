/**
 * Issue 12's defects, each shown on the real capture where it was found (frames given), through the real
 * pipeline (`analyzeFile`: reader, decoder, every detector): what is reported there now and what is not.
 * Profiles follow ../shared/samples/MANIFEST.md ("Capture parameters of the fronthaul samples").
 */
import type { AnomalyDraft, Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { fileInput } from './sources.js';

const samples = requireSharedDir('samples');
const run = it.runIf(samples.available);
const BITS = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };

function profile(nrb: number, method: 'bfp' | 'none', width: number, extra: Partial<Profile> = {}): Profile {
  return { nrb, eaxc_bits: BITS, uplane: { comp_method: method, iq_width: width, comp_hdr: 'static' }, ...extra };
}

async function analyse(file: string, p: Profile | undefined): Promise<FileResult> {
  return analyzeFile(fileInput(`${samples.path}/${file}`), p ? { profile: p } : {});
}

const ofType = (r: FileResult, type: string): AnomalyDraft[] => r.anomalies.filter((a) => a.type === type);
const warnings = (r: FileResult): string[] => (r.summary.details['detector_warnings'] as string[] | undefined) ?? [];

describe('issue 12 defects on the real captures', () => {
  run(
    'udp-ecpri.pcap (3 packets in 1.87 s): no statistical or relative timing verdict from 3 packets, said instead',
    async () => {
      const r = await analyse(
        'Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap',
        profile(273, 'bfp', 9, { ecpri_udp_ports: [123] }),
      );
      expect(ofType(r, 'window_stat_outlier')).toEqual([]);
      expect(ofType(r, 'rx_window_late')).toEqual([]);
      expect(ofType(r, 'rx_window_early')).toEqual([]);
      expect(warnings(r)).toContain(
        'window_stat_outlier: 1 unit(s) with fewer than min_windows (8) windows that carried traffic: not judged statistically',
      );
      expect(warnings(r).some((w) => /fewer than learn_packets \(64\).*not judged/.test(w))).toBe(true);
    },
  );

  run(
    'udp-ecpri.pcap frames 1–3: numPrbu 0 from startPrbu 256 of 273 PRBs runs past the carrier (PRBs 256–528)',
    async () => {
      const r = await analyse(
        'Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap',
        profile(273, 'bfp', 9, { ecpri_udp_ports: [123] }),
      );
      const prb = ofType(r, 'prb_out_of_range');
      expect(prb).toHaveLength(1);
      expect(prb[0]!.packet_index).toBe(1);
      expect(prb[0]!.packet_count).toBe(3);
      expect(prb[0]!.evidence).toMatchObject({ start_prbu: 256, num_prbu: 0, last_prb: 528, nrb: 273 });
    },
  );

  run('Vikas_python/ecpri.pcap frames 1 and 3: slotId 52 is beyond any numerology', async () => {
    const r = await analyse(
      'Vikas_python/ecpri.pcap',
      profile(273, 'bfp', 9, { eaxc_bits: { du_port: 2, band_sector: 6, cc: 4, ru_port: 4 } }),
    );
    const slot = r.anomalies.filter((a) => (a.evidence as { code?: string }).code === 'slot_id_range');
    expect(slot.map((a) => a.packet_index).sort((a, b) => a - b)).toEqual([1, 3]);
    for (const a of slot) expect(a.evidence).toMatchObject({ slot_id: 52, slots_per_subframe: 16 });
  });

  run(
    'dos-attacker up_dl_short_1mb.pcap: slot 2 where 30 kHz allows 0–1; timestamps all at 1970: timing not judged',
    async () => {
      const r = await analyse('dos-attacker/up_dl_short_1mb.pcap', profile(273, 'none', 16, { scs_khz: 30 }));
      const slot = r.anomalies.filter((a) => (a.evidence as { code?: string }).code === 'slot_id_range');
      expect(slot.length).toBeGreaterThan(0);
      expect(slot[0]!.evidence).toMatchObject({ slot_id: 2, slots_per_subframe: 2, scs_khz: 30 });
      expect(warnings(r).some((w) => /capture timestamps do not advance/.test(w))).toBe(true);
      const counters = r.summary.details['counters'] as Record<string, Record<string, number>> | undefined;
      for (const [flow, c] of Object.entries(counters ?? {})) {
        if (!/^[cu]\|/.test(flow)) continue;
        expect(c['RX_ON_TIME'] ?? c['RX_ON_TIME_C'] ?? 0, flow).toBe(0);
      }
      expect(ofType(r, 'rx_window_late').concat(ofType(r, 'rx_window_early'), ofType(r, 'traffic_gap'))).toEqual([]);
    },
  );

  run('pcap-analyzer/sample_oran.pcap: the reserved eCPRI message type 0x33 is a finding', async () => {
    const r = await analyse('pcap-analyzer/sample_oran.pcap', profile(273, 'bfp', 9));
    const reserved = r.anomalies.filter((a) => (a.evidence as { code?: string }).code === 'reserved_message_type');
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved[0]!.type).toBe('ecpri_malformed');
    expect(reserved[0]!.description).toMatch(/reserved eCPRI message type 0x33/);
  });

  run(
    'nv_offset0_ref0_2sym.pcap eAxC 1: all-zero IQ from the first packet while the C-plane schedules it',
    async () => {
      const r = await analyse('Utilities/nv_offset0_ref0_2sym.pcap', profile(106, 'bfp', 9));
      const zero = ofType(r, 'iq_zero');
      expect(zero).toHaveLength(1);
      expect(zero[0]!.flow).toMatchObject({ eaxc: 1, plane: 'u', direction: 'dl' });
      expect(zero[0]!.evidence).toMatchObject({ reason: 'scheduled_never_energy', energetic_slots_before: 0 });
    },
  );
});
