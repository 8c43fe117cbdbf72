import type { NotAnalysed } from './unanalysed-tally.js';

export interface CaptureFacts {
  records: number;
  /** Frames the detectors judged (eCPRI, PTP). */
  analysed: number;
  notAnalysed: NotAnalysed[];
  clockAdvanced: boolean;
  firstTimestampNs: bigint | undefined;
}

/** Said when a capture's clock never moves (`dos-attacker/*`: every frame at 1970-01-01). */
export const CLOCK_WARNING = 'capture timestamps do not advance: timing not judged';

/**
 * What the file summary says beyond counts, so that "0 anomalies" is never read as "all is well" when nothing
 * was judged (issue 12): which frames were recognised but not analysed, and warnings for a capture with
 * nothing to analyse or whose timestamps never advance (the detection does not judge timing then).
 * Summary keys are added, never renamed (interfaces.md).
 */
export function captureVerdict(f: CaptureFacts): { details: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  if (f.records > 0 && f.analysed === 0) {
    for (const n of f.notAnalysed.slice(0, 3)) warnings.push(n.note);
    if (f.notAnalysed.length > 3) warnings.push(`${f.notAnalysed.length - 3} more kinds of frames: not analysed`);
  }
  const still = f.records > 1 ? !f.clockAdvanced : f.records === 1 && f.firstTimestampNs === 0n;
  if (f.analysed > 0 && still) warnings.push(CLOCK_WARNING);
  return {
    details: {
      analysed_packets: f.analysed,
      not_analysed: f.notAnalysed,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    warnings,
  };
}
