import type { DiagDecodeResult } from './decoders/registry.js';
import { hexCode } from './diag-packet.js';
import type { DiagRecord } from './diag-log-reader.js';

/** Counts of one (log code, version) pair. */
export interface DiagPairCount {
  logCode: number;
  /** Version the decoder table keys by; for a code without decoder, the body's first byte (-1: empty body). */
  version: number;
  name: string | undefined;
  decoded: number;
  unknown: number;
  malformed: number;
}

/**
 * Accounts for every record of a DIAG log so that nothing is silent: decoded + unknown + malformed log
 * packets + other DIAG commands + bad frames = records. Per (log code, version) pair it keeps how many were
 * decoded, not decoded (no decoder for the pair) and malformed, and it renders the one-line status the
 * user sees ("recognised, not decoded (N records of log code 0x… version …)").
 */
export class DiagTally {
  records = 0;
  decoded = 0;
  unknown = 0;
  malformed = 0;
  /** Frames carrying a DIAG command other than a log packet (responses, messages, events). */
  commands = 0;
  badFrames = 0;
  readonly pairs = new Map<number, DiagPairCount>();
  readonly commandCodes = new Map<number, number>();
  readonly badReasons = new Map<string, number>();
  /** Records per subscription of the 0x98 multi-SIM wrapper (absent when no frame was wrapped). */
  readonly subscriptions = new Map<number, number>();
  /** First malformed reasons (at most 5), for the summary. */
  readonly malformedExamples: string[] = [];
  /**
   * The pair last counted for each log code (u16), so that most records find theirs without a map look-up:
   * a code mostly keeps one version through a log.
   */
  private readonly lastPair: (DiagPairCount | undefined)[] = new Array<DiagPairCount | undefined>(65536);

  /** Counts one record; `result` is the decoder outcome of a `log` record. */
  add(rec: DiagRecord, result: DiagDecodeResult | undefined): void {
    this.records++;
    if (rec.kind !== 'bad_frame' && rec.packet.subscription >= 0) bump(this.subscriptions, rec.packet.subscription);
    switch (rec.kind) {
      case 'bad_frame':
        this.badFrames++;
        bump(this.badReasons, rec.badReason ?? 'bad');
        return;
      case 'command':
        this.commands++;
        bump(this.commandCodes, rec.packet.command);
        return;
      case 'malformed':
        this.malformed++;
        this.example(`offset ${rec.byteOffset}: ${rec.packet.reason ?? 'malformed log packet'}`);
        return;
      case 'log': {
        const p = rec.packet;
        const version =
          result?.name !== undefined ? result.version : p.bodyEnd > p.bodyStart ? p.bodyBytes[p.bodyStart]! : -1;
        let c = this.lastPair[p.logCode];
        if (c === undefined || c.version !== version) {
          const key = p.logCode * 2 ** 32 + version + 1; // exact for any u16 code and version -1 … 2^32 − 2
          c = this.pairs.get(key);
          if (!c) {
            c = { logCode: p.logCode, version, name: result?.name, decoded: 0, unknown: 0, malformed: 0 };
            this.pairs.set(key, c);
          }
          if (p.logCode >= 0 && p.logCode < 65536) this.lastPair[p.logCode] = c;
        }
        // A switch, not c[status]++ / this[status]++: keyed property access by a string was a hot spot.
        switch (result?.status ?? 'unknown') {
          case 'decoded':
            c.decoded++;
            this.decoded++;
            break;
          case 'unknown':
            c.unknown++;
            this.unknown++;
            break;
          case 'malformed':
            c.malformed++;
            this.malformed++;
            this.example(`offset ${rec.byteOffset}: ${result?.reason ?? ''}`);
        }
      }
    }
  }

  private example(reason: string): void {
    if (this.malformedExamples.length < 5) this.malformedExamples.push(reason);
  }

  /** Pairs sorted by count, largest first. */
  sortedPairs(): DiagPairCount[] {
    const total = (c: DiagPairCount): number => c.decoded + c.unknown + c.malformed;
    return [...this.pairs.values()].sort(
      (a, b) => total(b) - total(a) || a.logCode - b.logCode || a.version - b.version,
    );
  }

  /** The one-line decode status shown with the file. Lists at most `maxPairs` pairs of each kind. */
  statusLine(maxPairs = 6): string {
    const pairs = this.sortedPairs();
    const list = (sel: (c: DiagPairCount) => number, fmt: (c: DiagPairCount, n: number) => string): string => {
      const hit = pairs.filter((c) => sel(c) > 0);
      const shown = hit.slice(0, maxPairs).map((c) => fmt(c, sel(c)));
      if (hit.length > maxPairs) shown.push(`${hit.length - maxPairs} more pairs`);
      return shown.join(', ');
    };
    const notDecoded = list(
      (c) => c.unknown,
      (c, n) => `${n} of log code ${hexCode(c.logCode)} version ${c.version < 0 ? '?' : c.version}`,
    );
    const extras: string[] = [];
    if (this.commands > 0) extras.push(`${this.commands} other DIAG command frames`);
    if (this.malformed > 0) extras.push(`${this.malformed} malformed log packets`);
    if (this.badFrames > 0) extras.push(`${this.badFrames} bad frames (CRC/framing)`);
    const tail = extras.length ? `; ${extras.join(', ')}` : '';
    if (this.records === 0) return 'no DIAG records';
    if (this.decoded === 0) {
      return `recognised, not decoded (${this.unknown} records${notDecoded ? `: ${notDecoded}` : ''})${tail}`;
    }
    const decoded = list(
      (c) => c.decoded,
      (c, n) => `${n} of ${hexCode(c.logCode)} version ${c.version}`,
    );
    return `decoded ${this.decoded} of ${this.records} records (${decoded})${this.unknown > 0 ? `; recognised, not decoded: ${this.unknown} records (${notDecoded})` : ''}${tail}`;
  }

  /**
   * What was recognised but not decoded, one line each as the CLI and web app list a summary's
   * `not_analysed` notes: per (log code, version) pair, then other commands and bad frames.
   */
  notDecodedNotes(maxPairs = 8): { protocol: string; by: string; frames: number; note: string }[] {
    const notes: { protocol: string; by: string; frames: number; note: string }[] = [];
    const unknown = this.sortedPairs().filter((c) => c.unknown > 0);
    for (const c of unknown.slice(0, maxPairs)) {
      const by = `log code ${hexCode(c.logCode)} version ${c.version < 0 ? '?' : c.version}`;
      notes.push({
        protocol: `DIAG ${hexCode(c.logCode)}`,
        by,
        frames: c.unknown,
        note: `${c.unknown} records of ${by} not decoded`,
      });
    }
    const rest = unknown.slice(maxPairs);
    if (rest.length > 0) {
      const n = rest.reduce((a, c) => a + c.unknown, 0);
      notes.push({
        protocol: 'DIAG',
        by: `${rest.length} more (log code, version) pairs`,
        frames: n,
        note: `${n} records of ${rest.length} more (log code, version) pairs not decoded`,
      });
    }
    if (this.commands > 0) {
      notes.push({
        protocol: 'DIAG',
        by: 'command code',
        frames: this.commands,
        note: `${this.commands} frames of other DIAG commands (not log packets) not decoded`,
      });
    }
    if (this.malformed > 0)
      notes.push({
        protocol: 'DIAG',
        by: 'lengths',
        frames: this.malformed,
        note: `${this.malformed} malformed log packets skipped`,
      });
    if (this.badFrames > 0)
      notes.push({
        protocol: 'DIAG',
        by: 'frame check',
        frames: this.badFrames,
        note: `${this.badFrames} bad frames (CRC failure or broken framing) skipped`,
      });
    return notes;
  }

  /** JSON-able summary details (log codes as hex strings). */
  toJson(): Record<string, unknown> {
    const notes = this.notDecodedNotes();
    return {
      decode_status: this.statusLine(),
      ...(notes.length ? { not_analysed: notes } : {}),
      decoded_records: this.decoded,
      not_decoded_records: this.unknown,
      malformed_log_packets: this.malformed,
      other_command_frames: this.commands,
      bad_frames: this.badFrames,
      ...(this.badReasons.size ? { bad_frame_reasons: Object.fromEntries(this.badReasons) } : {}),
      ...(this.subscriptions.size ? { multi_sim_subscriptions: Object.fromEntries(this.subscriptions) } : {}),
      ...(this.commandCodes.size
        ? { other_commands: Object.fromEntries([...this.commandCodes].map(([k, v]) => [hexByte(k), v])) }
        : {}),
      log_codes: this.sortedPairs().map((c) => ({
        log_code: hexCode(c.logCode),
        version: c.version,
        ...(c.name ? { name: c.name } : {}),
        decoded: c.decoded,
        not_decoded: c.unknown,
        malformed: c.malformed,
      })),
      ...(this.malformedExamples.length ? { malformed_examples: this.malformedExamples } : {}),
    };
  }
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function hexByte(v: number): string {
  return '0x' + (v < 0 ? '??' : v.toString(16).toUpperCase().padStart(2, '0'));
}
