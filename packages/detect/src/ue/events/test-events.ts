import type { UeEvent, UeOutcome, UeProcedure } from '@l1t/capture';

/** Test helper: an event `s` seconds after T0 on line `line`. */
export const T0 = 1_765_011_600_000_000_000n;
export function event(
  s: number,
  line: number,
  ue: string,
  procedure: UeProcedure,
  outcome: UeOutcome,
  cause?: string,
): UeEvent {
  return {
    tsNs: T0 + BigInt(Math.round(s * 1000)) * 1_000_000n,
    line,
    ue,
    procedure,
    outcome,
    ...(cause ? { cause } : {}),
  };
}
