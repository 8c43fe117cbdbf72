import type { AnomalyDraft } from '@l1t/contracts';
import { logFinding } from './linuxptp-finding.js';

/**
 * Port and clock events of a ptp4l/phc2sys/ts2phc log:
 *
 *  - `ptp_port_fault`: a port going to FAULTY (port.c "… to FAULTY on FAULT_DETECTED (FT_…)", until it
 *    leaves FAULTY), and fault lines: "timed out while polling for tx timestamp" (sk.c: the driver did not
 *    hand back a transmit timestamp — the usual cause of FAULT_DETECTED), "clockcheck: clock jumped
 *    forward|backward …" (clockcheck.c), "send … failed", "lost holdover lock" (ts2phc). The same fault
 *    repeated within {@link FAULT_BURST_S} is one finding with its count.
 *  - `ptp_announce_timeout`: a SLAVE port leaving SLAVE on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES (IEEE 1588-2019
 *    §9.2.6.12: no Announce from its master for announceReceiptTimeout intervals).
 *  - `ptp_gm_change`: "selected best master clock X" after another remote best master was selected, or
 *    "selected local clock X as best master" after a remote one (the clock lost its master and became
 *    grandmaster itself). The first selection of a log, and a local clock selected before any foreign
 *    master qualified (start-up), are not changes.
 */
const FAULT_BURST_S = 60;

export interface PortEventLine {
  line: number;
  monoS: number;
  program: string;
}

interface FaultBurst {
  key: string;
  source: string;
  fault: string;
  text: string;
  firstLine: number;
  firstS: number;
  lastLine: number;
  lastS: number;
  count: number;
}

interface FaultyPort {
  source: string;
  from: string;
  faultType: string | undefined;
  line: number;
  monoS: number;
}

export class PortEvents {
  readonly findings: AnomalyDraft[] = [];
  private readonly bursts = new Map<string, FaultBurst>();
  private readonly faulty = new Map<string, FaultyPort>();
  private bestMaster: { clock: string; local: boolean; line: number } | undefined;
  /** Port state transitions seen (for the file summary), in order. */
  readonly transitions: { line: number; port: string; from: string; to: string; event: string }[] = [];

  onTransition(
    at: PortEventLine,
    port: number,
    iface: string | undefined,
    from: string,
    to: string,
    event: string,
    faultType: string | undefined,
  ): void {
    const source = `${at.program} port ${port}${iface ? ` (${iface})` : ''}`;
    this.transitions.push({ line: at.line, port: source, from, to, event });
    const open = this.faulty.get(source);
    if (open && from === 'FAULTY') {
      this.faulty.delete(source);
      this.portFault(open, at);
    }
    if (to === 'FAULTY') this.faulty.set(source, { source, from, faultType, line: at.line, monoS: at.monoS });
    if (from === 'SLAVE' && event === 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES') {
      const span = { firstLine: at.line, firstS: at.monoS, lastLine: at.line, lastS: at.monoS, lines: 1 };
      this.findings.push(
        logFinding(
          'ptp_announce_timeout',
          'major',
          0.9,
          span,
          source,
          `${source}: no Announce from its master, SLAVE to ${to} on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES`,
          {
            from,
            to,
            event,
          },
        ),
      );
    }
  }

  onFault(at: PortEventLine, fault: string, text: string): void {
    const source = at.program;
    const key = `${source}|${fault}`;
    const b = this.bursts.get(key);
    if (b && at.monoS - b.lastS <= FAULT_BURST_S) {
      b.lastLine = at.line;
      b.lastS = at.monoS;
      b.count++;
      return;
    }
    if (b) this.faultBurst(b);
    this.bursts.set(key, {
      key,
      source,
      fault,
      text,
      firstLine: at.line,
      firstS: at.monoS,
      lastLine: at.line,
      lastS: at.monoS,
      count: 1,
    });
  }

  onBestMaster(at: PortEventLine, clock: string, local: boolean): void {
    const prev = this.bestMaster;
    this.bestMaster = { clock, local, line: at.line };
    if (!prev || prev.local || prev.clock === clock) return;
    const span = { firstLine: at.line, firstS: at.monoS, lastLine: at.line, lastS: at.monoS, lines: 1 };
    this.findings.push(
      logFinding(
        'ptp_gm_change',
        'major',
        0.9,
        span,
        at.program,
        local
          ? `${at.program}: best master ${prev.clock} lost, the local clock ${clock} selected itself as best master`
          : `${at.program}: best master changed from ${prev.clock} to ${clock}`,
        {
          from_grandmaster: prev.clock,
          to_grandmaster: clock,
          local_clock_selected: local,
          previous_selection_line: prev.line,
          view: 'linuxptp_log',
        },
      ),
    );
  }

  finish(end: PortEventLine | undefined): AnomalyDraft[] {
    for (const b of this.bursts.values()) this.faultBurst(b);
    this.bursts.clear();
    for (const f of this.faulty.values()) this.portFault(f, undefined, end);
    this.faulty.clear();
    return this.findings;
  }

  private faultBurst(b: FaultBurst): void {
    this.findings.push(
      logFinding(
        'ptp_port_fault',
        'major',
        0.9,
        { firstLine: b.firstLine, firstS: b.firstS, lastLine: b.lastLine, lastS: b.lastS, lines: b.count },
        b.source,
        `${b.source}: ${b.text}${b.count > 1 ? ` (${b.count}× in ${(b.lastS - b.firstS).toFixed(1)} s)` : ''}`,
        { fault: b.fault, message: b.text, occurrences: b.count },
      ),
    );
  }

  private portFault(f: FaultyPort, left: PortEventLine | undefined, logEnd?: PortEventLine): void {
    const end = left ?? logEnd;
    this.findings.push(
      logFinding(
        'ptp_port_fault',
        'major',
        0.95,
        {
          firstLine: f.line,
          firstS: f.monoS,
          lastLine: end?.line ?? f.line,
          lastS: end?.monoS ?? f.monoS,
          lines: (end?.line ?? f.line) - f.line + 1,
        },
        f.source,
        `${f.source}: ${f.from} to FAULTY${f.faultType ? ` (${f.faultType})` : ''}${left ? `, left FAULTY at line ${left.line} after ${(left.monoS - f.monoS).toFixed(1)} s` : ', still FAULTY when the log ends'}`,
        {
          fault: 'FAULT_DETECTED',
          from: f.from,
          ...(f.faultType ? { fault_type: f.faultType } : {}),
          ...(left ? { recovered_line: left.line } : {}),
        },
      ),
    );
  }
}
