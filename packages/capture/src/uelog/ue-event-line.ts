/**
 * One line of a UE event text log (attach / detach / RRC events with a timestamp and a UE identity), the
 * kind of log core-network and test-equipment tools write and the system we replace ran rules over. No
 * standard format exists, so the accepted shape is documented (README §UE event logs) and kept loose:
 *
 *   <timestamp> <free text naming the procedure and its outcome> <UE identity>   (any order after the time)
 *
 * - timestamp at the start, optionally in brackets: `YYYY-MM-DD[T ]HH:MM:SS[.fraction up to ns][Z|±HH:MM]`
 *   (no zone: UTC);
 * - UE identity: `IMSI=001010123456789` (also `IMSI:` / `IMSI ` / `imsi-…`), `SUPI=imsi-…`, `UE=17` /
 *   `UE_ID=17` / `ue-id 17`, `TMSI=0x…`, `RNTI=…` — the first found in that order;
 * - procedure: attach (`attach`, 5G `registration`), detach (`detach`, `deregistration`), RRC connection
 *   setup (`RRC` with `setup`/`connection request`/`reject`), RRC release, RRC re-establishment;
 * - outcome: failed (`reject`, `fail`, `failed`, `failure`, `denied`, `authentication failure`), timeout
 *   (`timeout`, `timed out`, `expiry`/`expired`), abnormal (`abnormal`), network-forced (`network-forced`,
 *   `network initiated`, `nw-initiated`, `by network`, `forced`), success (`accept`, `complete`,
 *   `success`, `established`), request (`request`, `attempt`, `start`), otherwise normal;
 * - optional `cause=…` (up to the end of the line or the next `key=`).
 */

export type UeProcedure = 'attach' | 'detach' | 'rrc_setup' | 'rrc_release' | 'rrc_reestablishment';
export type UeOutcome = 'request' | 'success' | 'failed' | 'timeout' | 'abnormal' | 'network' | 'normal';

export interface UeEvent {
  tsNs: bigint;
  /** 1-based line number in the file. */
  line: number;
  /** UE identity as written, prefixed by its kind: `imsi:001010123456789`, `ue:17`, `tmsi:0x1a2b`, `rnti:4660`. */
  ue: string;
  procedure: UeProcedure;
  outcome: UeOutcome;
  cause?: string | undefined;
}

/** Why a line is not an event (counted per reason in the file summary). */
export type UeLineRejection = 'no_timestamp' | 'no_ue_identity' | 'no_procedure';

export type UeLineResult =
  { kind: 'event'; event: UeEvent } | { kind: 'blank' } | { kind: 'unrecognised'; reason: UeLineRejection };

const TS = /^\s*\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?\]?/i;
const IDS: readonly [RegExp, string][] = [
  [/\bimsi[\s=:-]+(\d{6,15})\b/i, 'imsi'],
  [/\bsupi[\s=:]+(?:imsi-)?(\d{6,15})\b/i, 'imsi'],
  [/\bue(?:[_-]?id)?[\s=:#]+([A-Za-z0-9_.-]*\d[A-Za-z0-9_.-]*)/i, 'ue'],
  [/\b(?:5g-)?s?-?tmsi[\s=:]+(0x[0-9a-f]+|\d+)\b/i, 'tmsi'],
  [/\b(?:c-)?rnti[\s=:]+(0x[0-9a-f]+|\d+)\b/i, 'rnti'],
];
const CAUSE = /\bcause[\s=:]+(.+?)(?=\s+\w+=|\s*$)/i;

/** Parses one line (without its line break). */
export function parseUeEventLine(text: string, line: number): UeLineResult {
  if (text.trim() === '' || /^\s*(#|\/\/)/.test(text)) return { kind: 'blank' };
  const m = TS.exec(text);
  if (!m) return { kind: 'unrecognised', reason: 'no_timestamp' };
  const tsNs = timestampNs(m);
  if (tsNs === undefined) return { kind: 'unrecognised', reason: 'no_timestamp' };
  const rest = text.slice(m[0].length);
  const lower = rest.toLowerCase();
  const procedure = procedureOf(lower);
  if (!procedure) return { kind: 'unrecognised', reason: 'no_procedure' };
  const ue = identityOf(rest);
  if (!ue) return { kind: 'unrecognised', reason: 'no_ue_identity' };
  const cause = CAUSE.exec(rest)?.[1]?.trim();
  return {
    kind: 'event',
    event: { tsNs, line, ue, procedure, outcome: outcomeOf(lower), ...(cause ? { cause } : {}) },
  };
}

function timestampNs(m: RegExpExecArray): bigint | undefined {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return undefined;
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const frac = m[7] ? BigInt(m[7].padEnd(9, '0')) : 0n;
  let offsetMin = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const digits = z.replace(':', '');
    offsetMin = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits[0] === '-' ? -1 : 1);
  }
  return BigInt(ms) * 1_000_000n + frac - BigInt(offsetMin) * 60_000_000_000n;
}

function identityOf(rest: string): string | undefined {
  for (const [re, kind] of IDS) {
    const v = re.exec(rest)?.[1];
    if (v) return `${kind}:${v}`;
  }
  return undefined;
}

function procedureOf(s: string): UeProcedure | undefined {
  if (/\bde-?registration\b|\bdetach/.test(s)) return 'detach';
  if (/\battach|\bregistration\b|\bauthenticat/.test(s)) return 'attach'; // authentication is a step of attach (TS 24.301 §5.4.2)
  if (/\brrc\b/.test(s)) {
    if (/re-?establishment/.test(s)) return 'rrc_reestablishment';
    if (/\brelease/.test(s)) return 'rrc_release';
    if (/setup|connection request|\breject|\bconnect/.test(s)) return 'rrc_setup';
  }
  return undefined;
}

function outcomeOf(s: string): UeOutcome {
  if (/\babnormal/.test(s)) return 'abnormal';
  if (/network[\s-]?(forced|initiated)|\bnw[\s-]?initiated|\bby (the )?network|\bforced/.test(s)) return 'network';
  if (/time[\s-]?out|timed out|expir/.test(s)) return 'timeout';
  if (/reject|\bfail|denied/.test(s)) return 'failed';
  if (/accept|complete|success|established|\bok\b/.test(s)) return 'success';
  if (/request|attempt|\bstart/.test(s)) return 'request';
  return 'normal';
}
