import { ptpIdentityHex, PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { AnnounceData, decidingStep, isQualifiedAt, isTelecomDomain, readAnnounce, type BmcaStep } from './ptp-bmca.js';
import { clockClassMeaning } from './ptp-clock-degraded.js';
import { isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';

/**
 * `ptp_competing_masters` (docs/anomalies-added.md): two master ports of one domain announce different
 * grandmasters and are both qualified foreign masters at once (IEEE 1588-2019 §9.3.2.4.5: 2 Announces
 * within the sliding FOREIGN_MASTER_TIME_WINDOW of 4 announce intervals). Every slave then decides between
 * them by the §9.3.4 data set comparison; the finding shows both data sets side by side, the winner and
 * the step that decides. Unlike `ptp_gm_change` this needs no change: a spoofed grandmaster present from
 * the capture's first Announces is a finding too.
 *
 * One finding per pair of ports and episode: it starts at the Announce that makes the second port
 * qualified and ends at the last Announce of the pair while both were; a lapse shorter than
 * {@link RESUME_NS} (a rival that falters) continues the episode and is counted. A change of either port's
 * data set (another grandmaster, class or priority) ends the episode, and a new one starts with the new
 * data. Severity: `minor` when the loser announces clockClass ≥ 248 (free-running or slave-only, it cannot
 * be selected while the winner is heard), `major` otherwise.
 */

/** A lapse of the pair's qualification shorter than this continues the episode (the aggregator's burst gap). */
const RESUME_NS = 1_000_000_000n;
/** Bound on open episodes (a hostile capture with many rivals cannot grow it without limit). */
const MAX_EPISODES = 256;

class Snapshot {
  gmHi = 0;
  gmLo = 0;
  priority1 = 0;
  clockClass = 0;
  clockAccuracy = 0;
  variance = 0;
  priority2 = 0;
  stepsRemoved = 0;
  take(d: AnnounceData): void {
    this.gmHi = d.gmHi;
    this.gmLo = d.gmLo;
    this.priority1 = d.priority1;
    this.clockClass = d.clockClass;
    this.clockAccuracy = d.clockAccuracy;
    this.variance = d.variance;
    this.priority2 = d.priority2;
    this.stepsRemoved = d.stepsRemoved;
  }
  same(d: AnnounceData): boolean {
    return (
      this.gmHi === d.gmHi &&
      this.gmLo === d.gmLo &&
      this.priority1 === d.priority1 &&
      this.clockClass === d.clockClass &&
      this.clockAccuracy === d.clockAccuracy &&
      this.variance === d.variance &&
      this.priority2 === d.priority2 &&
      this.stepsRemoved === d.stepsRemoved
    );
  }
}

interface Episode {
  a: PtpPort<AnnounceData>;
  b: PtpPort<AnnounceData>;
  readonly da: Snapshot;
  readonly db: Snapshot;
  startIndex: number;
  startTsNs: bigint;
  endIndex: number;
  endTsNs: bigint;
  announces: number;
  lapses: number;
  open: boolean;
}

class CompetingMastersDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.ANNOUNCE];
  private readonly ports = new PtpPortTable(() => new AnnounceData());
  private readonly episodes: Episode[] = [];

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p) || p.ptp.messageType !== PtpMessageType.ANNOUNCE || p.ptp.clockClass < 0) return;
    const x = this.ports.sender(p);
    if (x === undefined) return;
    readAnnounce(p, x.state);
    const now = p.tsNs;
    // now split by readAnnounce: every port is tested at it without splitting again
    const sec = x.state.lastSec;
    const sub = x.state.lastNs;
    // Episodes of this domain: extend, lapse, resume or end.
    for (let i = this.episodes.length - 1; i >= 0; i--) {
      const e = this.episodes[i]!;
      if (e.a.domain !== x.domain) continue;
      const member = e.a === x || e.b === x;
      if (member && !(e.a === x ? e.da : e.db).same(x.state)) {
        this.end(ctx, i);
        continue;
      }
      const both = isQualifiedAt(e.a.state, now, sec, sub) && isQualifiedAt(e.b.state, now, sec, sub);
      if (both) {
        if (!e.open) {
          e.open = true;
          e.lapses++;
        }
        if (member) {
          e.endIndex = p.index;
          e.endTsNs = now;
          e.announces++;
        }
      } else if (e.open) {
        e.open = false;
      } else if (now - e.endTsNs > RESUME_NS) {
        this.end(ctx, i);
      }
    }
    // New pairs: the sender against every other qualified port of the domain with another grandmaster.
    if (!isQualifiedAt(x.state, now, sec, sub)) return;
    for (const y of this.ports.ports) {
      if (y === x || y.domain !== x.domain || !isQualifiedAt(y.state, now, sec, sub)) continue;
      if (y.state.gmHi === x.state.gmHi && y.state.gmLo === x.state.gmLo) continue;
      if (this.find(x, y) !== undefined || this.episodes.length >= MAX_EPISODES) continue;
      const e: Episode = {
        a: y,
        b: x,
        da: new Snapshot(),
        db: new Snapshot(),
        startIndex: p.index,
        startTsNs: now,
        endIndex: p.index,
        endTsNs: now,
        announces: 1,
        lapses: 0,
        open: true,
      };
      e.da.take(y.state);
      e.db.take(x.state);
      this.episodes.push(e);
    }
  }

  private find(x: PtpPort<AnnounceData>, y: PtpPort<AnnounceData>): Episode | undefined {
    for (const e of this.episodes) if ((e.a === x && e.b === y) || (e.a === y && e.b === x)) return e;
    return undefined;
  }

  private end(ctx: DetectContext, i: number): void {
    const e = this.episodes[i]!;
    this.episodes.splice(i, 1);
    const { step, sign } = decidingStep(asData(e.da), e.a, asData(e.db), e.b);
    const [win, winPort, lose, losePort] = sign <= 0 ? [e.da, e.a, e.db, e.b] : [e.db, e.b, e.da, e.a];
    const winner = ptpIdentityHex(win.gmHi, win.gmLo);
    const loser = ptpIdentityHex(lose.gmHi, lose.gmLo);
    const telecom = isTelecomDomain(e.a.domain);
    const evidence: Record<string, unknown> = {
      domain: e.a.domain,
      selected_grandmaster: winner,
      selected_port: winPort.id,
      other_grandmaster: loser,
      other_port: losePort.id,
      deciding_step: step,
      deciding_clause: STEP_CLAUSE[step],
      selected: dataset(win, winPort),
      other: dataset(lose, losePort),
      bmca: telecom ? 'G.8275.1 §6.3 alternate BMCA (priority1 not compared)' : 'IEEE 1588-2019 §9.3.4',
      announces: e.announces,
      lapses: e.lapses,
      end_packet_index: e.endIndex,
    };
    ctx.report({
      type: 'ptp_competing_masters',
      source: 'timing',
      severity: lose.clockClass >= 248 ? 'minor' : 'major',
      confidence: step === 'grandmasterIdentity' || step === 'priority2' ? 1 : 0.9,
      tsNs: e.startTsNs,
      packetIndex: e.startIndex,
      packetCount: e.announces,
      endTsNs: e.endTsNs,
      endPacketIndex: e.endIndex,
      flow: losePort === e.b ? e.b.flowKey : e.a.flowKey,
      aggregationKey: `ptp_competing_masters|${e.a.domain}|${e.a.id}|${e.b.id}|${winner}|${loser}`,
      description:
        `Two grandmasters qualified in PTP domain ${e.a.domain}: ${winner} via ${winPort.id} (clockClass ${win.clockClass}) ` +
        `and ${loser} via ${losePort.id} (clockClass ${lose.clockClass}); the BMCA selects ${winner} on ${step}` +
        (step === 'grandmasterIdentity' ? ' (equal quality: only the identity tie-break decides)' : ''),
      evidence,
    });
  }

  finish(ctx: DetectContext): void {
    while (this.episodes.length > 0) this.end(ctx, this.episodes.length - 1);
  }
}

const STEP_CLAUSE: Readonly<Record<BmcaStep, string>> = {
  priority1: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmaster priority1',
  clockClass: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmaster clockClass',
  clockAccuracy: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmaster clockAccuracy',
  offsetScaledLogVariance: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmaster offsetScaledLogVariance',
  priority2: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmaster priority2',
  grandmasterIdentity: 'IEEE 1588-2019 §9.3.4 Figure 34: grandmasterIdentity (tie-break)',
  stepsRemoved: 'IEEE 1588-2019 §9.3.4 Figure 35: stepsRemoved',
  portIdentity: 'IEEE 1588-2019 §9.3.4 Figure 35: sender port identity',
};

function asData(s: Snapshot): AnnounceData {
  const d = new AnnounceData();
  d.gmHi = s.gmHi;
  d.gmLo = s.gmLo;
  d.priority1 = s.priority1;
  d.clockClass = s.clockClass;
  d.clockAccuracy = s.clockAccuracy;
  d.variance = s.variance;
  d.priority2 = s.priority2;
  d.stepsRemoved = s.stepsRemoved;
  return d;
}

function dataset(s: Snapshot, port: PtpPort<AnnounceData>): Record<string, unknown> {
  return {
    grandmaster: ptpIdentityHex(s.gmHi, s.gmLo),
    port: port.id,
    priority1: s.priority1,
    clock_class: s.clockClass,
    clock_class_meaning: clockClassMeaning(s.clockClass),
    clock_accuracy: s.clockAccuracy,
    offset_scaled_log_variance: s.variance,
    priority2: s.priority2,
    steps_removed: s.stepsRemoved,
  };
}

export const ptpCompetingMastersDetector: DetectorDefinition = {
  name: 'ptp-competing-masters',
  types: ['ptp_competing_masters'],
  thresholds: {},
  reference: 'IEEE 1588-2019 §9.3.2.4.5 (foreign master qualification), §9.3.4 (data set comparison); G.8275.1 §6.3',
  create: () => new CompetingMastersDetector(),
};
