import type { DecodedPacket, OranMessage, PacketKind } from '@l1t/capture';
import type { CaptureClock, DetectContext, Detector } from './detector.js';
import { FronthaulStage, type FronthaulStageOptions } from './fronthaul-stage.js';
import { PtpExchangeTracker, type PtpExchange } from '../timing/ptp-exchanges.js';
import { PtpSenderSlots } from '../timing/ptp-ports.js';

/** What the capture clock has done so far: filled by the driver from every packet's timestamp. */
export class CaptureClockState implements CaptureClock {
  firstTsNs = 0n;
  lastTsNs = 0n;
  lastIndex = 0;
  advanced = false;
  packets = 0;
  private seen = false;

  get frozen(): boolean {
    return !this.advanced && (this.packets > 1 || (this.seen && this.firstTsNs === 0n));
  }

  observe(ts: bigint, index: number): void {
    this.lastIndex = index;
    this.packets++;
    if (!this.seen) {
      this.seen = true;
      this.firstTsNs = ts;
    } else if (!this.advanced && ts !== this.firstTsNs) this.advanced = true;
    this.lastTsNs = ts;
  }
}

/**
 * The detectors of one `onPacket` list and their `onPacket` methods, taken once: called with the detector as
 * `this`, as the stage's message and slot hooks are, so that the per-packet dispatch does not load the method
 * from ~12 PTP detector classes at one site (a megamorphic property load on every PTP message; issue 14).
 */
class PacketHooks {
  readonly fns: NonNullable<Detector['onPacket']>[];
  constructor(readonly entries: DriverEntry[]) {
    this.fns = entries.map((e) => e.d!.onPacket!);
  }
}

/** The detectors of one plane's `onMessage` list (Detector.messagePlanes) and their methods, taken once. */
class MessageHooks {
  readonly fns: NonNullable<Detector['onMessage']>[];
  constructor(readonly entries: DriverEntry[]) {
    this.fns = entries.map((e) => e.d!.onMessage!);
  }
}

/** A detector as the driver runs it: switched off (`d` undefined) once it threw. */
export interface DriverEntry {
  readonly name: string;
  d: Detector | undefined;
}

/** The context a driver runs its detectors in, less the clock and flow look-up the driver adds. */
export type DriverContext = Omit<DetectContext, 'clock' | 'flowOf' | 'ptpExchange'>;

/**
 * Runs detectors over packets: the one place that dispatches `onPacket` (every packet), the
 * {@link FronthaulStage}'s `onMessage` / `onSlot` / `onFlowEvicted`, and `finish`, to the detectors that have
 * each hook — used by the file's detection (`fronthaul-detection.ts`) and by tests that drive detector
 * instances directly. A detector that throws is switched off and reported to `onFail` (rethrown without one).
 */
export class DetectorDriver {
  readonly clock = new CaptureClockState();
  readonly ctx: DetectContext;
  readonly stage: FronthaulStage;
  /** Detectors with `onPacket`, per packet kind (see {@link Detector.packetKinds}). */
  private readonly ecpriPacket: PacketHooks;
  private readonly ptpPacket: PacketHooks;
  /** Of {@link ptpPacket}, those for a valid PTP message, per messageType (Detector.ptpMessageTypes). */
  private readonly ptpByType: PacketHooks[];
  private readonly otherPacket: PacketHooks;
  /** Detectors with `onMessage`, for C-plane and U-plane messages (see {@link Detector.messagePlanes}). */
  private readonly cMessage: MessageHooks;
  private readonly uMessage: MessageHooks;
  private readonly slot: DriverEntry[];
  /**
   * The `onMessage` (in {@link MessageHooks}) / `onSlot` method of each entry, taken once: called with the
   * detector as `this`, so that the per-message dispatch does not load the method from ~12 detector classes
   * at one site (a megamorphic property load: ~17 vs ~8 ns per call in a 12-class microbenchmark).
   */
  private readonly slotFns: NonNullable<Detector['onSlot']>[];
  private readonly evict: DriverEntry[];
  private readonly all: DriverEntry[];
  /** One pairing of PTP exchanges for every detector (ptp_time_error, the time-error metrics). */
  private readonly exchanges = new PtpExchangeTracker();
  /** The sending port of each valid PTP message, looked up once for every detector's port table (ptp-ports.ts). */
  private readonly senders = new PtpSenderSlots();
  private exchange: PtpExchange | undefined;

  constructor(
    detectors: readonly (Detector | DriverEntry)[],
    base: DriverContext,
    private readonly onFail?: (entry: DriverEntry, err: unknown) => void,
    stageOptions: FronthaulStageOptions = {},
  ) {
    // A plain object literal (fast properties): a null-prototype object is a dictionary in V8, and a load from
    // it in a detector's hot path allocated (~10 bytes per call: ptp_stale_timestamp reading ctx.clock on
    // every Sync and Follow_Up, found by ptp-alloc-probe.ts; issue 14).
    this.ctx = {
      ...base,
      clock: this.clock,
      flowOf: (p: DecodedPacket, m: OranMessage) => this.stage.flows.resolve(p, m),
      ptpExchange: () => this.exchange,
    } as DetectContext;
    this.all = detectors.map((d, i) => ('name' in d && 'd' in d ? d : { name: `detector ${i}`, d: d as Detector }));
    const wants = (kind: PacketKind) => (e: DriverEntry) =>
      e.d?.onPacket !== undefined && (e.d.packetKinds === undefined || e.d.packetKinds.includes(kind));
    this.ecpriPacket = new PacketHooks(this.all.filter(wants('ecpri')));
    this.ptpPacket = new PacketHooks(this.all.filter(wants('ptp')));
    this.ptpByType = Array.from(
      { length: 16 },
      (_, type) =>
        new PacketHooks(
          this.ptpPacket.entries.filter(
            (e) => e.d?.ptpMessageTypes === undefined || e.d.ptpMessageTypes.includes(type),
          ),
        ),
    );
    this.otherPacket = new PacketHooks(this.all.filter(wants('other')));
    const message = (plane: 'c' | 'u') =>
      new MessageHooks(
        this.all.filter(
          (e) => e.d?.onMessage !== undefined && (e.d.messagePlanes === undefined || e.d.messagePlanes.includes(plane)),
        ),
      );
    this.cMessage = message('c');
    this.uMessage = message('u');
    this.slot = this.all.filter((e) => e.d?.onSlot !== undefined);
    this.slotFns = this.slot.map((e) => e.d!.onSlot!);
    this.evict = this.all.filter((e) => e.d?.onFlowEvicted !== undefined);
    const ctx = this.ctx;
    this.stage = new FronthaulStage(
      {
        message: (msg) => {
          const hooks = msg.m.plane === 'c' ? this.cMessage : this.uMessage;
          const list = hooks.entries;
          const fns = hooks.fns;
          for (let i = 0; i < list.length; i++) {
            const e = list[i]!;
            const d = e.d;
            if (d === undefined) continue;
            try {
              fns[i]!.call(d, msg, ctx);
            } catch (err) {
              this.fail(e, err);
            }
          }
        },
        slot: (s) => {
          const list = this.slot;
          const fns = this.slotFns;
          for (let i = 0; i < list.length; i++) {
            const e = list[i]!;
            const d = e.d;
            if (d === undefined) continue;
            try {
              fns[i]!.call(d, s, ctx);
            } catch (err) {
              this.fail(e, err);
            }
          }
        },
        evicted: (flow) => {
          for (const e of this.evict) {
            if (e.d === undefined) continue;
            try {
              e.d.onFlowEvicted!(flow, ctx);
            } catch (err) {
              this.fail(e, err);
            }
          }
        },
      },
      stageOptions,
    );
  }

  /** One decoded packet, in file order: to the detectors of its kind, then (O-RAN messages) the stage. */
  onPacket(p: DecodedPacket): void {
    this.clock.observe(p.tsNs, p.index);
    const kind = p.kind;
    if (kind === 'ptp' && p.ptp.valid) this.senders.assign(p.ptp);
    this.exchange = kind === 'ptp' ? this.exchanges.onPacket(p) : undefined;
    const hooks =
      kind === 'ecpri'
        ? this.ecpriPacket
        : kind === 'ptp'
          ? p.ptp.valid
            ? this.ptpByType[p.ptp.messageType & 15]!
            : this.ptpPacket
          : this.otherPacket;
    const list = hooks.entries;
    const fns = hooks.fns;
    const ctx = this.ctx;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      const d = e.d;
      if (d === undefined) continue;
      try {
        fns[i]!.call(d, p, ctx);
      } catch (err) {
        this.fail(e, err);
      }
    }
    this.stage.onPacket(p);
  }

  /** End of file: open slots close, then every detector finishes. */
  finish(): void {
    this.stage.finish();
    for (const e of this.all) {
      if (e.d === undefined) continue;
      try {
        e.d.finish(this.ctx);
      } catch (err) {
        this.fail(e, err);
      }
    }
  }

  private fail(e: DriverEntry, err: unknown): void {
    if (this.onFail === undefined) throw err;
    e.d = undefined;
    this.onFail(e, err);
  }
}

/** Runs detector instances over packets with a hand-made context (tests and tools). */
export function driveDetectors(
  detectors: readonly Detector[],
  packets: Iterable<DecodedPacket>,
  ctx: DriverContext,
  stageOptions?: FronthaulStageOptions,
): DetectorDriver {
  const driver = new DetectorDriver(detectors, ctx, undefined, stageOptions);
  for (const p of packets) driver.onPacket(p);
  driver.finish();
  return driver;
}
