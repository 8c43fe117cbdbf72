import type { CaptureWriter } from './capture-writer.js';
import type { FaultSpec } from './fault-spec.js';
import { FaultInjector } from './fault-injection.js';
import type { FlowTable } from './flow-table.js';
import type { FlowState } from './flow-table.js';
import { buildFlowTable } from './flow-table.js';
import { LabelBook } from './label-book.js';
import { FrameEmitter } from './frame-emitter.js';
import type { FronthaulConfig, FronthaulConfigInput } from './fronthaul-config.js';
import { prbSplit, resolveFronthaulConfig } from './fronthaul-config.js';
import { UDP_SHIFT, UPLANE_HEADER_LENGTH } from './fronthaul-frames.js';
import { prbBytes } from './iq.js';
import { IqTemplateBank } from './iq-templates.js';
import { SlotPackets } from './slot-packets.js';
import { OranPduWriter } from './oran-pdu.js';
import { createPcapWriter } from './pcap-writer.js';
import { createPcapngWriter } from './pcapng-writer.js';
import { Prng } from './prng.js';
import { numerology, subframeAt, symbolStartsNs } from './radio-time.js';
import type { FaultLabel } from './synth-events.js';
import { Ev, EvFlag, EvKind } from './synth-events.js';
import { ANNOUNCE_INTERVAL_NS, SYNC_INTERVAL_NS, TimedMessages } from './timed-messages.js';
import type { SecNs } from './timestamp.js';
import { addOffset, splitEpochNs } from './timestamp.js';

/** Pull-based generator of a fronthaul capture: file bytes in chunks, ground truth as it goes. */
export interface FronthaulSynth extends Iterable<Uint8Array> {
  readonly config: FronthaulConfig;
  readonly writer: CaptureWriter;
  /** Next chunk of the file (the first starts with the file header); undefined at the end. */
  next(): Uint8Array | undefined;
  /** Labels of the faults injected so far, in packet order (complete once `next()` returned undefined). */
  readonly labels: readonly FaultLabel[];
  readonly stats: SynthStats;
  /** Faults that produced no label; after the last chunk: those outside the capture (too short). */
  unappliedFaults(): FaultSpec[];
}

export interface SynthStats {
  packets: number;
  bytes: number;
  slots: number;
  /** U-plane and C-plane O-RAN messages (one per frame unless `concat` > 1). */
  uplanePackets: number;
  cplanePackets: number;
  ptpPackets: number;
  ecpriDelayPackets: number;
  /** Frames that carry more than one O-RAN message (`concat` > 1). */
  concatenatedPdus: number;
  /** Largest number of packets waiting in the time-ordering queue (memory is bounded by it). */
  peakQueue: number;
}

/**
 * Generates a realistic O-RAN 7.2x capture (Ethernet II + 802.1Q + eCPRI, C-plane section type 1 and
 * U-plane per slot, PTP G.8275.1) with injected faults and their ground-truth labels. Deterministic for a
 * seed. Memory stays bounded: a few slots of pending packets, pooled, and one chunk at a time.
 *
 * Time order: each slot's packets are created with capture times relative to the air time of the symbols
 * they carry (DL and C-plane an advance before, UL U-plane a delay after, inside the reception windows);
 * they wait in a queue sorted by capture time and are written once no later slot can precede them.
 * Sequence ids are assigned when written, so they follow the sending order.
 */
export function synthFronthaul(
  config: FronthaulConfigInput = {},
  faults: readonly FaultSpec[] = [],
  seed = 1,
): FronthaulSynth {
  return new FronthaulGenerator(resolveFronthaulConfig(config), faults, seed);
}

class FronthaulGenerator implements FronthaulSynth {
  readonly writer: CaptureWriter;
  readonly stats: SynthStats = {
    packets: 0,
    bytes: 0,
    slots: 0,
    uplanePackets: 0,
    cplanePackets: 0,
    ptpPackets: 0,
    ecpriDelayPackets: 0,
    concatenatedPdus: 0,
    peakQueue: 0,
  };

  private readonly prng: Prng;
  private readonly faults: FaultInjector;
  private readonly table: FlowTable;
  private readonly frames: FrameEmitter;
  private readonly iq: IqTemplateBank;
  private readonly timed: TimedMessages;
  private readonly book: LabelBook;
  private readonly symNs: number[];
  private readonly slotsPerSub: number;
  /** ns from the start of the subframe containing the capture start to the capture start. */
  private readonly r0: number;
  /** That subframe's index modulo 10240 (SFN·10 + subframe). */
  private readonly sfMod0: number;
  private readonly base: SecNs;
  private readonly durationNs: number;
  /** Nominal advance/delay, ns: [C dl, C ul, U dl, U ul]. */
  private readonly nominal: number[];
  private readonly jitterNs: number;
  private readonly prbB: number;
  private readonly perPacket: number;

  private readonly maxLeadNs: number;
  private readonly lastSlot: number;
  private readonly maxRecord: number;

  private readonly slotPackets: SlotPackets;
  private readonly pdus: OranPduWriter;
  /** pcapng 'by-direction': interface of the frames the O-RU sends, and its timestamp unit, ns. */
  private readonly byDirection: boolean;
  private pool: Ev[] = [];
  private pending: Ev[] = [];
  private head = 0;
  private dirty = false;
  private slotEvs: Ev[] = [];
  private g: number;
  private horizon = -Infinity;
  private genDone = false;
  private headerDone = false;
  private finished = false;
  private packetNo = 0;
  /** Capture time of the last written packet. */
  private readonly lastTs: SecNs = { sec: 0, nsec: 0 };

  constructor(
    readonly config: FronthaulConfig,
    faultSpecs: readonly FaultSpec[],
    seed: number,
  ) {
    const cfg = config;
    this.prng = new Prng(seed);
    const mu = numerology(cfg.scsKhz);
    this.symNs = symbolStartsNs(mu);
    this.slotsPerSub = 1 << mu;
    const timing = {
      scsKhz: cfg.scsKhz,
      leapSeconds: cfg.leapSeconds,
      alphaNs: cfg.alphaNs,
      betaFrames: cfg.betaFrames,
    };
    const sf = subframeAt(cfg.startTimeNs, timing);
    this.r0 = sf.intoNs;
    this.sfMod0 = Number(((sf.subframe % 10240n) + 10240n) % 10240n);
    this.base = splitEpochNs(cfg.startTimeNs);
    this.durationNs = cfg.durationS * 1e9;
    const w = cfg.windowsUs;
    const pos = (win: readonly [number, number]): number => (win[0] + cfg.windowPosition * (win[1] - win[0])) * 1000;
    this.nominal = [pos(w.dl_cplane), pos(w.ul_cplane), pos(w.dl_uplane), pos(w.ul_uplane)];
    // jitter stays well below a symbol so that a flow's packets keep their order
    this.jitterNs = Math.min(cfg.jitterUs * 1000, 1e6 / (14 << mu) / 8);
    this.prbB = prbBytes(cfg.comp);
    this.perPacket = prbSplit(cfg).perPacket;
    this.table = buildFlowTable(cfg, this.prng);
    this.frames = new FrameEmitter(cfg, this.table);
    this.iq = new IqTemplateBank(cfg, this.prng);
    this.slotPackets = new SlotPackets(cfg, this.table, this.iq, this.nominal, this.sfMod0, mu, {
      air: (g, l) => this.air(g, l),
      jitter: () => this.jitter(),
      acquire: () => this.acquire(),
    });
    this.faults = new FaultInjector(
      {
        cfg,
        acquire: () => this.acquire(),
        nominalNs: (kind, dir) => this.nominal[kind === EvKind.C ? dir : 2 + dir] ?? 0,
        window: (kind, dir) =>
          kind === EvKind.C ? (dir === 0 ? w.dl_cplane : w.ul_cplane) : dir === 0 ? w.dl_uplane : w.ul_uplane,
        specialTemplate: (kind, dir, param) => this.iq.pickSpecial(kind, dir, param),
        syncIntervalNs: SYNC_INTERVAL_NS,
        announceIntervalNs: ANNOUNCE_INTERVAL_NS,
      },
      faultSpecs,
    );
    this.timed = new TimedMessages(
      cfg,
      this.prng,
      this.table,
      this.faults,
      this.base,
      this.durationNs,
      () => this.acquire(),
      (ev) => this.push(ev),
    );

    // an early-shifted C-plane message is the earliest a slot's packet can be
    const maxAdvanceUs = Math.max(w.dl_cplane[1], w.ul_cplane[1], w.dl_uplane[1], w.ul_uplane[1]);
    this.maxLeadNs = (maxAdvanceUs + 300 + this.faults.maxEarlyOffsetUs) * 1000;
    // first slot: its C-plane (sent first) falls inside the capture; last slot: its UL U-plane too
    const lead = Math.max(this.nominal[0] ?? 0, this.nominal[1] ?? 0, this.nominal[2] ?? 0) + this.jitterNs + 50_000;
    const tail = w.ul_uplane[1] * 1000 + 100_000;
    let g = 0;
    while (this.air(g, 0) - lead < 0) g++;
    this.g = g;
    let last = g - 1;
    if (cfg.tail === 'cut') {
      // a capture stopped mid-flight: every slot whose C-plane is sent before the end; later packets cut
      const cLead = Math.min(this.nominal[0] ?? 0, this.nominal[1] ?? 0) - this.jitterNs;
      while (this.air(last + 1, 0) - cLead < this.durationNs) last++;
    } else while (this.air(last + 1, 0) + 1e6 / this.slotsPerSub + tail <= this.durationNs) last++;
    this.lastSlot = last;

    const maxFrame = Math.max(
      UPLANE_HEADER_LENGTH + 2 + UDP_SHIFT + Math.max(this.perPacket, 254) * this.prbB,
      128,
      OranPduWriter.maxFrame(cfg),
    );
    this.byDirection = cfg.format === 'pcapng' && cfg.interfaces === 'by-direction';
    this.writer =
      cfg.format === 'pcapng'
        ? createPcapngWriter({
            comment: `l1t synth fronthaul seed=${seed}`,
            ...(this.byDirection ? { interfaces: BY_DIRECTION_INTERFACES } : { interfaceName: 'fh0' }),
          })
        : createPcapWriter({ nanosecond: cfg.nanosecond });
    this.maxRecord = this.writer.maxRecordLength(maxFrame, 256);
    this.book = new LabelBook(this.table.flows, this.writer.format === 'pcapng');
    this.pdus = new OranPduWriter(cfg, this.table, this.frames, this.book, {
      peek: () => this.peek(),
      take: () => {
        this.head++;
      },
      release: (ev) => this.pool.push(ev),
      dropped: (ev, fs) => this.dropped(ev, fs),
    });
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return {
      next: (): IteratorResult<Uint8Array> => {
        const v = this.next();
        return v === undefined ? { done: true, value: undefined } : { done: false, value: v };
      },
    };
  }

  get labels(): readonly FaultLabel[] {
    return this.book.labels;
  }

  unappliedFaults(): FaultSpec[] {
    return this.faults.unapplied();
  }

  /** Air time (ns from the capture start) of symbol `l` of slot `g` (slot 0 = first of the start subframe). */
  private air(g: number, l: number): number {
    const k = Math.floor(g / this.slotsPerSub);
    const j = g - k * this.slotsPerSub;
    return k * 1e6 - this.r0 + (this.symNs[j * 14 + l] ?? 0);
  }

  private acquire(): Ev {
    return (this.pool.pop() ?? new Ev()).reset();
  }

  private jitter(): number {
    return (this.prng.float() * 2 - 1) * this.jitterNs;
  }

  private push(ev: Ev): void {
    this.pending.push(ev);
    this.dirty = true;
  }

  private genSlot(g: number): void {
    const evs = this.slotEvs;
    const air0 = this.slotPackets.build(g, evs);
    this.faults.applySlot(air0, evs);
    for (const ev of evs) this.pending.push(ev);
    this.dirty = true;
    this.stats.slots++;
  }

  private advance(): void {
    if (this.g <= this.lastSlot) {
      this.timed.generate(this.air(this.g + 2, 0));
      this.genSlot(this.g);
      this.g++;
      // every event of a later slot is at or after this: safe to emit what comes before
      this.horizon = this.air(this.g, 0) - this.maxLeadNs;
      if (this.g > this.lastSlot) {
        this.timed.generate(this.durationNs);
        this.genDone = true;
        this.horizon = Infinity;
      }
    } else {
      this.timed.generate(this.durationNs);
      this.genDone = true;
      this.horizon = Infinity;
    }
  }

  private peek(): Ev | undefined {
    for (;;) {
      if (this.dirty) {
        if (this.head > 0) {
          this.pending.copyWithin(0, this.head);
          this.pending.length -= this.head;
          this.head = 0;
        }
        if (this.pending.length > this.stats.peakQueue) this.stats.peakQueue = this.pending.length;
        this.pending.sort((a, b) => a.t - b.t);
        this.dirty = false;
      }
      const ev = this.pending[this.head];
      if (ev && ev.t < this.horizon) return ev;
      if (this.genDone) return ev;
      this.advance();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // emission

  next(): Uint8Array | undefined {
    if (this.finished) return undefined;
    const chunk = new Uint8Array(this.config.chunkBytes);
    const view = new DataView(chunk.buffer);
    let off = 0;
    if (!this.headerDone) {
      const h = this.writer.header();
      chunk.set(h, 0);
      off = h.length;
      this.headerDone = true;
    }
    for (;;) {
      const ev = this.peek();
      if (!ev) {
        this.finished = true;
        this.book.closeOpenGaps(this.faults.openGaps(), this.packetNo, this.lastTs);
        break;
      }
      if (off + this.maxRecord > chunk.length) break;
      this.head++;
      if (ev.t >= this.durationNs && this.config.tail === 'cut') {
        this.pool.push(ev);
        continue;
      }
      off += this.emit(ev, chunk, view, off);
      this.pool.push(ev);
    }
    this.stats.bytes += off;
    if (off === 0) return undefined;
    return chunk.subarray(0, off);
  }

  /** A packet a fault dropped: its sequence id is consumed when the sender numbered it; gaps are armed. */
  private dropped(ev: Ev, fs: FlowState): void {
    if (ev.flags & EvFlag.SEQ_CONSUME) fs.seq = (fs.seq + 1) & 0xff;
    this.book.onDropped(ev, fs);
  }

  /** Writes one record for `ev` at `off`; returns its length (0 for a dropped packet). */
  private emit(ev: Ev, buf: Uint8Array, view: DataView, off: number): number {
    const fs = this.table.flows[ev.flow];
    if (!fs) return 0;
    if (ev.flags & EvFlag.DROP) {
      this.dropped(ev, fs);
      return 0;
    }
    const ts = addOffset(this.base, Math.round(ev.t + this.config.captureClockOffsetNs), this.lastTs);
    // 'by-direction': what the O-RU sends is on the µs interface, its timestamp truncated as written
    const iface =
      this.byDirection && ((ev.kind === EvKind.U && ev.dir === 1) || (ev.kind === EvKind.OWD && ev.msgType === 2))
        ? 1
        : 0;
    if (iface === 1) ts.nsec -= ts.nsec % 1000;
    const o = off + this.writer.recordHeaderLength;
    let frameLen: number;
    let comment: Uint8Array | undefined;
    const packetNo = this.packetNo + 1;
    if (ev.kind === EvKind.U || ev.kind === EvKind.C) {
      frameLen = this.pdus.write(ev, fs, buf, o, packetNo, ts);
      comment = this.pdus.comment;
      this.stats.uplanePackets = this.pdus.uMessages;
      this.stats.cplanePackets = this.pdus.cMessages;
      this.stats.concatenatedPdus = this.pdus.concatenatedPdus;
    } else {
      if (ev.kind === EvKind.PTP) {
        frameLen = this.frames.writePtp(ev, buf, o);
        this.stats.ptpPackets++;
      } else {
        frameLen = this.frames.writeOwd(ev, buf, o);
        this.stats.ecpriDelayPackets++;
      }
      comment = this.book.onWritten(ev, fs, packetNo, ts, -1);
    }
    this.packetNo = packetNo;
    this.stats.packets = packetNo;
    if (this.faults.pendingPacketTriggers > 0) this.faults.onPacket(packetNo, ev.t);
    return this.writer.finishRecord(buf, view, off, frameLen, ts.sec, ts.nsec, comment, undefined, iface);
  }
}

/** pcapng 'by-direction': O-DU side in ns, O-RU side in µs (if_tsresol 9 and 6, pcapng §4.2). */
const BY_DIRECTION_INTERFACES = Object.freeze([
  { name: 'du-tx', tsresol: 9 },
  { name: 'ru-tx', tsresol: 6 },
]);
