/**
 * Time-error metrics of real captures (../shared/samples/s-plane_security, TIMESAFE): what the metrics say
 * about the exchanges H3's pairing forms, checked against tshark for the worst exchange of sync_attack_1:
 *
 *   8233 Sync      2024-10-08 capture 1728362823.748649000, originTimestamp 1728362783.636219780 (TAI), c 3503 ns
 *   8234 Delay_Req capture 1728362823.756775000
 *   8235 Delay_Resp receiveTimestamp 1728362823.756792354 (TAI), c 0            currentUtcOffset 37 s
 *   offset = ((t2 − (t1 − 37 s) − c) − ((t4 − 37 s) − t3)) / 2 = (77.112425717 + 36.999982646) / 2 s = 57.0562041815 s
 */
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../../test-support/shared.js';
import { detectFile } from '../test-support/detect-helpers.js';
import { captureTimeErrorMetricsDetector } from './capture-time-error-detector.js';
import { ptpViewFromMetrics } from './time-error-metric-rows.js';

const samples = requireSharedDir('samples/s-plane_security');
const run = it.runIf(samples.available);

function view(file: string, mode?: 'absolute' | 'relative' | 'off') {
  const r = detectFile(`${samples.path}/${file}`, [captureTimeErrorMetricsDetector], {
    profile: mode ? { timing: { mode } } : {},
  });
  return { rows: r.metrics, ports: ptpViewFromMetrics(r.metrics) };
}

describe('capture time-error metrics (TIMESAFE captures)', () => {
  run(
    'sync_attack_1, absolute: 1,280 exchanges, the replay at 57 s (8233/8234/8235), Syncs every 14.8 ms, FPP 33 %',
    () => {
      const { ports } = view('2024-10-08-sync_attack_1.pcap', 'absolute');
      expect(ports).toHaveLength(1);
      const p = ports[0]!;
      expect(p).toMatchObject({
        port: '0xb8cef6fffe5e6afa:1',
        master: '0xc45ab1ffff806085:14',
        domain: 24,
        basis: 'capture',
      });
      expect(p.variable_only).toBeUndefined();
      expect(p.summary.exchanges).toBe(1280);
      expect(p.summary.max_abs_te_ns).toBe(57_056_204_181.5);
      expect(p.summary.worst_exchange).toEqual({
        te_ns: 57_056_204_181.5,
        sync_frame: 8233,
        delay_req_frame: 8234,
        delay_resp_frame: 8235,
      });
      // The master announces 16 Syncs/s (62.5 ms); the replay brings the mean interval down to 14.8 ms.
      expect(p.intervals.sync!.count).toBe(5255);
      expect(p.intervals.sync!.mean_s).toBeCloseTo(0.014794, 5);
      expect(p.intervals.announce!.mean_s).toBeCloseTo(0.125, 5);
      // Replayed Syncs are seconds late against the floor: only a third of the Syncs are within 150 µs of it.
      expect(p.pdv!.fpp_pct).toBeCloseTo(33.125, 3);
      expect(p.verdicts.find((v) => v.standard === 'G.8271.1')).toMatchObject({ pass: false, limit_ns: 1100 });
      expect(p.verdicts.every((v) => !v.pass)).toBe(true);
      expect(p.statement).toMatch(/capture clock's own error/);
      expect(p.statement).not.toMatch(/runs on TAI/); // the replay drags the mean to 39.4 s
    },
  );

  run(
    'sync_attack_singlestep_1, absolute: a one-step Sync from 6.7 million years ahead is the worst exchange (2068/2069/2070)',
    () => {
      // tshark: 2068 Sync originTimestamp 211683403152739.371758852 s (48-bit seconds, well formed), c 3271 ns;
      // 2069 Delay_Req at 1728362861.689101000; 2070 Delay_Resp receiveTimestamp 1728362861.689121022.
      // offset = ((t2 − (t1 − 37) − c) − ((t4 − 37) − t3)) / 2 = −105,840,837,394,901.8 s: what a slave would compute.
      const p = view('2024-10-08-sync_attack_singlestep_1.pcap', 'absolute').ports[0]!;
      expect(p.summary.exchanges).toBe(1435);
      expect(p.summary.worst_exchange).toMatchObject({
        sync_frame: 2068,
        delay_req_frame: 2069,
        delay_resp_frame: 2070,
      });
      expect(p.summary.worst_exchange!.te_ns / -1.058408373949018e23).toBeCloseTo(1, 12);
      // Only 678 of the 1,435 exchanges are within 1 ms of the capture clock's 37 s (TAI): the median is a forged one.
      expect(p.summary.p50_abs_te_ns / 1e9).toBeCloseTo(69.7577, 3);
    },
  );

  run('announce_attack_1, absolute: the capture clock runs on TAI — every exchange is 37 s off, said by cTE', () => {
    const p = view('2024-10-08-announce_attack_1.pcap', 'absolute').ports[0]!;
    expect(p.summary.exchanges).toBe(428);
    expect(p.summary.cte_ns / 1e9).toBeCloseTo(37, 4); // currentUtcOffset: the capture's PHC time is TAI
    expect(p.summary.p50_abs_te_ns / 1e9).toBeCloseTo(36.9999914, 6); // 37 s (TAI) less 8.6 µs: the median exchange
    expect(p.summary.cte_window_s).toBe(90); // the capture is shorter than 1000 s: averaged over all of it
    expect(p.summary.worst_exchange).toMatchObject({ sync_frame: 6192, delay_req_frame: 6195, delay_resp_frame: 6196 });
    expect(p.statement).toMatch(/equals the announced currentUtcOffset \(37 s\): the capture clock runs on TAI/);
  });

  run('relative mode (and no mode): only the variable part, only the dTE verdicts', () => {
    const rel = view('2024-10-08-announce_attack_1.pcap', 'relative').ports[0]!;
    expect(rel.variable_only).toBe(true);
    expect(Math.abs(rel.summary.cte_ns)).toBeLessThan(1e-3);
    expect(rel.summary.max_abs_te_ns).toBeCloseTo(10_120.9486, 3); // largest deviation from the 37 s mean
    expect(new Set(rel.verdicts.map((v) => v.criterion))).toEqual(new Set(['dte_l_mtie', 'dte_l_tdev']));
    expect(rel.statement).toMatch(/mean was removed/);
    const none = view('2024-10-08-announce_attack_1.pcap').ports[0]!;
    expect(none.summary).toEqual(rel.summary);
    expect(view('2024-10-08-announce_attack_1.pcap', 'off').rows).toEqual([]);
  });

  run('prod announce attack: one row set per slave port and master (the real and the spoofed role pair)', () => {
    const ports = view('prod_successful_announce_attack_ptp.pcap', 'absolute').ports;
    expect(ports.map((p) => [p.port, p.master, p.summary.exchanges])).toEqual([
      ['0xb8cef6fffe5e6b4a:1', '0xc45ab1ffff3a1b05:14', 3405],
      ['0xc45ab1ffff3a1b05:14', '0xb8cef6fffe5e6b4a:1', 216],
    ]);
  });
});
