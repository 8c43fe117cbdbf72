import type { LinuxptpLine } from '@l1t/capture';
import type { AnomalyDraft, MetricDraft } from '@l1t/contracts';
import { timeErrorMetricRows } from '../metrics/time-error-metric-rows.js';
import { timeErrorReport, type TimeErrorReport } from '../metrics/time-error-report.js';
import { isLocked, type ServoSample } from './linuxptp-finding.js';
import type { LinuxptpThresholds } from './linuxptp-thresholds.js';
import { PathDelayJumps } from './path-delay-jumps.js';
import { PortEvents, type PortEventLine } from './port-events.js';
import { ServoLock } from './servo-lock.js';
import { ServoOffsetExcursions } from './servo-offset-excursions.js';

/** A servo's time going back by more than this starts a new run (ms jitter between lines is not one). */
const RESTART_S = 1;

/** Bound on the servos tracked (a log names a handful: ptp4l's master, phc2sys's clocks, ts2phc's PHCs). */
const MAX_SERVOS = 64;

class Servo {
  readonly excursions: ServoOffsetExcursions;
  readonly lock: ServoLock;
  readonly delay: PathDelayJumps;
  /** Locked samples, for the time-error metrics of the offset series. */
  readonly tS: number[] = [];
  readonly offsetNs: number[] = [];
  readonly delayNs: number[] = [];
  samples = 0;
  lastS = -Infinity;
  constructor(
    readonly source: string,
    t: LinuxptpThresholds,
  ) {
    this.excursions = new ServoOffsetExcursions(source, t.maxAbsOffsetNs);
    this.lock = new ServoLock(source, t.maxAcquisitionS);
    this.delay = new PathDelayJumps(source, t.minJumpNs, t.noiseFactor);
  }
}

export interface LinuxptpDetectionResult {
  anomalies: AnomalyDraft[];
  metrics: MetricDraft[];
  reports: TimeErrorReport[];
  transitions: PortEvents['transitions'];
}

/**
 * The detectors of a linuxptp log, fed one parsed line at a time: per servo (ptp4l's `master`, each
 * phc2sys/ts2phc clock) the servo-offset excursions (`ptp_time_error`), lock (`ptp_servo_unlocked`) and
 * path-delay levels (`ptp_path_delay_jump`); per log the port and best-master events (`ptp_port_fault`,
 * `ptp_announce_timeout`, `ptp_gm_change`). At the end, the ITU-T time-error metrics of each servo's
 * locked offsets (basis `servo_offset`).
 */
export class LinuxptpDetection {
  private readonly servos = new Map<string, Servo>();
  /** Servos of earlier runs (the program's time went back). */
  private readonly retired: Servo[] = [];
  private readonly ports = new PortEvents();
  private last: PortEventLine | undefined;

  constructor(private readonly t: LinuxptpThresholds) {}

  onLine(l: LinuxptpLine, line: number): void {
    const at: PortEventLine = { line, monoS: l.monoS, program: l.program };
    this.last = at;
    const e = l.event;
    switch (e.kind) {
      case 'servo': {
        const servo = this.servo(`${l.program} ${e.clock}`, l.monoS, line);
        if (!servo) return;
        servo.lastS = l.monoS;
        const s: ServoSample = {
          line,
          monoS: l.monoS,
          offsetNs: e.offsetNs,
          servoState: e.servoState,
          freqPpb: e.freqPpb,
        };
        if (e.delayNs !== undefined) s.delayNs = e.delayNs;
        servo.samples++;
        servo.excursions.onSample(s);
        servo.lock.onSample(s);
        // phc2sys's "delay" is the time to read the clocks, not a network path: no path-delay levels from it.
        if (l.program === 'ptp4l') servo.delay.onSample(s);
        if (isLocked(e.servoState)) {
          servo.tS.push(l.monoS);
          servo.offsetNs.push(e.offsetNs);
          servo.delayNs.push(e.delayNs ?? NaN);
        }
        return;
      }
      case 'servo_summary': {
        // With summary_interval set, ptp4l/phc2sys print these instead of every sample: only the budget is judged.
        const servo = this.servo(`${l.program} ${e.clock ?? 'master'}`, l.monoS, line);
        if (!servo) return;
        const s: ServoSample = {
          line,
          monoS: l.monoS,
          offsetNs: e.maxNs,
          servoState: 2,
          freqPpb: e.freqPpb,
          summaryRmsNs: e.rmsNs,
        };
        servo.excursions.onSample(s);
        return;
      }
      case 'port_state':
        this.ports.onTransition(at, e.port, e.iface, e.from, e.to, e.event, e.faultType);
        return;
      case 'fault':
        this.ports.onFault(at, e.fault, e.text);
        return;
      case 'best_master':
        this.ports.onBestMaster(at, e.clock, e.local);
        return;
      default:
        return;
    }
  }

  finish(): LinuxptpDetectionResult {
    const anomalies: AnomalyDraft[] = [];
    const metrics: MetricDraft[] = [];
    const reports: TimeErrorReport[] = [];
    for (const s of [...this.retired, ...this.servos.values()]) {
      anomalies.push(...s.excursions.finish(), ...s.lock.finish(), ...s.delay.finish());
      const r = timeErrorReport({
        port: s.source,
        domain: null,
        basis: 'servo_offset',
        tS: s.tS,
        teNs: s.offsetNs,
        pathDelayNs: s.delayNs,
      });
      if (r) {
        reports.push(r);
        metrics.push(...timeErrorMetricRows(r));
      }
    }
    anomalies.push(...this.ports.finish(this.last));
    anomalies.sort((a, b) => a.packet_index - b.packet_index);
    return { anomalies, metrics, reports, transitions: this.ports.transitions };
  }

  /**
   * The servo of `source`; a new one when its time goes back by more than {@link RESTART_S}: the program was
   * restarted (its monotonic clock begins again at boot) or two logs were joined — a run of its own, named
   * after its first line, with its own series and detector state.
   */
  private servo(source: string, monoS: number, line: number): Servo | undefined {
    let s = this.servos.get(source);
    if (s && monoS < s.lastS - RESTART_S) {
      this.retired.push(s);
      s = new Servo(`${source} (run from line ${line})`, this.t);
      this.servos.set(source, s);
    }
    if (!s && this.servos.size + this.retired.length < MAX_SERVOS) {
      s = new Servo(source, this.t);
      this.servos.set(source, s);
    }
    return s;
  }
}
