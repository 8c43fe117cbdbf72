import type { UeEvent } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import type { ResolvedThresholds } from '../../framework/detector.js';
import { numberOption } from '../../framework/thresholds.js';
import { isoNs } from '../../time-format.js';

interface Attempt {
  tsNs: bigint;
  line: number;
}

interface Storm {
  ue: string;
  first: Attempt;
  last: Attempt;
  attempts: number;
  failures: number;
}

interface UeAttaches {
  /** The last `max_attaches + 1` attempts. */
  recent: Attempt[];
  storm: Storm | undefined;
}

/** UEs tracked at once; beyond this the least recently seen UE's state is closed and dropped. */
const MAX_UES = 100_000;

/**
 * `attach_storm` (anomalies.md: > 10 attaches per UE): a UE that attaches again and again (a reject loop,
 * a flapping radio link, a misbehaving device). An attach attempt is a request line, or an attach outcome
 * with no request before it since the last outcome (logs that write only results). A UE with more than
 * `max_attaches` attempts inside `window_s` is in a storm until its count falls back; one finding per storm
 * with its span, attempts and failures.
 */
export class UeAttachStormDetection {
  private readonly ues = new Map<string, UeAttaches & { awaitingOutcome: boolean }>();
  private readonly anomalies: AnomalyDraft[] = [];
  private readonly max: number;
  private readonly windowNs: bigint;

  constructor(t: ResolvedThresholds) {
    this.max = numberOption(t, 'attach_storm', 'max_attaches', 10);
    this.windowNs = BigInt(Math.round(numberOption(t, 'attach_storm', 'window_s', 3600) * 1000)) * 1_000_000n;
  }

  onEvent(e: UeEvent): void {
    if (e.procedure !== 'attach') return;
    const u = this.ue(e.ue);
    let attempt = false;
    if (e.outcome === 'request') {
      attempt = true;
      u.awaitingOutcome = true;
    } else {
      attempt = !u.awaitingOutcome; // an outcome with no request before it is an attempt of its own
      u.awaitingOutcome = false;
    }
    const failed = e.outcome === 'failed' || e.outcome === 'timeout';
    if (u.storm && failed) u.storm.failures++;
    if (!attempt) return;
    const a = { tsNs: e.tsNs, line: e.line };
    u.recent.push(a);
    if (u.recent.length > this.max + 1) u.recent.shift();
    const inStorm = u.recent.length > this.max && e.tsNs - u.recent[0]!.tsNs <= this.windowNs;
    if (inStorm) {
      if (u.storm) {
        u.storm.last = a;
        u.storm.attempts++;
      } else u.storm = { ue: e.ue, first: u.recent[0]!, last: a, attempts: this.max + 1, failures: failed ? 1 : 0 };
    } else this.close(u);
  }

  finish(): AnomalyDraft[] {
    for (const u of this.ues.values()) this.close(u);
    return this.anomalies.sort((a, b) => a.packet_index - b.packet_index);
  }

  private ue(id: string): UeAttaches & { awaitingOutcome: boolean } {
    let u = this.ues.get(id);
    if (u) return u;
    if (this.ues.size >= MAX_UES) {
      const [k, old] = this.ues.entries().next().value as [string, UeAttaches];
      this.close(old);
      this.ues.delete(k);
    }
    u = { recent: [], storm: undefined, awaitingOutcome: false };
    this.ues.set(id, u);
    return u;
  }

  private close(u: UeAttaches): void {
    const s = u.storm;
    if (!s) return;
    u.storm = undefined;
    const spanS = Number((s.last.tsNs - s.first.tsNs) / 1_000_000n) / 1000;
    this.anomalies.push({
      type: 'attach_storm',
      source: 'ue',
      severity: 'major',
      confidence: 0.95,
      timestamp: isoNs(s.first.tsNs),
      ...(s.last.tsNs > s.first.tsNs ? { end_timestamp: isoNs(s.last.tsNs) } : {}),
      packet_index: s.first.line,
      packet_count: s.attempts,
      description: `${s.ue} attached ${s.attempts} times (more than ${this.max} within ${Number(this.windowNs / 1_000_000_000n)} s)`,
      evidence: {
        ue: s.ue,
        attach_attempts: s.attempts,
        failures_during_storm: s.failures,
        span_s: spanS,
        max_attaches_threshold: this.max,
        window_s: Number(this.windowNs / 1_000_000_000n),
        end_packet_index: s.last.line,
      },
    });
  }
}
