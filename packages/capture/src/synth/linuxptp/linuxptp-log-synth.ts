import { FaultSpecError } from '../fault-spec.js';
import { Prng } from '../prng.js';
import { isoNs } from '../timestamp.js';

/**
 * A synthetic linuxptp log (`l1t synth ptp-log`): one ordinary-clock slave, `ptp4l -m` (port 1 on eth0,
 * 1 Hz servo samples `master offset … s2 freq … path delay …`) and `phc2sys -m` (`CLOCK_REALTIME phc
 * offset … s2 freq … delay …`), written in the verbose format the parser reads (linuxptp print.c:
 * `ptp4l[MONO.ms]: message`; the message formats of clock.c, port.c, phc2sys.c, sk.c, clockcheck.c as
 * the real logs of ../shared/samples/LPTP_Analyzer show them). The log starts the way ptp4l starts:
 * ports INITIALIZING → LISTENING, a foreign master heard, the best master selected, LISTENING →
 * UNCALIBRATED, the servo in s0 then s1 (one clock step) then s2, UNCALIBRATED → SLAVE. A clean log
 * stays locked within ±60 ns on a steady path delay: no finding.
 *
 * Faults (`TYPE@SECONDS[:key=value,…]`, seconds from the log's first line), each labelled at the line
 * where the finding must be:
 *
 * - `ptp_time_error [offset_ns 2500, count 5]`: `count` locked samples at ±offset_ns (servo offsets);
 * - `ptp_servo_unlocked [samples 5]`: the servo resets — SLAVE → UNCALIBRATED on SYNCHRONIZATION_FAULT,
 *   `samples` s0 samples, one s1 (the clock stepped), s2 again and UNCALIBRATED → SLAVE; labelled at the
 *   first s0 sample;
 * - `ptp_port_fault [kind tx_timeout|clock_jump]`: tx_timeout — "timed out while polling for tx
 *   timestamp", the driver hint, "send delay request failed", SLAVE → FAULTY on FAULT_DETECTED
 *   (FT_UNSPECIFIED), no servo samples for the fault_reset_interval (16 s), FAULTY → LISTENING, the same
 *   master selected again, back to SLAVE; clock_jump — phc2sys's "clockcheck: clock jumped forward or
 *   running faster than expected!";
 * - `ptp_path_delay_jump [shift_ns 400]`: the path delay moves to another level from then on (a
 *   symmetric route change: the offsets are unchanged);
 * - `ptp_gm_change`: a new foreign master, then "selected best master clock NEW", SLAVE → UNCALIBRATED on
 *   RS_SLAVE and back to SLAVE (the new grandmaster is traceable to the same time: the servo stays locked);
 * - `ptp_announce_timeout [outage_s 20, slave_only 0]`: SLAVE → MASTER on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES
 *   (SLAVE → LISTENING with `slave_only=1`, a slaveOnly clock such as a G.8275.1 T-TSC) and "selected local
 *   clock … as best master" (also a `ptp_gm_change`: the label's `also`), no servo samples during the
 *   outage, then its master's Announces again: foreign master, best master selected, → UNCALIBRATED → SLAVE.
 *
 * Pure: returns the text and the labels; no I/O.
 */
export const LINUXPTP_LOG_FAULT_TYPES = [
  'ptp_time_error',
  'ptp_servo_unlocked',
  'ptp_port_fault',
  'ptp_path_delay_jump',
  'ptp_gm_change',
  'ptp_announce_timeout',
] as const;
export type LinuxptpLogFaultType = (typeof LINUXPTP_LOG_FAULT_TYPES)[number];

export interface LinuxptpLogFaultSpec {
  type: LinuxptpLogFaultType;
  /** Seconds from the log's first line. */
  at: number;
  params?: Record<string, number | string>;
}

export interface LinuxptpLogLabel {
  type: LinuxptpLogFaultType;
  source: 'timing';
  /** 1-based line number of the line where the fault becomes visible. */
  packet_index: number;
  /** The line's CLOCK_MONOTONIC time written as seconds since 1970 (as the findings write it). */
  timestamp: string;
  packet_count: number;
  flow: { plane: 's'; ptp_port: string };
  params: Record<string, number | string>;
  spec: string;
  also?: string[];
}

export interface LinuxptpLogSynthResult {
  text: string;
  labels: LinuxptpLogLabel[];
  stats: { lines: number; servoSamples: number };
}

export interface LinuxptpLogConfig {
  /** Seconds of servo samples after start-up (default 600). */
  durationS: number;
  /**
   * `verbose` (default): what `ptp4l -m` prints, `ptp4l[MONO.ms]: message`; `syslog`: the same messages as
   * rsyslog files them, `Jan 15 10:00:07 du-01 ptp4l[812]: [MONO.ms] message` (linuxptp print.c puts the
   * monotonic time in brackets when it logs to syslog).
   */
  format?: 'verbose' | 'syslog';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The wall clock of the syslog format's first line: 2026-01-15T10:00:00Z. */
const SYSLOG_START_MS = 1_768_471_200_000;

function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${hh}:${mm}:${ss}`;
}

/** Parses `TYPE@SECONDS[:key=value,…];…` (the fronthaul fault grammar, log types only). */
export function parseLinuxptpLogFaultSpec(spec: string): LinuxptpLogFaultSpec[] {
  const out: LinuxptpLogFaultSpec[] = [];
  for (const raw of spec.split(';')) {
    const fragment = raw.trim();
    if (fragment === '') continue;
    const m = /^([a-z_]+)@(\d+(?:\.\d*)?)s?(?::(.*))?$/.exec(fragment);
    if (!m) throw new FaultSpecError('expected TYPE@SECONDS[:key=value,…]', fragment);
    if (!(LINUXPTP_LOG_FAULT_TYPES as readonly string[]).includes(m[1]!))
      throw new FaultSpecError(
        `unknown linuxptp log fault type "${m[1]}" (known: ${LINUXPTP_LOG_FAULT_TYPES.join(', ')})`,
        fragment,
      );
    const f: LinuxptpLogFaultSpec = { type: m[1] as LinuxptpLogFaultType, at: Number(m[2]) };
    if (m[3]) {
      f.params = {};
      for (const kv of m[3].split(',')) {
        const p = /^([a-z_]+)=([\w.+-]+)$/.exec(kv.trim());
        if (!p) throw new FaultSpecError(`expected key=value (got '${kv}')`, fragment);
        const n = Number(p[2]);
        f.params[p[1]!] = Number.isFinite(n) ? n : p[2]!;
      }
    }
    out.push(f);
  }
  return out;
}

/** Where the faults may go: after start-up, with room for the path-delay windows and the recovery. */
export const LINUXPTP_LOG_FAULT_WINDOW = { minS: 40, tailS: 40 } as const;

const IFACE = 'eth0';
const LOCAL = '0cc47a.fffe.3d21b0';
const MASTER = 'b49691.fffe.3b6a34';
const OTHER_MASTER = 'a0369f.fffe.f93e34';
const FAULT_RESET_S = 16;
/** ms from the log's first line to the servo's first sample (Hard.txt: 8 s). */
const FIRST_SAMPLE_MS = 7971;

interface Line {
  ms: number;
  /** Sort key within one millisecond: the order the program printed them. */
  order: number;
  text: string;
  label?: { f: LinuxptpLogFaultSpec; params: Record<string, number | string>; also?: string[] };
}

const param = (f: LinuxptpLogFaultSpec, key: string, dflt: number): number => {
  const v = f.params?.[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${f.type}: ${key} must be a number`);
  return v;
};

const pad = (v: number, width: number): string => String(v).padStart(width);
const signed = (v: number, width: number): string => `${v >= 0 ? '+' : ''}${v}`.padStart(width);

export function synthLinuxptpLog(
  config: LinuxptpLogConfig,
  faults: readonly LinuxptpLogFaultSpec[],
  seed: number,
): LinuxptpLogSynthResult {
  const rng = new Prng(seed);
  const dur = config.durationS;
  if (!(dur >= 60 && dur <= 86_400)) throw new RangeError(`duration ${dur} s: 60–86400 s`);
  for (const f of faults)
    if (!(f.at >= LINUXPTP_LOG_FAULT_WINDOW.minS && f.at <= dur - LINUXPTP_LOG_FAULT_WINDOW.tailS))
      throw new RangeError(
        `${f.type}@${f.at}: faults go between ${LINUXPTP_LOG_FAULT_WINDOW.minS} s and ${dur - LINUXPTP_LOG_FAULT_WINDOW.tailS} s (the log is ${dur} s)`,
      );
  const sorted = [...faults].sort((a, b) => a.at - b.at);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.at - sorted[i - 1]!.at < 60)
      throw new RangeError(`${sorted[i]!.type}@${sorted[i]!.at}: faults need 60 s between them`);

  const lines: Line[] = [];
  let order = 0;
  const t0Ms = 1000 * (2000 + rng.int(600_000)) + rng.int(1000);
  const pids: Record<string, number> = { ptp4l: 800 + rng.int(200), phc2sys: 1000 + rng.int(200) };
  const syslog = config.format === 'syslog';
  const prefix = (ms: number, program: string): string =>
    syslog
      ? `${syslogStamp(SYSLOG_START_MS + ms - t0Ms)} du-01 ${program}[${pids[program]}]: [${(ms / 1000).toFixed(3)}]`
      : `${program}[${(ms / 1000).toFixed(3)}]:`;
  const say = (ms: number, program: string, text: string, label?: Line['label']): void => {
    lines.push({
      ms,
      order: order++,
      text: `${prefix(ms, program)} ${text}`,
      ...(label ? { label } : {}),
    });
  };
  const port = (ms: number, from: string, to: string, on: string, label?: Line['label']): void =>
    say(ms, 'ptp4l', `port 1 (${IFACE}): ${from} to ${to} on ${on}`, label);

  // start-up (ptp4l -m as it prints it: Hard.txt lines 1–10)
  say(t0Ms, 'ptp4l', 'selected /dev/ptp0 as PTP clock');
  port(t0Ms + 15, 'INITIALIZING', 'LISTENING', 'INIT_COMPLETE');
  say(t0Ms + 15, 'ptp4l', 'port 0 (/var/run/ptp4l): INITIALIZING to LISTENING on INIT_COMPLETE');
  say(t0Ms + 15, 'ptp4l', 'port 0 (/var/run/ptp4lro): INITIALIZING to LISTENING on INIT_COMPLETE');
  say(t0Ms + 1971, 'ptp4l', `port 1 (${IFACE}): new foreign master ${MASTER}-1`);
  say(t0Ms + 5971, 'ptp4l', `selected best master clock ${MASTER}`);
  port(t0Ms + 5971, 'LISTENING', 'UNCALIBRATED', 'RS_SLAVE');

  // the servo: one sample per second from start-up on; what each second prints is decided below
  const first = t0Ms + FIRST_SAMPLE_MS;
  const samples = Math.floor(dur);
  let delayLevel = 1975 + rng.int(6000);
  let freq = -3000 + rng.int(12000);
  const phcOffsetMs = 311 + rng.int(400);
  /** Seconds (sample numbers) where ptp4l prints no servo line (port FAULTY, or master itself). */
  const silent = new Set<number>();
  /** Per sample: offset override, state override, label. */
  const offsetAt = new Map<number, number>();
  const stateAt = new Map<number, number>();
  const sampleLabel = new Map<number, Line['label']>();
  const delayShiftFrom: { at: number; shift: number }[] = [];
  const sampleMs = (k: number): number => first + k * 1000 + (k % 7 === 6 ? 1 : 0);

  // start-up acquisition: s0, s0, s1 (ptp4l steps the clock once), then s2 (Soft.txt lines 7–24)
  stateAt.set(0, 0).set(1, 0).set(2, 1);
  offsetAt
    .set(0, 900 + rng.int(400))
    .set(1, 950 + rng.int(400))
    .set(2, 1000 + rng.int(400));
  port(sampleMs(3), 'UNCALIBRATED', 'SLAVE', 'MASTER_CLOCK_SELECTED');

  /** The best master in use: a grandmaster change moves to the other one, recoveries select it again. */
  let gm = MASTER;
  for (const f of sorted) {
    const k = Math.round((f.at * 1000 - FIRST_SAMPLE_MS) / 1000); // the sample nearest f.at s from the first line
    const ms = sampleMs(k);
    const lbl = (params: Record<string, number | string> = {}, also?: string[]): Line['label'] => ({
      f,
      params,
      ...(also ? { also } : {}),
    });
    switch (f.type) {
      case 'ptp_time_error': {
        const size = param(f, 'offset_ns', 2500);
        const count = Math.max(1, Math.round(param(f, 'count', 5)));
        for (let i = 0; i < count; i++) offsetAt.set(k + i, (i % 2 ? -1 : 1) * (size + rng.int(200)));
        sampleLabel.set(k, lbl({ offset_ns: size, count }));
        break;
      }
      case 'ptp_servo_unlocked': {
        const n = Math.max(1, Math.round(param(f, 'samples', 5)));
        port(ms - 1, 'SLAVE', 'UNCALIBRATED', 'SYNCHRONIZATION_FAULT');
        for (let i = 0; i < n; i++) {
          stateAt.set(k + i, 0);
          offsetAt.set(k + i, (3000 + 2000 * i + rng.int(500)) * (rng.float() < 0.5 ? -1 : 1));
        }
        stateAt.set(k + n, 1);
        offsetAt.set(k + n, 8000 + rng.int(4000));
        port(sampleMs(k + n + 1) + 1, 'UNCALIBRATED', 'SLAVE', 'MASTER_CLOCK_SELECTED');
        sampleLabel.set(k, lbl({ samples: n }));
        break;
      }
      case 'ptp_port_fault': {
        const kind = String(f.params?.kind ?? 'tx_timeout');
        if (kind === 'clock_jump') {
          say(
            ms + phcOffsetMs + 2,
            'phc2sys',
            'clockcheck: clock jumped forward or running faster than expected!',
            lbl({ kind }),
          );
          break;
        }
        if (kind !== 'tx_timeout') throw new RangeError(`ptp_port_fault: kind must be tx_timeout or clock_jump`);
        const t = ms + 500;
        say(t, 'ptp4l', 'timed out while polling for tx timestamp', lbl({ kind }));
        say(
          t,
          'ptp4l',
          'increasing tx_timestamp_timeout may correct this issue, but it is likely caused by a driver bug',
        );
        say(t, 'ptp4l', `port 1 (${IFACE}): send delay request failed`);
        port(t, 'SLAVE', 'FAULTY', 'FAULT_DETECTED (FT_UNSPECIFIED)');
        for (let i = 1; i <= FAULT_RESET_S + 2; i++) silent.add(k + i);
        const back = t + FAULT_RESET_S * 1000;
        port(back, 'FAULTY', 'LISTENING', 'INIT_COMPLETE');
        say(back + 1200, 'ptp4l', `selected best master clock ${gm}`);
        port(back + 1200, 'LISTENING', 'UNCALIBRATED', 'RS_SLAVE');
        port(sampleMs(k + FAULT_RESET_S + 3) + 1, 'UNCALIBRATED', 'SLAVE', 'MASTER_CLOCK_SELECTED');
        break;
      }
      case 'ptp_path_delay_jump': {
        const shift = param(f, 'shift_ns', 400);
        delayShiftFrom.push({ at: k, shift });
        sampleLabel.set(k, lbl({ shift_ns: shift }));
        break;
      }
      case 'ptp_gm_change': {
        const to = gm === MASTER ? OTHER_MASTER : MASTER;
        say(ms - 3000, 'ptp4l', `port 1 (${IFACE}): new foreign master ${to}-1`);
        say(ms + 400, 'ptp4l', `selected best master clock ${to}`, lbl({ from: gm, to }));
        gm = to;
        port(ms + 400, 'SLAVE', 'UNCALIBRATED', 'RS_SLAVE');
        port(sampleMs(k + 2) + 1, 'UNCALIBRATED', 'SLAVE', 'MASTER_CLOCK_SELECTED');
        break;
      }
      case 'ptp_announce_timeout': {
        const outage = Math.max(5, Math.round(param(f, 'outage_s', 20)));
        // slaveOnly (G.8275.1 T-TSC): the port cannot be master, it goes back to LISTENING
        const slaveOnly = param(f, 'slave_only', 0) === 1;
        const to = slaveOnly ? 'LISTENING' : 'MASTER';
        const t = ms + 600;
        const params = { outage_s: outage, ...(slaveOnly ? { slave_only: 1 } : {}) };
        port(t, 'SLAVE', to, 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES', lbl(params, ['ptp_gm_change']));
        say(t, 'ptp4l', `selected local clock ${LOCAL} as best master`);
        if (!slaveOnly) say(t, 'ptp4l', `port 1 (${IFACE}): assuming the grand master role`);
        for (let i = 1; i <= outage + 2; i++) silent.add(k + i);
        const back = t + outage * 1000;
        say(back, 'ptp4l', `port 1 (${IFACE}): new foreign master ${gm}-1`);
        say(back + 1000, 'ptp4l', `selected best master clock ${gm}`);
        port(back + 1000, to, 'UNCALIBRATED', 'RS_SLAVE');
        port(sampleMs(k + outage + 3) + 1, 'UNCALIBRATED', 'SLAVE', 'MASTER_CLOCK_SELECTED');
        break;
      }
    }
  }

  let servoSamples = 0;
  let offset = 0;
  for (let k = 0; k < samples; k++) {
    const ms = sampleMs(k);
    for (const d of delayShiftFrom) if (d.at === k) delayLevel += d.shift;
    // a locked PI servo: offsets within ±60 ns, its frequency following them
    offset = Math.round(0.3 * offset + 18 * rng.gauss());
    offset = Math.max(-60, Math.min(60, offset));
    const o = offsetAt.get(k) ?? offset;
    const state = stateAt.get(k) ?? 2;
    freq += Math.round(0.7 * (o > 0 ? 1 : -1) * Math.min(30, Math.abs(o) / 10));
    const delay = delayLevel + rng.int(5);
    if (!silent.has(k)) {
      say(
        ms,
        'ptp4l',
        `master offset ${pad(o, 10)} s${state} freq ${signed(freq, 7)} path delay ${pad(delay, 9)}`,
        sampleLabel.get(k),
      );
      servoSamples++;
    }
    const po = Math.max(-40, Math.min(40, Math.round(12 * rng.gauss())));
    say(
      ms + phcOffsetMs,
      'phc2sys',
      `CLOCK_REALTIME phc offset ${pad(po, 9)} s2 freq ${signed(-1200 + rng.int(30), 7)} delay ${pad(1020 + rng.int(60), 6)}`,
    );
  }

  lines.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const labels: LinuxptpLogLabel[] = [];
  const out: string[] = [];
  for (const l of lines) {
    out.push(l.text);
    if (!l.label) continue;
    const f = l.label.f;
    const opts = Object.entries(f.params ?? {}).map(([key, v]) => `${key}=${v}`);
    labels.push({
      type: f.type,
      source: 'timing',
      packet_index: out.length,
      timestamp: isoNs(Math.floor(l.ms / 1000), (l.ms % 1000) * 1_000_000),
      packet_count: 1,
      flow: { plane: 's', ptp_port: portOf(f.type, l.text) },
      params: l.label.params,
      spec: `${f.type}@${f.at}${opts.length ? `:${opts.join(',')}` : ''}`,
      ...(l.label.also ? { also: l.label.also } : {}),
    });
  }
  return { text: `${out.join('\n')}\n`, labels, stats: { lines: out.length, servoSamples } };
}

/** The finding's `flow.ptp_port` for a label (the detectors name servos and ports this way). */
function portOf(type: LinuxptpLogFaultType, text: string): string {
  if (type === 'ptp_announce_timeout') return `ptp4l port 1 (${IFACE})`;
  if (text.startsWith('phc2sys')) return 'phc2sys';
  if (type === 'ptp_port_fault' || type === 'ptp_gm_change') return 'ptp4l';
  return 'ptp4l master';
}
