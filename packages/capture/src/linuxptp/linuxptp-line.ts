/**
 * One line of a linuxptp log (`ptp4l`, `phc2sys`, `ts2phc`), as the programs print it (linuxptp print.c):
 *
 *   verbose (-m):  `ptp4l[4021.623]: [tag ]message`             — seconds of CLOCK_MONOTONIC, ms
 *   syslog:        `… ptp4l[1234]: [4021.623] [tag ]message`     — pid in brackets, the same time after it
 *
 * Messages understood (formats from linuxptp clock.c, port.c, phc2sys.c, ts2phc*.c, clockcheck.c, sk.c):
 *
 *   ptp4l    `master offset %10d s%d freq %+7.0f path delay %9d`             servo sample (ns, ppb)
 *            `[DEVICE ]rms %4.0f max %4.0f freq %+6.0f +/- %3.0f [delay %5.0f +/- %3.0f]`  summary (summary_interval)
 *            `port N (iface): FROM to TO on EVENT [(FAULT_TYPE)]`            port state transition
 *            `port N (iface): new foreign master ID-port`                    foreign master heard
 *            `selected best master clock ID` / `selected local clock ID as best master`
 *   phc2sys  `DEVICE SOURCE offset %9d s%d freq %+7.0f [delay %6d]`           servo sample
 *   ts2phc   `DEVICE offset %10d s%d freq %+7.0f[ holdover]`                  servo sample
 *   faults   `timed out while polling for tx timestamp`, `clockcheck: clock jumped forward|backward …`,
 *            `… send … failed`, `… FAULT_DETECTED …` transitions
 *
 * Older ptp4l releases print a port as `port 1:` without the interface; both are read. Servo states
 * (servo.h): s0 unlocked, s1 jump (the clock is stepped), s2 locked, s3 locked stable. Pure: no I/O.
 */
export type LinuxptpProgram = 'ptp4l' | 'phc2sys' | 'ts2phc';

export interface LinuxptpPrefix {
  program: LinuxptpProgram;
  /** The program's CLOCK_MONOTONIC time (s, ms resolution): seconds since the host booted, not UTC. */
  monoS: number;
  /** `message_tag` of the configuration, when set. */
  tag?: string;
}

export type LinuxptpEvent =
  | {
      kind: 'servo';
      /** What the offset is of: `master` (ptp4l), `CLOCK_REALTIME phc` (phc2sys), `/dev/ptp0` (ts2phc)… */
      clock: string;
      offsetNs: number;
      servoState: number;
      freqPpb: number;
      /** ptp4l: mean path delay; phc2sys: the delay of the clock reading. */
      delayNs?: number;
      holdover?: boolean;
    }
  | {
      /** `summary_interval` statistics instead of every sample; phc2sys names its clock first. */
      kind: 'servo_summary';
      clock?: string;
      rmsNs: number;
      maxNs: number;
      freqPpb: number;
      delayNs?: number;
    }
  | { kind: 'port_state'; port: number; iface?: string; from: string; to: string; event: string; faultType?: string }
  | { kind: 'foreign_master'; port: number; iface?: string; master: string }
  | { kind: 'best_master'; clock: string; local: boolean }
  | {
      kind: 'fault';
      fault: 'tx_timestamp_timeout' | 'clock_jump' | 'send_failed' | 'receive_failed' | 'holdover_lost';
      text: string;
    }
  | { kind: 'other'; text: string };

export type LinuxptpLine = LinuxptpPrefix & { event: LinuxptpEvent };

const VERBOSE = /^(ptp4l|phc2sys|ts2phc)\[(\d+\.\d+)\]: (?:(\[[^\]]*\]) )?(.*)$/;
const SYSLOG = /(?:^|\s)(ptp4l|phc2sys|ts2phc)(?:\[\d+\])?: \[(\d+\.\d+)(?::[^\]]*)?\] (?:(\[[^\]]*\]) )?(.*)$/;

const INT = '([+-]?\\d+)';
const NUM = '([+-]?\\d+(?:\\.\\d+)?)';
const MASTER_OFFSET = new RegExp(`^master offset\\s+${INT} s(\\d) freq\\s+${NUM}(?: path delay\\s+${INT})?`);
const SUMMARY = new RegExp(
  `^(?:(\\S+) )?rms\\s+${NUM} max\\s+${NUM} freq\\s+${NUM} \\+/-\\s+${NUM}(?: delay\\s+${NUM} \\+/-\\s+${NUM})?`,
);
const CLOCK_OFFSET = new RegExp(`^(.+?) offset\\s+${INT} s(\\d) freq\\s+${NUM}(?: delay\\s+${INT})?( holdover)?\\s*$`);
const PORT = '^port (\\d+)(?: \\(([^)]*)\\))?: ';
const TRANSITION = new RegExp(`${PORT}([A-Z_]+) to ([A-Z_]+) on ([A-Z_]+)(?: \\(([A-Z_]+)\\))?`);
const FOREIGN = new RegExp(`${PORT}new foreign master (\\S+)`);
const BEST = /^selected best master clock (\S+)/;
const LOCAL_BEST = /^selected local clock (\S+) as best master/;

/** The parsed line, or undefined when it is not a linuxptp line at all (other text in the file). */
export function parseLinuxptpLine(line: string): LinuxptpLine | undefined {
  const m = VERBOSE.exec(line) ?? SYSLOG.exec(line);
  if (!m) return undefined;
  const prefix: LinuxptpPrefix = { program: m[1] as LinuxptpProgram, monoS: Number(m[2]) };
  if (m[3]) prefix.tag = m[3].slice(1, -1);
  return { ...prefix, event: parseMessage(prefix.program, m[4]!.trimEnd()) };
}

function parseMessage(program: LinuxptpProgram, msg: string): LinuxptpEvent {
  let m: RegExpExecArray | null;
  if ((m = MASTER_OFFSET.exec(msg))) {
    const e: LinuxptpEvent = {
      kind: 'servo',
      clock: 'master',
      offsetNs: Number(m[1]),
      servoState: Number(m[2]),
      freqPpb: Number(m[3]),
    };
    if (m[4] !== undefined) e.delayNs = Number(m[4]);
    return e;
  }
  if ((m = SUMMARY.exec(msg))) {
    const e: LinuxptpEvent = { kind: 'servo_summary', rmsNs: Number(m[2]), maxNs: Number(m[3]), freqPpb: Number(m[4]) };
    if (m[1] !== undefined) e.clock = m[1];
    if (m[6] !== undefined) e.delayNs = Number(m[6]);
    return e;
  }
  if ((m = TRANSITION.exec(msg))) {
    const e: LinuxptpEvent = { kind: 'port_state', port: Number(m[1]), from: m[3]!, to: m[4]!, event: m[5]! };
    if (m[2] !== undefined) e.iface = m[2];
    if (m[6] !== undefined) e.faultType = m[6];
    return e;
  }
  if ((m = FOREIGN.exec(msg))) {
    const e: LinuxptpEvent = { kind: 'foreign_master', port: Number(m[1]), master: m[3]! };
    if (m[2] !== undefined) e.iface = m[2];
    return e;
  }
  if ((m = BEST.exec(msg))) return { kind: 'best_master', clock: m[1]!, local: false };
  if ((m = LOCAL_BEST.exec(msg))) return { kind: 'best_master', clock: m[1]!, local: true };
  const fault = faultOf(msg);
  if (fault) return { kind: 'fault', fault, text: msg };
  // phc2sys / ts2phc servo lines name their clock first; ptp4l prints none of this form.
  if (program !== 'ptp4l' && (m = CLOCK_OFFSET.exec(msg))) {
    const e: LinuxptpEvent = {
      kind: 'servo',
      clock: m[1]!,
      offsetNs: Number(m[2]),
      servoState: Number(m[3]),
      freqPpb: Number(m[4]),
    };
    if (m[5] !== undefined) e.delayNs = Number(m[5]);
    if (m[6]) e.holdover = true;
    return e;
  }
  return { kind: 'other', text: msg };
}

function faultOf(msg: string): (LinuxptpEvent & { kind: 'fault' })['fault'] | undefined {
  if (msg.includes('timed out while polling for tx timestamp')) return 'tx_timestamp_timeout';
  if (/clock jumped (forward|backward)/.test(msg)) return 'clock_jump';
  if (/lost holdover lock/.test(msg)) return 'holdover_lost';
  if (/\bsend \S+(?: \S+)? failed/.test(msg)) return 'send_failed';
  if (/\b(recv|receive) message failed/.test(msg)) return 'receive_failed';
  return undefined;
}

/** True when `head` looks like a linuxptp log: at least half its non-empty lines (and at least one) are. */
export function looksLikeLinuxptpLog(head: readonly string[]): boolean {
  let lines = 0;
  let ours = 0;
  for (const l of head) {
    if (l.trim() === '') continue;
    lines++;
    if (VERBOSE.test(l) || SYSLOG.test(l)) ours++;
  }
  return ours > 0 && ours * 2 >= lines;
}
