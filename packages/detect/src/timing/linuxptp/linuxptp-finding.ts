import type { AnomalyDraft, Severity } from '@l1t/contracts';
import { isoNs } from '../../time-format.js';

/**
 * A finding from a linuxptp log. Its times are the program's CLOCK_MONOTONIC (seconds since the host
 * booted: linuxptp print.c), written as if they were seconds since 1970 — the log holds no date — and
 * every finding says so in `evidence.time_basis`. `packet_index` is the 1-based line number.
 */
export const LOG_TIME_BASIS =
  'linuxptp CLOCK_MONOTONIC (seconds since the host booted, shown from 1970-01-01), not UTC';

export function monoIso(monoS: number): string {
  return isoNs(BigInt(Math.round(monoS * 1e6)) * 1000n);
}

export interface LogSpan {
  firstLine: number;
  firstS: number;
  lastLine: number;
  lastS: number;
  lines: number;
}

export function logFinding(
  type: string,
  severity: Severity,
  confidence: number,
  span: LogSpan,
  source: string,
  description: string,
  evidence: Record<string, unknown>,
): AnomalyDraft {
  return {
    type,
    source: 'timing',
    severity,
    confidence,
    timestamp: monoIso(span.firstS),
    ...(span.lastS > span.firstS ? { end_timestamp: monoIso(span.lastS) } : {}),
    packet_index: span.firstLine,
    packet_count: Math.max(1, span.lines),
    flow: { plane: 's', ptp_port: source },
    description,
    evidence: {
      ...evidence,
      first_line: span.firstLine,
      last_line: span.lastLine,
      time_basis: LOG_TIME_BASIS,
    },
  };
}

/** A servo sample as the log detectors see it. */
export interface ServoSample {
  line: number;
  monoS: number;
  offsetNs: number;
  servoState: number;
  freqPpb: number;
  delayNs?: number;
  /**
   * A `summary_interval` line (rms/max of the last samples) stands in for the samples: `offsetNs` is the
   * largest |offset| (sign unknown) and the state is not printed (taken as locked).
   */
  summaryRmsNs?: number;
}

/** s2 locked, s3 locked stable (linuxptp servo.h). */
export const isLocked = (state: number): boolean => state >= 2;
