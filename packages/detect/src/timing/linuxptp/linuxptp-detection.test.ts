import { parseLinuxptpLine } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { LinuxptpDetection } from './linuxptp-detection.js';
import { resolveLinuxptpThresholds } from './linuxptp-thresholds.js';

/** Runs the detection over log text (lines numbered from 1, non-linuxptp lines skipped as the analyzer does). */
function detect(text: string, overrides?: Record<string, Record<string, unknown>>) {
  const d = new LinuxptpDetection(resolveLinuxptpThresholds(overrides));
  text.split('\n').forEach((l, i) => {
    const p = parseLinuxptpLine(l);
    if (p) d.onLine(p, i + 1);
  });
  return d.finish();
}

const servo = (t: number, offset: number, state: number, delay = 1000) =>
  `ptp4l[${t.toFixed(3)}]: master offset ${offset} s${state} freq +100 path delay ${delay}`;
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

describe('LinuxptpDetection', () => {
  it('reports nothing on a quiet locked servo', () => {
    const r = detect(lines(200, (i) => servo(100 + i, (i % 7) - 3, 2, 1000 + (i % 3))));
    expect(r.anomalies).toEqual([]);
    expect(r.reports[0]).toMatchObject({ port: 'ptp4l master', basis: 'servo_offset', samples: 200, maxAbsTeNs: 3 });
  });

  it('ptp_time_error: one finding per excursion beyond the budget while locked, unlocked samples ignored', () => {
    const r = detect(
      lines(60, (i) =>
        servo(100 + i, i === 0 ? 50_000 : i === 20 ? 1500 : i === 22 ? -2500 : i === 45 ? 1200 : 10, i === 0 ? 0 : 2),
      ),
    );
    const te = r.anomalies.filter((a) => a.type === 'ptp_time_error');
    // lines 21 and 23 are one excursion (1 in-budget sample between), line 46 another (10 in-budget samples between)
    expect(te.map((a) => [a.packet_index, a.evidence.worst_offset_ns, a.evidence.samples_beyond])).toEqual([
      [21, -2500, 2],
      [46, 1200, 1],
    ]);
    expect(te[0]!.evidence).toMatchObject({ basis: 'servo_offset', last_line: 23, worst_line: 23 });
    expect(
      detect(
        lines(30, (i) => servo(i, i === 5 ? 1500 : 0, 2)),
        { ptp_time_error: { max_abs_offset_ns: 2000 } },
      ).anomalies,
    ).toEqual([]);
  });

  it('ptp_servo_unlocked: lock lost after lock (with the clock step), and a servo that never locks', () => {
    const text = lines(40, (i) =>
      servo(100 + i, i >= 20 && i < 25 ? 90_000 : 5, i < 3 ? 0 : i >= 20 && i < 24 ? 0 : i === 24 ? 1 : 2),
    );
    const u = detect(text).anomalies.filter((a) => a.type === 'ptp_servo_unlocked');
    expect(u).toHaveLength(1); // lines 1–3 are start-up acquisition
    expect(u[0]).toMatchObject({
      packet_index: 21,
      evidence: { episode: 'lock_lost', unlocked_samples: 5, steps: 1, stepped: true, relocked_line: 26 },
    });
    const never = detect(lines(200, (i) => servo(i, 40_000, 0))).anomalies;
    expect(never.map((a) => [a.type, a.evidence.episode, a.packet_index])).toEqual([
      ['ptp_servo_unlocked', 'never_locked', 1],
    ]);
  });

  it('ptp_path_delay_jump: a lasting step of the delay level, not a one-sample spike', () => {
    const step = detect(lines(100, (i) => servo(i, 0, 2, (i < 50 ? 1000 : 1400) + (i % 2)))).anomalies;
    expect(step.map((a) => [a.type, a.packet_index])).toEqual([['ptp_path_delay_jump', 51]]);
    expect(step[0]!.evidence).toMatchObject({ changes: 1, delay_before_ns: 1000.5, delay_after_ns: 1400.5 });
    expect(detect(lines(100, (i) => servo(i, 0, 2, i === 50 ? 5000 : 1000))).anomalies).toEqual([]);
    expect(detect(lines(100, (i) => servo(i, 0, 2, i < 50 ? 1000 : 1050))).anomalies).toEqual([]); // below 100 ns
  });

  it('ptp_port_fault: FAULTY until the port leaves it, tx timestamp timeouts counted as one burst, clock jumps', () => {
    const r = detect(
      [
        'ptp4l[10.000]: timed out while polling for tx timestamp',
        'ptp4l[10.000]: increasing tx_timestamp_timeout may correct this issue, but it is likely caused by a driver bug',
        'ptp4l[10.001]: port 1 (eth0): SLAVE to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)',
        'ptp4l[26.002]: port 1 (eth0): FAULTY to LISTENING on INIT_COMPLETE',
        'ptp4l[30.000]: timed out while polling for tx timestamp',
        'phc2sys[31.0]: clockcheck: clock jumped backward or running slower than expected!',
      ].join('\n'),
    );
    expect(r.anomalies.map((a) => [a.type, a.packet_index, a.packet_count, a.evidence.fault])).toEqual([
      ['ptp_port_fault', 1, 2, 'tx_timestamp_timeout'],
      ['ptp_port_fault', 3, 2, 'FAULT_DETECTED'],
      ['ptp_port_fault', 6, 1, 'clock_jump'],
    ]);
    expect(r.anomalies[1]).toMatchObject({
      flow: { ptp_port: 'ptp4l port 1 (eth0)' },
      evidence: { fault_type: 'FT_UNSPECIFIED', recovered_line: 4 },
    });
    expect(r.anomalies[0]!.evidence.occurrences).toBe(2);
  });

  it('ptp_gm_change from best-master selection; ptp_announce_timeout when a slave port loses its master', () => {
    const r = detect(
      [
        'ptp4l[1.0]: selected local clock aaaaaa.fffe.000001 as best master',
        'ptp4l[5.0]: selected best master clock bbbbbb.fffe.000002',
        'ptp4l[9.0]: port 1 (eth0): SLAVE to MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES',
        'ptp4l[9.0]: selected local clock aaaaaa.fffe.000001 as best master',
        'ptp4l[20.0]: selected best master clock cccccc.fffe.000003',
        'ptp4l[30.0]: selected best master clock dddddd.fffe.000004',
      ].join('\n'),
    );
    expect(r.anomalies.map((a) => [a.type, a.packet_index, a.evidence.to_grandmaster ?? a.evidence.event])).toEqual([
      ['ptp_announce_timeout', 3, 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES'],
      ['ptp_gm_change', 4, 'aaaaaa.fffe.000001'], // lost bbbbbb: the local clock took over
      ['ptp_gm_change', 6, 'dddddd.fffe.000004'], // line 5 follows a local selection: not a change
    ]);
    expect(r.anomalies[1]!.evidence).toMatchObject({
      from_grandmaster: 'bbbbbb.fffe.000002',
      local_clock_selected: true,
    });
  });

  it('judges summary_interval lines (rms/max) against the budget when ptp4l prints no samples', () => {
    const r = detect(
      lines(
        20,
        (i) =>
          `ptp4l[${16 * i}.000]: rms ${i === 7 ? 900 : 12} max ${i === 7 ? 4100 : 30} freq -2000 +/- 5 delay 1980 +/- 2`,
      ),
    );
    expect(r.anomalies.map((a) => [a.type, a.packet_index])).toEqual([['ptp_time_error', 8]]);
    expect(r.anomalies[0]!.evidence).toMatchObject({
      worst_offset_ns: 4100,
      worst_from_summary: true,
      summary_rms_ns: 900,
    });
    expect(r.reports).toEqual([]); // no sample series from summaries: no metrics
  });

  it('starts a new run when the time goes back (a restart, two logs joined): no jump across the seam', () => {
    const r = detect(
      [lines(30, (i) => servo(5000 + i, 4, 2, 2000)), lines(30, (i) => servo(100 + i, -3, 2, 3900))].join('\n'),
    );
    expect(r.anomalies).toEqual([]);
    expect(r.reports.map((x) => [x.port, x.samples, x.maxAbsTeNs])).toEqual([
      ['ptp4l master', 30, 4],
      ['ptp4l master (run from line 31)', 30, 3],
    ]);
  });

  it('keeps each phc2sys / ts2phc clock apart and takes no path delay from phc2sys', () => {
    const r = detect(
      lines(40, (i) =>
        i % 2
          ? `phc2sys[${i}.5]: CLOCK_REALTIME phc offset ${i === 21 ? 5000 : 3} s2 freq -10 delay ${i > 20 ? 9000 : 500}`
          : `ts2phc[${i}.0]: /dev/ptp1 offset 2 s2 freq +1`,
      ),
    );
    expect(r.reports.map((x) => x.port).sort()).toEqual(['phc2sys CLOCK_REALTIME phc', 'ts2phc /dev/ptp1']);
    expect(r.anomalies.map((a) => [a.type, a.packet_index])).toEqual([['ptp_time_error', 22]]);
  });
});
