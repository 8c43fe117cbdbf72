/**
 * The four linuxptp logs of ../shared/samples/LPTP_Analyzer (MANIFEST.md: boundary clock, hardware and
 * software timestamping, transparent clock) through the real pipeline (`analyzeFile`: sniffed as text,
 * recognised as linuxptp by content, every line parsed and judged). Line numbers are the file's, 1-based;
 * each pinned value was read off the file (e.g. `sed -n 203,205p Hard.txt`).
 */
import type { AnomalyDraft } from '@l1t/contracts';
import { ptpViewFromMetrics } from '@l1t/detect';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { fileInput } from './sources.js';

const samples = requireSharedDir('samples');
const run = it.runIf(samples.available);

const analyse = (name: string): Promise<FileResult> =>
  analyzeFile(fileInput(`${samples.path}/LPTP_Analyzer/${name}`), {});
const brief = (a: AnomalyDraft) => ({ type: a.type, line: a.packet_index, lines: a.packet_count });
const view = (r: FileResult) => {
  const [v, ...more] = ptpViewFromMetrics(r.metrics);
  expect(more).toEqual([]);
  return v!;
};
const verdict = (r: FileResult, standard: string, cls: string | null, criterion: string) =>
  view(r).verdicts.find((v) => v.standard === standard && v.class === cls && v.criterion === criterion)!.pass;

describe('linuxptp logs (LPTP_Analyzer)', () => {
  run(
    'BC.txt (boundary clock slave, 1,079 servo samples, all s2): one excursion to 3.2 µs at lines 463–504',
    async () => {
      const r = await analyse('BC.txt');
      expect(r.format).toBe('text');
      expect(r.warning).toBeUndefined();
      expect(r.summary).toMatchObject({ records: 1080, unknownRecords: 1 }); // line 1 is the file's own title
      expect(r.summary.details).toMatchObject({
        text_log_kind: 'linuxptp',
        linuxptp_lines: 1079,
        messages: { servo: 1079 },
      });
      expect(r.anomalies.map(brief)).toEqual([
        { type: 'ptp_time_error', line: 463, lines: 42 }, // -1102 ns at 463 … last beyond the budget at 504
        { type: 'ptp_path_delay_jump', line: 481, lines: 1 },
      ]);
      const [te, jump] = r.anomalies;
      // line 483: "master offset -3192 s2 freq -2674 path delay 1764"
      expect(te!.evidence).toMatchObject({
        basis: 'servo_offset',
        worst_offset_ns: -3192,
        worst_line: 483,
        samples_beyond: 36,
        locked_samples: 42,
        last_line: 504,
      });
      expect(te!.description).toMatch(/servo offsets, not a measured time error/);
      // lines 473–480 median 2348.5 ns, lines 481–488 median 1645 ns
      expect(jump!.evidence).toMatchObject({
        shift_ns: -703.5,
        delay_before_ns: 2348.5,
        delay_after_ns: 1645,
        changes: 1,
      });
      const v = view(r);
      expect(v).toMatchObject({
        port: 'ptp4l master',
        basis: 'servo_offset',
        summary: { exchanges: 1079, max_abs_te_ns: 3192 },
      });
      expect(v.series.t).toHaveLength(1079); // one row per second holding a sample (they are 1.111 s apart)
      expect(verdict(r, 'G.8271.1', null, 'max_abs_te')).toBe(false);
    },
  );

  run(
    'Hard.txt (hardware timestamping): start-up s0 at line 8 is no finding; the ±12.7 µs jolt at lines 203–205 and its path delay step are',
    async () => {
      const r = await analyse('Hard.txt');
      expect(r.summary.records).toBe(1830);
      expect(r.summary.details).toMatchObject({
        messages: { servo: 1822, port_state: 5, foreign_master: 1, best_master: 1, other: 1 },
      });
      expect(r.summary.details.port_transitions).toContain(
        'line 10: ptp4l port 1 (enp0s31f6) UNCALIBRATED → SLAVE on MASTER_CLOCK_SELECTED',
      );
      expect(r.anomalies.map(brief)).toEqual([
        { type: 'ptp_time_error', line: 203, lines: 3 }, // -12749, +11990, +3562 ns
        { type: 'ptp_path_delay_jump', line: 204, lines: 12 }, // 7898 → 8201 ns (line 207) and back to 7874 at 215
      ]);
      expect(r.anomalies[0]!.evidence).toMatchObject({
        worst_offset_ns: -12749,
        worst_line: 203,
        samples_beyond: 3,
        path_delay_ns_at_worst: 7898,
      });
      expect(r.anomalies[1]!.evidence).toMatchObject({
        changes: 2,
        largest_change_line: 204,
        delay_max_ns: 8201,
        last_line: 215,
      });
      expect(view(r).summary).toMatchObject({ exchanges: 1821, max_abs_te_ns: 12749 });
      expect(view(r).mtie.find((m) => m.tau_s === 1)!.ns).toBe(24739); // -12749 → +11990 one second apart
    },
  );

  run(
    'Soft.txt (software timestamping): tens of µs while locked — one excursion over the whole log, two delay changes',
    async () => {
      const r = await analyse('Soft.txt');
      expect(r.anomalies.map(brief)).toEqual([
        { type: 'ptp_time_error', line: 24, lines: 1781 }, // s2 from line 24 to the end (1804)
        { type: 'ptp_path_delay_jump', line: 591, lines: 1 }, // back from the 73818–75195 ns dip of lines 586–589
        { type: 'ptp_path_delay_jump', line: 1603, lines: 3 },
      ]);
      // s0 at lines 7–22 and s1 at 23 are the start-up acquisition (linuxptp steps once): no servo finding
      expect(r.anomalies.some((a) => a.type === 'ptp_servo_unlocked')).toBe(false);
      expect(r.anomalies[0]!.evidence).toMatchObject({
        worst_offset_ns: -77904,
        worst_line: 1185,
        samples_beyond: 1573,
        locked_samples: 1780,
      });
      const v = view(r);
      expect(v.summary.exchanges).toBe(1780);
      expect(v.summary.cte_ns).toBeCloseTo(-732.978, 3); // worst 1000 s average of the locked offsets
      expect(verdict(r, 'G.8273.2', 'A', 'cte')).toBe(false);
    },
  );

  run(
    'TC.txt (slave behind a transparent clock): within 354 ns, no finding; local clock chosen before the master is not a change',
    async () => {
      const r = await analyse('TC.txt');
      expect(r.anomalies).toEqual([]);
      expect(r.summary.details).toMatchObject({ messages: { servo: 1170, best_master: 2 } });
      const v = view(r);
      expect(v.summary).toMatchObject({ exchanges: 1170, max_abs_te_ns: 354 }); // line 10, the first sample
      expect(verdict(r, 'G.8271.1', null, 'max_abs_te')).toBe(true);
      expect(verdict(r, 'G.8273.2', 'A', 'max_abs_te')).toBe(false);
      expect(verdict(r, 'G.8273.2', 'C', 'cte')).toBe(true);
      expect(v.intervals.servo).toMatchObject({ count: 1169 }); // ptp4l printed a sample every 0.9 s
      expect(v.intervals.servo!.mean_s).toBeCloseTo(0.9, 2);
    },
  );
});
