import type { AnomalyDraft } from '@l1t/contracts';
import { isLocked, logFinding, type ServoSample } from './linuxptp-finding.js';

/**
 * `ptp_servo_unlocked` (linuxptp servo.h: s0 UNLOCKED, s1 JUMP — the clock is stepped, s2 LOCKED, s3
 * LOCKED_STABLE):
 *
 *  - lock lost: after the servo had locked, samples in s0/s1 until it locks again (or the log ends) — one
 *    finding per episode, `stepped` when an s1 (clock step) is in it;
 *  - never locked: no locked sample within `max_acquisition_s` of the servo's first sample (start-up
 *    acquisition is normal: ptp4l starts in s0 and steps once in s1).
 */
interface Episode {
  first: ServoSample;
  last: ServoSample;
  samples: number;
  steps: number;
  maxAbsOffset: number;
}

export class ServoLock {
  private everLocked = false;
  private first: ServoSample | undefined;
  private last: ServoSample | undefined;
  private unlockedSamples = 0;
  private open: Episode | undefined;
  private neverLockedReported = false;
  readonly findings: AnomalyDraft[] = [];

  constructor(
    private readonly source: string,
    private readonly maxAcquisitionS: number,
  ) {}

  onSample(s: ServoSample): void {
    this.first ??= s;
    this.last = s;
    if (isLocked(s.servoState)) {
      this.everLocked = true;
      this.close(s);
      return;
    }
    this.unlockedSamples++;
    if (!this.everLocked) {
      if (!this.neverLockedReported && s.monoS - this.first.monoS > this.maxAcquisitionS) {
        this.neverLockedReported = true;
        this.neverLocked(s, 'still unlocked');
      }
      return;
    }
    const e = this.open;
    if (!e)
      this.open = {
        first: s,
        last: s,
        samples: 1,
        steps: s.servoState === 1 ? 1 : 0,
        maxAbsOffset: Math.abs(s.offsetNs),
      };
    else {
      e.last = s;
      e.samples++;
      if (s.servoState === 1) e.steps++;
      e.maxAbsOffset = Math.max(e.maxAbsOffset, Math.abs(s.offsetNs));
    }
  }

  finish(): AnomalyDraft[] {
    this.close(undefined);
    if (
      !this.everLocked &&
      !this.neverLockedReported &&
      this.first &&
      this.last &&
      this.unlockedSamples > 0 &&
      this.last.monoS - this.first.monoS > this.maxAcquisitionS
    )
      this.neverLocked(this.last, 'never locked');
    return this.findings;
  }

  private neverLocked(at: ServoSample, how: string): void {
    const f = this.first!;
    this.findings.push(
      logFinding(
        'ptp_servo_unlocked',
        'major',
        0.9,
        { firstLine: f.line, firstS: f.monoS, lastLine: at.line, lastS: at.monoS, lines: at.line - f.line + 1 },
        this.source,
        `${this.source}: servo ${how} ${(at.monoS - f.monoS).toFixed(1)} s after its first sample (s${at.servoState}, offset ${at.offsetNs} ns)`,
        {
          episode: 'never_locked',
          unlocked_samples: this.unlockedSamples,
          max_acquisition_s: this.maxAcquisitionS,
          last_state: `s${at.servoState}`,
        },
      ),
    );
  }

  private close(relock: ServoSample | undefined): void {
    const e = this.open;
    if (!e) return;
    this.open = undefined;
    const end = relock ?? e.last;
    this.findings.push(
      logFinding(
        'ptp_servo_unlocked',
        'major',
        0.95,
        {
          firstLine: e.first.line,
          firstS: e.first.monoS,
          lastLine: end.line,
          lastS: end.monoS,
          lines: end.line - e.first.line + 1,
        },
        this.source,
        `${this.source}: servo lost lock for ${(end.monoS - e.first.monoS).toFixed(1)} s (${e.samples} samples in s0/s1${e.steps ? `, clock stepped ${e.steps}×` : ''})${relock ? `, locked again at line ${relock.line}` : ', not locked again before the log ends'}`,
        {
          episode: 'lock_lost',
          unlocked_samples: e.samples,
          stepped: e.steps > 0,
          steps: e.steps,
          max_abs_offset_ns: e.maxAbsOffset,
          ...(relock ? { relocked_line: relock.line } : {}),
        },
      ),
    );
  }
}
