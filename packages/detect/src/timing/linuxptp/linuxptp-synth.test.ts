import { LINUXPTP_LOG_FAULT_TYPES, parseLinuxptpLine, synthLinuxptpLog, type LinuxptpLogFaultSpec } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { LinuxptpDetection } from './linuxptp-detection.js';
import { resolveLinuxptpThresholds } from './linuxptp-thresholds.js';

/**
 * The synthetic linuxptp log (`l1t synth ptp-log`, capture/synth/linuxptp) through the log detectors:
 * a clean log gives nothing; each fault gives findings of its type at its labelled line (same line, or the
 * label's time within the finding's span) and nothing that its label does not explain (`also`).
 */
function detect(text: string) {
  const d = new LinuxptpDetection(resolveLinuxptpThresholds(undefined));
  text.split('\n').forEach((l, i) => {
    const p = parseLinuxptpLine(l);
    if (p) d.onLine(p, i + 1);
  });
  return d.finish();
}

describe('synthetic linuxptp log', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: a clean log parses line by line and gives no finding', (seed) => {
    const s = synthLinuxptpLog({ durationS: 600, format: seed % 2 ? 'verbose' : 'syslog' }, [], seed);
    const lines = s.text.trimEnd().split('\n');
    expect(lines.every((l) => parseLinuxptpLine(l) !== undefined)).toBe(true);
    expect(lines.filter((l) => parseLinuxptpLine(l)!.event.kind === 'servo')).toHaveLength(1200); // ptp4l + phc2sys
    expect(s.labels).toEqual([]);
    expect(detect(s.text).anomalies).toEqual([]);
  });

  const cases: [string, LinuxptpLogFaultSpec][] = [];
  for (const type of LINUXPTP_LOG_FAULT_TYPES)
    for (const seed of [1, 2, 3]) cases.push([`${type} seed ${seed}`, { type, at: 60 + 37 * seed }]);
  cases.push(['clock jump', { type: 'ptp_port_fault', at: 200, params: { kind: 'clock_jump' } }]);
  cases.push(['slaveOnly announce timeout', { type: 'ptp_announce_timeout', at: 150, params: { slave_only: 1 } }]);
  it.each(cases)('%s: found at its label, nothing unexplained', (_name, fault) => {
    const seed = Number(_name.at(-1)) || 9;
    const s = synthLinuxptpLog({ durationS: 400, format: seed === 2 ? 'syslog' : 'verbose' }, [fault], seed);
    expect(s.labels).toHaveLength(1);
    const label = s.labels[0]!;
    if (fault.params?.slave_only === 1)
      expect(s.text.split('\n')[label.packet_index - 1]).toMatch(
        /port 1 \(eth0\): SLAVE to LISTENING on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES$/,
      );
    const r = detect(s.text);
    const mine = r.anomalies.filter((a) => a.type === label.type);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.some((a) => a.packet_index === label.packet_index)).toBe(true);
    for (const a of mine) expect(a.timestamp).toBe(label.timestamp); // every finding of the type starts there
    for (const a of r.anomalies.filter((x) => x.type !== label.type)) {
      expect(label.also ?? []).toContain(a.type);
      expect(a.timestamp).toBe(label.timestamp);
    }
  });

  it('several faults in one log: each found once at its line, the grandmaster change followed by recoveries', () => {
    const spec: LinuxptpLogFaultSpec[] = [
      { type: 'ptp_gm_change', at: 60 },
      { type: 'ptp_port_fault', at: 130 },
      { type: 'ptp_announce_timeout', at: 200 },
      { type: 'ptp_servo_unlocked', at: 270, params: { samples: 3 } },
      { type: 'ptp_path_delay_jump', at: 340, params: { shift_ns: -300 } },
      { type: 'ptp_time_error', at: 410, params: { offset_ns: 5000, count: 2 } },
    ];
    const s = synthLinuxptpLog({ durationS: 500 }, spec, 11);
    const r = detect(s.text);
    const byLine = (t: string) => r.anomalies.filter((a) => a.type === t).map((a) => a.packet_index);
    const at = (t: string) => s.labels.filter((l) => l.type === t).map((l) => l.packet_index);
    for (const t of ['ptp_servo_unlocked', 'ptp_path_delay_jump', 'ptp_time_error', 'ptp_announce_timeout'])
      expect(byLine(t)).toEqual(at(t));
    // the local clock taking over on the announce timeout is a grandmaster change at the same line
    expect(byLine('ptp_gm_change')).toEqual([...at('ptp_gm_change'), at('ptp_announce_timeout')[0]! + 1]);
    // tx timestamp timeout, send failure and FAULTY: three findings, all at the labelled second
    const faults = r.anomalies.filter((a) => a.type === 'ptp_port_fault');
    expect(faults.map((a) => a.evidence.fault)).toEqual(['tx_timestamp_timeout', 'send_failed', 'FAULT_DETECTED']);
    expect(faults[0]!.packet_index).toBe(at('ptp_port_fault')[0]);
  });

  it('ptp_path_delay_jump is placed on the first sample at the new level (40 seeds of noise)', () => {
    // Before the fix the change was put where the 8-against-8 median shift was largest, which on a clean
    // step is any of the 7 points from 3 samples before the step to 3 after: 22 of these 40 were off.
    for (let seed = 1; seed <= 40; seed++) {
      const s = synthLinuxptpLog({ durationS: 300 }, [{ type: 'ptp_path_delay_jump', at: 100 + seed }], seed);
      const a = detect(s.text).anomalies;
      expect(a.map((x) => [x.type, x.packet_index])).toEqual([['ptp_path_delay_jump', s.labels[0]!.packet_index]]);
    }
  });

  it('writes the syslog form of the same messages', () => {
    const v = synthLinuxptpLog({ durationS: 120 }, [{ type: 'ptp_gm_change', at: 60 }], 5);
    const s = synthLinuxptpLog({ durationS: 120, format: 'syslog' }, [{ type: 'ptp_gm_change', at: 60 }], 5);
    const vl = v.text.split('\n');
    const sl = s.text.split('\n');
    expect(sl[0]).toMatch(/^Jan 15 10:00:00 du-01 ptp4l\[\d+\]: \[\d+\.\d{3}\] selected \/dev\/ptp0 as PTP clock$/);
    // line for line the same message and monotonic time
    expect(sl.map((l) => l.replace(/^.*?(ptp4l|phc2sys)\[\d+\]: \[([\d.]+)\]/, '$1[$2]:'))).toEqual(vl);
    expect(s.labels).toEqual(v.labels);
  });

  it('refuses faults outside the log or too close together, and unknown kinds', () => {
    expect(() => synthLinuxptpLog({ durationS: 300 }, [{ type: 'ptp_time_error', at: 10 }], 1)).toThrow(RangeError);
    expect(() =>
      synthLinuxptpLog(
        { durationS: 300 },
        [
          { type: 'ptp_time_error', at: 100 },
          { type: 'ptp_gm_change', at: 120 },
        ],
        1,
      ),
    ).toThrow(/60 s between/);
    expect(() =>
      synthLinuxptpLog({ durationS: 300 }, [{ type: 'ptp_port_fault', at: 100, params: { kind: 'x' } }], 1),
    ).toThrow(/kind/);
  });
});
