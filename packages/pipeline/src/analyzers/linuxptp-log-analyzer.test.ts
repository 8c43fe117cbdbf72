import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './registry.js';

const log = [
  'some title line',
  'ptp4l[100.000]: selected best master clock aaaaaa.fffe.000001',
  ...Array.from(
    { length: 40 },
    (_, i) => `ptp4l[${101 + i}.000]: master offset ${i === 30 ? 5000 : 3} s2 freq +10 path delay 900`,
  ),
  `ptp4l[150.000]: ${'x'.repeat(5000)}`,
  'ptp4l[151.000]: port 1 (eth0): SLAVE to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)',
].join('\r\n');

function analyse(text: string, chunk: number) {
  const a = createAnalyzer('text', 'text', { fileName: 'ptp.log', profile: undefined });
  const b = new TextEncoder().encode(text);
  for (let i = 0; i < b.length; i += chunk) a.push(b.subarray(i, i + chunk));
  return a.finish();
}

describe('LinuxptpLogAnalyzer', () => {
  it('gives the same result whatever the chunking, CR LF and an unterminated last line included', () => {
    const whole = analyse(log, 1 << 20);
    expect(whole.summary).toMatchObject({ records: 44, unknownRecords: 1, malformedRecords: 1 }); // title; the 5,000-char line
    expect(whole.summary.details).toMatchObject({
      text_log_kind: 'linuxptp',
      linuxptp_lines: 42,
      messages: { servo: 40, best_master: 1, port_state: 1 },
    });
    expect(whole.anomalies.map((a) => [a.type, a.packet_index])).toEqual([
      ['ptp_time_error', 33], // offset 5000 at the 31st sample, line 33
      ['ptp_port_fault', 44], // still FAULTY when the log ends
    ]);
    for (const chunk of [1, 7, 64, 4097]) {
      const r = analyse(log, chunk);
      expect(r.summary).toEqual(whole.summary);
      expect(r.anomalies).toEqual(whole.anomalies);
      expect(r.metrics).toEqual(whole.metrics);
    }
  });

  it('gives log times from the monotonic clock and says so', () => {
    const r = analyse(log, 1 << 20);
    expect(r.summary.firstTimestampNs).toBe(100_000_000_000n);
    expect(r.summary.lastTimestampNs).toBe(151_000_000_000n);
    expect(r.anomalies[0]!.timestamp).toBe('1970-01-01T00:02:11.000000000Z');
    expect(String(r.summary.details.time_basis)).toMatch(/CLOCK_MONOTONIC/);
  });
});
