import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import type { DetectionResult } from '../framework/detector.js';
import { detectFile, ofType } from './test-support/detect-helpers.js';
import { ptpAnnounceTimeoutDetector } from './ptp-announce-timeout.js';
import { ptpClockDegradedDetector } from './ptp-clock-degraded.js';
import { ptpFollowUpMissingDetector } from './ptp-follow-up-missing.js';
import { ptpGmChangeDetector } from './ptp-gm-change.js';
import { ptpSyncGapDetector } from './ptp-sync-gap.js';
import { ptpSyncSequenceDetector } from './ptp-sync-sequence.js';
import { ptpTimeErrorDetector } from './ptp-time-error.js';

/**
 * The TIMESAFE PTP attack captures (shared/samples/s-plane_security, MANIFEST.md; arXiv:2412.13049),
 * G.8275.1 domain 24 over L2. Expected frame numbers were read with tshark 4.0 (`ptp.v2.an.*`,
 * `ptp.v2.sequenceid`, `frame.time_relative` per `ptp.v2.clockidentity`/`sourceportid`).
 * Skipped when the samples are absent; a failure under L1T_REQUIRE_ALL_SUITES=1.
 */
const samples = requireSharedDir('samples/s-plane_security');
const DEFS = [
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpFollowUpMissingDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ptpTimeErrorDetector,
];

const cache = new Map<string, DetectionResult>();
function analyse(file: string, profile?: Profile): DetectionResult {
  const key = `${file}|${JSON.stringify(profile ?? {})}`;
  let r = cache.get(key);
  if (r === undefined) {
    r = detectFile(`${samples.path}/${file}`, DEFS, { profile });
    cache.set(key, r);
  }
  return r;
}

const indexes = (r: DetectionResult, type: string) => ofType(r, type).map((a) => a.packet_index);

describe.runIf(samples.available)('PTP attack captures (s-plane_security)', () => {
  describe('prod_successful_announce_attack_ptp.pcap: the boundary clock loses its GM and follows the attacker', () => {
    it('reports each grandmaster change of port c45ab1ffff3a1b05:14 (fcaf6a… → own → attacker b8cef6… → own)', () => {
      const r = analyse('prod_successful_announce_attack_ptp.pcap');
      const port = ofType(r, 'ptp_gm_change').filter((a) => a.evidence.view === 'port');
      expect(port.map((a) => [a.packet_index, a.evidence.to_grandmaster])).toEqual([
        [4362, '0xc45ab1ffff3a1b05'],
        [4367, '0xb8cef6fffe5e6b4a'],
        [5589, '0xc45ab1ffff3a1b05'],
      ]);
      // nothing before the attack (78 s in)
      expect(Math.min(...indexes(r, 'ptp_gm_change'))).toBe(4362);
    });

    it('reports the clockClass steps into holdover: 1 → 135 (frame 5589) and 135 → 165 (frame 10090)', () => {
      const r = analyse('prod_successful_announce_attack_ptp.pcap');
      expect(ofType(r, 'ptp_clock_degraded').map((a) => [a.packet_index, a.evidence.from_class, a.evidence.to_class])).toEqual([
        [5589, 1, 135],
        [10090, 135, 165],
      ]);
    });

    it('reports the Sync and Announce silences of the attacked port from frame 4406 on', () => {
      const r = analyse('prod_successful_announce_attack_ptp.pcap');
      const sync = ofType(r, 'ptp_sync_gap');
      expect(sync[0]!.packet_index).toBe(4407); // 560 ms without Sync (tshark: frame 4407)
      expect(sync[0]!.evidence).toMatchObject({ last_packet_index: 4380, threshold_ms: 187.5 });
      expect(Math.min(...indexes(r, 'ptp_announce_timeout'))).toBe(4406);
      expect(Math.min(...indexes(r, 'ptp_sync_gap'))).toBeGreaterThan(4362);
      // the attacker's own port b8cef6fffe5e6b4a:1 stops for good 135 s before the end
      expect(sync.some((a) => a.evidence.resumed === false && a.flow?.ptp_port === '0xb8cef6fffe5e6b4a:1')).toBe(true);
    });
  });

  describe('2024-10-08-announce_attack_1.pcap: spoofed Announce (clockClass 0, priority1 0) from 10.9 s to 74 s', () => {
    it('reports the BMCA takeover once the spoofed port qualifies, and the return to the real grandmaster', () => {
      const r = analyse('2024-10-08-announce_attack_1.pcap');
      const gm = ofType(r, 'ptp_gm_change');
      expect(gm.map((a) => [a.packet_index, a.evidence.view, a.evidence.to_grandmaster])).toEqual([
        [670, 'bmca', '0xb8cef6fffe5e6afa'], // second Announce of 0xb8cef6ffff5e6afa:14 (first: frame 660)
        [5370, 'bmca', '0xfcaf6afffe02babe'],
      ]);
      expect(ofType(r, 'ptp_clock_degraded')).toHaveLength(0);
      expect(ofType(r, 'ptp_sync_sequence_error')).toHaveLength(0);
      expect(indexes(r, 'ptp_announce_timeout')).toContain(5285); // the spoofing port falters (680 ms)
    });
  });

  describe('15min_announce_attack.pcap: 11 minutes with a second grandmaster announcing throughout', () => {
    it('reports the two Sync gaps of port b8cef6fffe5e6afa:1 near the end as one burst at frame 47815', () => {
      const r = analyse('15min_announce_attack.pcap');
      const sync = ofType(r, 'ptp_sync_gap');
      expect(sync).toHaveLength(1);
      expect(sync[0]!.packet_index).toBe(47815);
      expect(sync[0]!.evidence).toMatchObject({ occurrences: 2 });
    });

    it('reports the grandmaster flapping when the spoofing port falters (frames 47843 and 47866)', () => {
      const r = analyse('15min_announce_attack.pcap');
      expect(indexes(r, 'ptp_gm_change')).toEqual([47843, 47866]);
      expect(ofType(r, 'ptp_clock_degraded')).toHaveLength(0);
    });
  });

  describe('Sync attacks: replayed Syncs with the master\'s port identity', () => {
    it.each([
      ['2024-10-08-sync_attack_1.pcap', 704],
      ['2024-10-08-sync_attack_singlestep_1.pcap', 481],
    ])('%s: sequenceId repeats and goes back from frame %i on, no grandmaster event', (file, first) => {
      const r = analyse(file);
      const seq = ofType(r, 'ptp_sync_sequence_error');
      expect(seq).toHaveLength(1);
      expect(seq[0]!.packet_index).toBe(first);
      expect(Number(seq[0]!.evidence.occurrences)).toBeGreaterThan(2000);
      expect(ofType(r, 'ptp_gm_change')).toHaveLength(0);
      expect(ofType(r, 'ptp_clock_degraded')).toHaveLength(0);
      expect(ofType(r, 'ptp_sync_gap')).toHaveLength(0);
    });
  });

  it.each([
    'prod_successful_announce_attack_ptp.pcap',
    '2024-10-08-announce_attack_1.pcap',
    '15min_announce_attack.pcap',
    '2024-10-08-sync_attack_1.pcap',
  ])('%s: every two-step Sync has its Follow_Up (the Sync attacks are one-step)', (file) => {
    expect(ofType(analyse(file), 'ptp_follow_up_missing')).toHaveLength(0);
  });

  it('gives no time error unless the profile says the capture clock is absolute', () => {
    expect(ofType(analyse('2024-10-08-sync_attack_1.pcap'), 'ptp_time_error')).toHaveLength(0);
  });

  it('in absolute mode, shows the 37 s TAI/UTC offset of the capture clock for what it is', () => {
    // The Sync origin timestamps of this testbed are ≈ the capture's timestamps: one of the two clocks is
    // off by currentUtcOffset (37 s). The bytes justify the finding; the note names the likely cause.
    const r = analyse('2024-10-08-sync_attack_1.pcap', { timing: { mode: 'absolute' } });
    const te = ofType(r, 'ptp_time_error');
    expect(te.length).toBeGreaterThan(0);
    expect(Math.abs(Number(te[0]!.evidence.offset_ns) - 37e9)).toBeLessThan(1e6);
    expect(String(te[0]!.evidence.note)).toMatch(/currentUtcOffset/);
  });
});
