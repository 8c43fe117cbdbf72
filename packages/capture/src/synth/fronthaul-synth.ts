import type { CaptureWriter } from './capture-writer.js';
import { utf8Encode } from './capture-writer.js';
import type { FaultSpec } from './fault-spec.js';
import { FaultInjector } from './fault-injection.js';
import type { FronthaulConfig, FronthaulConfigInput } from './fronthaul-config.js';
import { prbSplit, resolveFronthaulConfig, eaxcLabelKeys } from './fronthaul-config.js';
import {
  CPLANE_FRAME_LENGTH,
  ETH_MIN_FRAME,
  OWD_FRAME_LENGTH,
  UPLANE_HEADER_LENGTH,
  ecpriFlowPrefix,
  formatMac,
  parseMac,
  writePayloadSize,
  writeRadioHeader,
  writeSectionHead,
} from './fronthaul-frames.js';
import { compressCarrier, generateSymbolSamples, prbBytes, udCompHdrByte } from './iq.js';
import { createPcapWriter } from './pcap-writer.js';
import { createPcapngWriter } from './pcapng-writer.js';
import { Prng } from './prng.js';
import {
  PtpType,
  clockIdentityFromMac,
  clockIdentityHex,
  ptpMessageLength,
  writeAnnounceBody,
  writePtpHeader,
  writePtpTimestamp,
} from './ptp-frames.js';
import { TAI_UTC_OFFSET_S, numerology, subframeAt, symbolStartsNs } from './radio-time.js';
import type { FaultLabel } from './synth-events.js';
import { Ev, EvFlag, EvKind, LabelRef, Malform } from './synth-events.js';
import type { SecNs } from './timestamp.js';
import { addOffset, isoNs, splitEpochNs } from './timestamp.js';

/** Pull-based generator of a fronthaul capture: file bytes in chunks, ground truth as it goes. */
export interface FronthaulSynth extends Iterable<Uint8Array> {
  readonly config: FronthaulConfig;
  readonly writer: CaptureWriter;
  /** Next chunk of the file (the first starts with the file header); undefined at the end. */
  next(): Uint8Array | undefined;
  /** Labels of the faults injected so far, in packet order (complete once `next()` returned undefined). */
  readonly labels: readonly FaultLabel[];
  readonly stats: SynthStats;
}

export interface SynthStats {
  packets: number;
  bytes: number;
  slots: number;
  uplanePackets: number;
  cplanePackets: number;
  ptpPackets: number;
  ecpriDelayPackets: number;
}

interface FlowState {
  seq: number;
  held: number;
  pending: LabelRef[];
  info: Record<string, string | number>;
}

const SYNC_INTERVAL_NS = 62_500_000; // 16/s (G.8275.1 logSyncInterval −4)
const ANNOUNCE_INTERVAL_NS = 125_000_000; // 8/s (logAnnounceInterval −3)
const DELAY_REQ_INTERVAL_NS = 62_500_000;

/**
 * Generates a realistic O-RAN 7.2x capture (Ethernet II + 802.1Q + eCPRI, C-plane section type 1 and
 * U-plane per slot, PTP G.8275.1) with injected faults. Deterministic for a seed.
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
  readonly labels: FaultLabel[] = [];
  readonly stats: SynthStats = {
    packets: 0,
    bytes: 0,
    slots: 0,
    uplanePackets: 0,
    cplanePackets: 0,
    ptpPackets: 0,
    ecpriDelayPackets: 0,
  };

  private readonly prng: Prng;
  private readonly faults: FaultInjector;
  private readonly symNs: number[];
  private readonly slotsPerSub: number;
  private readonly r0: number;
  private readonly sfMod0: number;
  private readonly base: SecNs;
  private readonly durationNs: number;
  private readonly nominal: number[]; // [C dl, C ul, U dl, U ul] ns
  private readonly jitterNs: number;
  private readonly nsPerByte: number;
  private readonly prbB: number;
  private readonly perPacket: number;
  private readonly parts: number;
  private readonly templates: Uint8Array[][]; // per dir
  private readonly special = new Map<string, Uint8Array[]>();
  private readonly flows: FlowState[] = [];
  private readonly prefixes: Uint8Array[] = [];
  private readonly flowBase: number[]; // [U dl, U ul, C dl, C ul]
  private readonly ptpFlow: number[]; // Sync + Follow_Up, Delay_Req, Delay_Resp, Announce
  private readonly owdFlow: number;
  private readonly macs: { du: Uint8Array; ru: Uint8Array; master: Uint8Array; slave: Uint8Array };
  private readonly masterClock: Uint8Array;
  private readonly slaveClock: Uint8Array;
  private readonly gmClock: Uint8Array;
  private readonly owdPrefix: Uint8Array[];
  private readonly maxLeadNs: number;
  private readonly firstSlot: number;
  private readonly lastSlot: number;
  private readonly maxRecord: number;

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
  private nextSync: number;
  private nextDelayReq: number;
  private nextAnnounce: number;
  private nextOwd: number;
  private syncSeq: number;
  private delaySeq: number;
  private announceSeq: number;
  private owdSeq = 0;
  private readonly owdRate: number;
  private readonly tsTmp: SecNs = { sec: 0, nsec: 0 };
  private readonly tsTmp2: SecNs = { sec: 0, nsec: 0 };

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
    const symPeriod = 1e6 / (14 << mu);
    this.jitterNs = Math.min(cfg.jitterUs * 1000, symPeriod / 8);
    this.nsPerByte = 8 / cfg.linkGbps;
    this.prbB = prbBytes(cfg.comp);
    ({ perPacket: this.perPacket, parts: this.parts } = prbSplit(cfg));

    this.macs = {
      du: parseMac(cfg.macs.du),
      ru: parseMac(cfg.macs.ru),
      master: parseMac(cfg.macs.ptpMaster),
      slave: parseMac(cfg.macs.ptpSlave),
    };
    this.masterClock = clockIdentityFromMac(this.macs.master);
    this.slaveClock = clockIdentityFromMac(this.macs.slave);
    this.gmClock = clockIdentityFromMac(Uint8Array.of(0x6c, 0xad, 0xad, 0x00, 0x00, 0x01));

    // flows: U dl, U ul, C dl, C ul (per eAxC), then PTP sync / delay / announce, then eCPRI delay
    const nDl = cfg.eaxc.dl.length;
    const nUl = cfg.eaxc.ul.length;
    this.flowBase = [0, nDl, nDl + nUl, 2 * nDl + nUl];
    const addFlow = (prefix: Uint8Array, info: Record<string, string | number>): number => {
      this.flows.push({ seq: this.prng.int(256), held: 0, pending: [], info });
      this.prefixes.push(prefix);
      return this.flows.length - 1;
    };
    const vlan = cfg.vlan;
    for (const [plane, type] of [
      ['u', 0],
      ['c', 2],
    ] as const) {
      for (const [dir, list] of [
        ['dl', cfg.eaxc.dl],
        ['ul', cfg.eaxc.ul],
      ] as const) {
        for (const id of list) {
          const fromRu = plane === 'u' && dir === 'ul';
          const src = fromRu ? this.macs.ru : this.macs.du;
          const dst = fromRu ? this.macs.du : this.macs.ru;
          addFlow(ecpriFlowPrefix(dst, src, vlan.id, vlan.pcp, type, id), {
            eaxc: id,
            ...eaxcLabelKeys(id, cfg.eaxcBits),
            plane,
            direction: dir,
            src_mac: formatMac(src),
            dst_mac: formatMac(dst),
            vlan: vlan.id,
          });
        }
      }
    }
    const masterPort = `${clockIdentityHex(this.masterClock)}-1`;
    const slavePort = `${clockIdentityHex(this.slaveClock)}-1`;
    const none = new Uint8Array(0);
    this.ptpFlow = [
      addFlow(none, { plane: 's', ptp_port: masterPort, src_mac: formatMac(this.macs.master) }),
      addFlow(none, { plane: 's', ptp_port: slavePort, src_mac: formatMac(this.macs.slave) }),
      addFlow(none, { plane: 's', ptp_port: masterPort, src_mac: formatMac(this.macs.master) }),
      addFlow(none, { plane: 's', ptp_port: masterPort, src_mac: formatMac(this.macs.master) }),
    ];
    this.owdFlow = addFlow(none, { src_mac: formatMac(this.macs.du), dst_mac: formatMac(this.macs.ru), vlan: vlan.id });
    this.owdPrefix = [
      ecpriFlowPrefix(this.macs.ru, this.macs.du, vlan.id, vlan.pcp, 5, 0),
      ecpriFlowPrefix(this.macs.du, this.macs.ru, vlan.id, vlan.pcp, 5, 0),
    ];

    // IQ payload templates: a whole carrier each, compressed once and copied per packet
    this.templates = [0, 1].map(() =>
      Array.from({ length: Math.max(1, cfg.templates) }, () =>
        compressCarrier(generateSymbolSamples(this.prng, cfg.nrb, cfg.signal), cfg.nrb, cfg.comp),
      ),
    );

    this.faults = new FaultInjector(
      {
        cfg,
        acquire: () => this.acquire(),
        nominalNs: (kind, dir) => this.nominal[kind === EvKind.C ? dir : 2 + dir] ?? 0,
        window: (kind, dir) =>
          kind === EvKind.C ? (dir === 0 ? w.dl_cplane : w.ul_cplane) : dir === 0 ? w.dl_uplane : w.ul_uplane,
        specialTemplate: (kind, dir, param) => this.specialTemplate(kind, dir, param),
        syncIntervalNs: SYNC_INTERVAL_NS,
        announceIntervalNs: ANNOUNCE_INTERVAL_NS,
      },
      faultSpecs,
    );

    const maxAdvanceUs = Math.max(w.dl_cplane[1], w.ul_cplane[1], w.dl_uplane[1], w.ul_uplane[1]);
    this.maxLeadNs = (maxAdvanceUs + 300) * 1000;
    // first slot: its C-plane (sent first) falls inside the capture; last slot: its UL U-plane too
    const lead = Math.max(this.nominal[0] ?? 0, this.nominal[1] ?? 0, this.nominal[2] ?? 0) + this.jitterNs + 50_000;
    const tail = w.ul_uplane[1] * 1000 + 100_000;
    let g = 0;
    while (this.air(g, 0) - lead < 0) g++;
    this.firstSlot = g;
    let last = g - 1;
    while (this.air(last + 1, 0) + 1e6 / this.slotsPerSub + tail <= this.durationNs) last++;
    this.lastSlot = last;
    this.g = this.firstSlot;

    this.owdRate = cfg.ecpriDelay.ratePerS > 0 ? cfg.ecpriDelay.ratePerS : this.faults.hasOwdFault ? 10 : 0;
    this.nextSync = cfg.ptp ? 3_125_000 + this.prng.int(1_000_000) : Infinity;
    this.nextDelayReq = this.nextSync + 15_600_000;
    this.nextAnnounce = cfg.ptp ? 7_000_000 + this.prng.int(1_000_000) : Infinity;
    this.nextOwd = this.owdRate > 0 ? 11_000_000 + this.prng.int(1_000_000) : Infinity;
    this.syncSeq = this.prng.int(65536);
    this.delaySeq = this.prng.int(65536);
    this.announceSeq = this.prng.int(65536);

    const maxPrb = Math.max(this.perPacket, 254);
    const maxFrame = Math.max(UPLANE_HEADER_LENGTH + maxPrb * this.prbB, 128);
    this.writer =
      cfg.format === 'pcapng'
        ? createPcapngWriter({ comment: `l1t synth fronthaul seed=${seed}`, interfaceName: 'fh0' })
        : createPcapWriter({ nanosecond: cfg.nanosecond });
    this.maxRecord = this.writer.maxRecordLength(maxFrame, 256);
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return {
      next: (): IteratorResult<Uint8Array> => {
        const v = this.next();
        return v === undefined ? { done: true, value: undefined } : { done: false, value: v };
      },
    };
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

  private specialTemplate(kind: 'zero' | 'saturated' | 'low', dir: number, param: number): Uint8Array {
    const key = `${kind}/${dir}/${param}`;
    let set = this.special.get(key);
    if (!set) {
      const cfg = this.config;
      if (kind === 'zero') set = [new Uint8Array(cfg.nrb * this.prbB)];
      else if (kind === 'saturated') {
        set = Array.from({ length: 4 }, () =>
          compressCarrier(generateSymbolSamples(this.prng, cfg.nrb, cfg.signal, param), cfg.nrb, cfg.comp),
        );
      } else {
        const scale = 10 ** (-param / 20);
        set = Array.from({ length: 4 }, () =>
          compressCarrier(generateSymbolSamples(this.prng, cfg.nrb, cfg.signal), cfg.nrb, cfg.comp, scale),
        );
      }
      this.special.set(key, set);
    }
    return set[this.prng.int(set.length)] ?? set[0] ?? new Uint8Array(0);
  }

  // ---------------------------------------------------------------------------------------------
  // generation

  private genSlot(g: number): void {
    const cfg = this.config;
    const spS = this.slotsPerSub;
    const k = Math.floor(g / spS);
    const j = g - k * spS;
    const sfAbs = (this.sfMod0 + k) % 10240;
    const frameId = Math.floor(sfAbs / 10) & 0xff;
    const subframeId = sfAbs % 10;
    const evs = this.slotEvs;
    evs.length = 0;
    const air0 = this.air(g, 0);
    const cSpacing = (ETH_MIN_FRAME + 20) * this.nsPerByte;
    const dirs = [cfg.eaxc.dl, cfg.eaxc.ul];
    const ulHdr = cfg.ulCompHdr === 'explicit' ? udCompHdrByte(cfg.comp) : 0;

    for (let dir = 0; dir < 2; dir++) {
      const list = dirs[dir] ?? [];
      let t = air0 - (this.nominal[dir] ?? 0) + this.jitter();
      for (let ei = 0; ei < list.length; ei++) {
        const ev = this.acquire();
        ev.kind = EvKind.C;
        ev.dir = dir;
        ev.ei = ei;
        ev.flow = (this.flowBase[2 + dir] ?? 0) + ei;
        ev.t = t;
        ev.air = air0;
        ev.slot = g;
        ev.frameId = frameId;
        ev.subframeId = subframeId;
        ev.slotId = j;
        ev.symbolId = 0;
        ev.startPrb = 0;
        ev.numPrb = cfg.nrb;
        ev.numSymbol = 14;
        ev.udCompHdr = dir === 0 ? 0 : ulHdr;
        evs.push(ev);
        t += cSpacing;
      }
    }

    const nrb = cfg.nrb;
    for (let l = 0; l < 14; l++) {
      const air = this.air(g, l);
      for (let dir = 0; dir < 2; dir++) {
        const list = dirs[dir] ?? [];
        const tmpls = this.templates[dir] ?? [];
        let t = dir === 0 ? air - (this.nominal[2] ?? 0) + this.jitter() : air + (this.nominal[3] ?? 0) + this.jitter();
        for (let ei = 0; ei < list.length; ei++) {
          const tmpl = tmpls[this.prng.int(tmpls.length)] ?? null;
          for (let p = 0; p < this.parts; p++) {
            const start = p * this.perPacket;
            const n = Math.min(this.perPacket, nrb - start);
            const ev = this.acquire();
            ev.kind = EvKind.U;
            ev.dir = dir;
            ev.ei = ei;
            ev.flow = (this.flowBase[dir] ?? 0) + ei;
            ev.t = t;
            ev.air = air;
            ev.slot = g;
            ev.frameId = frameId;
            ev.subframeId = subframeId;
            ev.slotId = j;
            ev.symbolId = l;
            ev.startPrb = start;
            ev.numPrb = n;
            ev.srcPrb = start;
            ev.tmpl = tmpl;
            evs.push(ev);
            t += (UPLANE_HEADER_LENGTH + 24 + n * this.prbB) * this.nsPerByte;
          }
        }
      }
    }

    this.faults.applySlot(air0, evs);
    for (const ev of evs) this.pending.push(ev);
    this.dirty = true;
    this.stats.slots++;
  }

  /** PTP and eCPRI delay-measurement messages with capture time < limit. */
  private genTimed(limit: number): void {
    const end = Math.min(limit, this.durationNs);
    const pd = this.config.ptpPathDelayNs;
    while (this.nextSync < end) {
      const t = this.nextSync;
      const sync = this.ptpEv(PtpType.SYNC, t, this.ptpFlow[0] ?? 0, this.syncSeq);
      const fu = this.ptpEv(PtpType.FOLLOW_UP, t + 9_000 + this.prng.int(2_000), this.ptpFlow[0] ?? 0, this.syncSeq);
      this.faults.applyPtp(sync);
      this.faults.applyPtp(fu);
      // t1 = departure from the master = arrival at the capture point − path delay (− injected error)
      this.ptpTime(t - pd - fu.correction, fu);
      sync.tsSec = fu.tsSec;
      sync.tsNsec = fu.tsNsec - (fu.tsNsec % 1000);
      this.push(sync);
      this.push(fu);
      this.syncSeq = (this.syncSeq + 1) & 0xffff;
      this.nextSync += SYNC_INTERVAL_NS;
    }
    while (this.nextDelayReq < end) {
      const t = this.nextDelayReq;
      const req = this.ptpEv(PtpType.DELAY_REQ, t, this.ptpFlow[1] ?? 0, this.delaySeq);
      const resp = this.ptpEv(
        PtpType.DELAY_RESP,
        t + 2 * pd + 20_000 + this.prng.int(5_000),
        this.ptpFlow[2] ?? 0,
        this.delaySeq,
      );
      this.faults.applyPtp(req);
      this.faults.applyPtp(resp);
      this.ptpTime(t, req);
      req.tsNsec -= req.tsNsec % 1000;
      // t4 = arrival at the master = departure from the capture point + path delay (− injected error)
      this.ptpTime(t + pd - resp.correction, resp);
      this.push(req);
      this.push(resp);
      this.delaySeq = (this.delaySeq + 1) & 0xffff;
      this.nextDelayReq += DELAY_REQ_INTERVAL_NS;
    }
    while (this.nextAnnounce < end) {
      const t = this.nextAnnounce;
      const ev = this.ptpEv(PtpType.ANNOUNCE, t, this.ptpFlow[3] ?? 0, this.announceSeq);
      ev.clockClass = this.faults.clockClass;
      ev.gm = this.faults.gmOverride ?? this.gmClock;
      this.faults.applyPtp(ev);
      this.ptpTime(t, ev);
      ev.tsNsec -= ev.tsNsec % 1000;
      this.push(ev);
      this.announceSeq = (this.announceSeq + 1) & 0xffff;
      this.nextAnnounce += ANNOUNCE_INTERVAL_NS;
    }
    while (this.nextOwd < end) {
      const t = this.nextOwd;
      const nominal = this.config.ecpriDelay.delayUs * 1000 + (this.prng.float() - 0.5) * 400;
      const { delayNs, label } = this.faults.owdDelay(t, nominal);
      for (const action of [0, 2]) {
        const ev = this.acquire();
        ev.kind = EvKind.OWD;
        ev.flow = this.owdFlow;
        ev.msgType = action;
        ev.seq = this.owdSeq;
        // request: t1 at departure; response: t2 = t1 + one-way delay, seen back at the capture point
        ev.t = action === 0 ? t : t + 2 * delayNs + 5_000;
        this.ptpTime(action === 0 ? t : t + delayNs, ev);
        if (action === 2 && label) ev.label = label;
        this.push(ev);
      }
      this.owdSeq = (this.owdSeq + 1) & 0xff;
      this.nextOwd += 1e9 / this.owdRate;
    }
  }

  private ptpEv(type: number, t: number, flow: number, seq: number): Ev {
    const ev = this.acquire();
    ev.kind = EvKind.PTP;
    ev.msgType = type;
    ev.t = t;
    ev.flow = flow;
    ev.seq = seq;
    return ev;
  }

  /** Body timestamp (TAI) of capture-relative time `t`. */
  private ptpTime(t: number, ev: Ev): void {
    addOffset(this.base, Math.round(t), this.tsTmp2);
    ev.tsSec = this.tsTmp2.sec + TAI_UTC_OFFSET_S;
    ev.tsNsec = this.tsTmp2.nsec;
  }

  private push(ev: Ev): void {
    this.pending.push(ev);
    this.dirty = true;
  }

  private advance(): void {
    if (this.g <= this.lastSlot) {
      this.genTimed(this.air(this.g + 2, 0));
      this.genSlot(this.g);
      this.g++;
      this.horizon =
        this.g <= this.lastSlot ? this.air(this.g, 0) - this.maxLeadNs : this.air(this.g, 0) - this.maxLeadNs;
      if (this.g > this.lastSlot) {
        this.genTimed(this.durationNs);
        this.genDone = true;
        this.horizon = Infinity;
      }
    } else {
      this.genTimed(this.durationNs);
      this.genDone = true;
      this.horizon = Infinity;
    }
  }

  private peek(): Ev | undefined {
    for (;;) {
      if (this.dirty) {
        if (this.head > 0) {
          this.pending = this.pending.slice(this.head);
          this.head = 0;
        }
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
        break;
      }
      if (off + this.maxRecord > chunk.length) break;
      this.head++;
      off += this.emit(ev, chunk, view, off);
      this.pool.push(ev);
    }
    this.stats.bytes += off;
    if (off === 0) return undefined;
    return chunk.subarray(0, off);
  }

  private seqFor(fs: FlowState, ev: Ev): number {
    const f = ev.flags;
    if (f & EvFlag.SEQ_REUSE) return (fs.seq - 1) & 0xff;
    if (f & EvFlag.SEQ_SKIP) fs.seq = (fs.seq + ev.seqArg) & 0xff;
    if (f & EvFlag.REORDER_LEAD) {
      const s = (fs.seq + 1) & 0xff;
      fs.held = fs.seq;
      fs.seq = (fs.seq + 2) & 0xff;
      return s;
    }
    if (f & EvFlag.REORDER_LAG) return fs.held;
    const s = fs.seq;
    fs.seq = (s + 1) & 0xff;
    return s;
  }

  /** Writes one record for `ev` at `off`; returns its length (0 for a dropped packet). */
  private emit(ev: Ev, buf: Uint8Array, view: DataView, off: number): number {
    const fs = this.flows[ev.flow];
    if (!fs) return 0;
    if (ev.flags & EvFlag.DROP) {
      if (ev.flags & EvFlag.SEQ_CONSUME) fs.seq = (fs.seq + 1) & 0xff;
      if (ev.flags & EvFlag.GAP_END && ev.label) {
        // armed on every flow the gap silenced (traffic_gap: both planes of the eAxC × direction)
        if (ev.label.out.type === 'traffic_gap') {
          for (const f of this.flows)
            if (f.info.eaxc === fs.info.eaxc && f.info.direction === fs.info.direction) f.pending.push(ev.label);
        } else fs.pending.push(ev.label);
      }
      return 0;
    }
    const tInt = Math.round(ev.t);
    const ts = addOffset(this.base, tInt, this.tsTmp);
    const o = off + this.writer.recordHeaderLength;
    let frameLen: number;
    switch (ev.kind) {
      case EvKind.U:
        frameLen = this.writeU(ev, fs, buf, o);
        this.stats.uplanePackets++;
        break;
      case EvKind.C:
        frameLen = this.writeC(ev, fs, buf, o);
        this.stats.cplanePackets++;
        break;
      case EvKind.PTP:
        frameLen = this.writePtp(ev, buf, o);
        this.stats.ptpPackets++;
        break;
      default:
        frameLen = this.writeOwd(ev, buf, o);
        this.stats.ecpriDelayPackets++;
        break;
    }
    this.packetNo++;
    this.stats.packets = this.packetNo;
    if (fs.pending.length > 0) {
      for (const ref of fs.pending) {
        if (!ref.resolved) {
          this.resolve(ref, ev, fs, ts);
          ref.out.packet_count = 1;
        }
      }
      fs.pending.length = 0;
    }
    let comment: Uint8Array | undefined;
    if (ev.label) {
      const ref = ev.label;
      if (!ref.resolved) this.resolve(ref, ev, fs, ts);
      ref.out.packet_count++;
      if (this.writer.format === 'pcapng') comment = ref.comment ??= utf8Encode(`l1t synth fault: ${ref.out.spec}`);
    }
    if (this.faults.pendingPacketTriggers > 0) this.faults.onPacket(this.packetNo, ev.t);
    return this.writer.finishRecord(buf, view, off, frameLen, ts.sec, ts.nsec, comment);
  }

  private resolve(ref: LabelRef, ev: Ev, fs: FlowState, ts: SecNs): void {
    ref.resolved = true;
    const out = ref.out;
    out.packet_index = this.packetNo;
    out.timestamp = isoNs(ts.sec, ts.nsec);
    const flow: Record<string, string | number> = { ...fs.info };
    for (const k of ref.omit) delete flow[k];
    out.flow = flow;
    if (ev.kind === EvKind.U || ev.kind === EvKind.C) {
      out.radio = { frame_id: ev.frameId, subframe_id: ev.subframeId, slot_id: ev.slotId, symbol_id: ev.symbolId };
    }
    this.labels.push(out);
  }

  private writeU(ev: Ev, fs: FlowState, buf: Uint8Array, o: number): number {
    const nrb = this.config.nrb;
    buf.set(this.prefixes[ev.flow] ?? [], o);
    writeRadioHeader(buf, o, this.seqFor(fs, ev), ev.dir === 0, ev.frameId, ev.subframeId, ev.slotId, ev.symbolId);
    const numField = ev.numPrb === nrb && nrb > 255 ? 0 : ev.numPrb;
    writeSectionHead(buf, o + 30, 1, ev.startPrb, numField);
    let dataLen = ev.numPrb * this.prbB;
    const src = ev.srcPrb * this.prbB;
    if (ev.tmpl) buf.set(ev.tmpl.subarray(src, src + dataLen), o + UPLANE_HEADER_LENGTH);
    else buf.fill(0, o + UPLANE_HEADER_LENGTH, o + UPLANE_HEADER_LENGTH + dataLen);
    if (ev.mal === Malform.SECTION_OVERRUN) dataLen -= Math.min(dataLen, 2 * this.prbB);
    const frameLen = UPLANE_HEADER_LENGTH + dataLen;
    writePayloadSize(buf, o, frameLen - 22);
    if (ev.mal) this.malform(ev, buf, o, frameLen);
    return frameLen;
  }

  private writeC(ev: Ev, fs: FlowState, buf: Uint8Array, o: number): number {
    const nrb = this.config.nrb;
    buf.set(this.prefixes[ev.flow] ?? [], o);
    writeRadioHeader(buf, o, this.seqFor(fs, ev), ev.dir === 0, ev.frameId, ev.subframeId, ev.slotId, ev.symbolId);
    buf[o + 30] = 1; // numberOfSections
    buf[o + 31] = 1; // sectionType 1
    buf[o + 32] = ev.udCompHdr;
    buf[o + 33] = 0;
    writeSectionHead(buf, o + 34, 1, ev.startPrb, ev.numPrb === nrb && nrb > 255 ? 0 : ev.numPrb);
    buf[o + 38] = 0xff; // reMask all 12 REs
    buf[o + 39] = 0xf0 | (ev.numSymbol & 0x0f);
    const beam = ev.ei + 1 + (ev.dir << 8);
    buf[o + 40] = (beam >> 8) & 0x7f;
    buf[o + 41] = beam & 0xff;
    buf.fill(0, o + CPLANE_FRAME_LENGTH, o + ETH_MIN_FRAME);
    writePayloadSize(buf, o, CPLANE_FRAME_LENGTH - 22);
    if (ev.mal) this.malform(ev, buf, o, ETH_MIN_FRAME);
    return ETH_MIN_FRAME;
  }

  private malform(ev: Ev, buf: Uint8Array, o: number, frameLen: number): void {
    switch (ev.mal) {
      case Malform.ECPRI_SIZE:
        writePayloadSize(buf, o, frameLen - 22 + 64);
        break;
      case Malform.ECPRI_REVISION:
        buf[o + 18] = 0x20;
        break;
      case Malform.ECPRI_RESERVED:
        buf[o + 18] = 0x1e;
        break;
      case Malform.ECPRI_CONCAT:
        buf[o + 18] = 0x11;
        break;
      case Malform.CPLANE_FRAGMENT:
        buf[o + 25] = 0x00;
        break;
      case Malform.PAYLOAD_VERSION:
        buf[o + 26] = ((buf[o + 26] ?? 0) & 0x8f) | 0x20;
        break;
      default:
        break;
    }
  }

  private writePtp(ev: Ev, buf: Uint8Array, o: number): number {
    const type = ev.msgType;
    const fromSlave = type === PtpType.DELAY_REQ;
    const logInterval = type === PtpType.ANNOUNCE ? -3 : type === PtpType.DELAY_REQ ? 0x7f : -4;
    const body = writePtpHeader(buf, o, fromSlave ? this.macs.slave : this.macs.master, {
      messageType: type,
      domain: this.config.ptpDomain,
      flags: type === PtpType.SYNC ? 0x0200 : type === PtpType.ANNOUNCE ? 0x003c : 0,
      sourceClock: fromSlave ? this.slaveClock : this.masterClock,
      sourcePort: 1,
      sequenceId: ev.seq,
      logMessageInterval: logInterval,
    });
    writePtpTimestamp(buf, body, ev.tsSec, ev.tsNsec);
    if (type === PtpType.DELAY_RESP) {
      buf.set(this.slaveClock, body + 10);
      buf[body + 18] = 0;
      buf[body + 19] = 1;
    } else if (type === PtpType.ANNOUNCE) {
      writeAnnounceBody(buf, body, {
        currentUtcOffset: TAI_UTC_OFFSET_S,
        priority1: 128,
        clockClass: ev.clockClass,
        clockAccuracy: ev.clockClass === 6 ? 0x21 : 0xfe,
        offsetScaledLogVariance: ev.clockClass === 6 ? 0x4e5d : 0xffff,
        priority2: 128,
        grandmasterIdentity: ev.gm ?? this.gmClock,
        stepsRemoved: 1,
        timeSource: ev.clockClass === 6 ? 0x20 : 0xa0,
      });
    }
    const len = 14 + ptpMessageLength(type);
    if (len < ETH_MIN_FRAME) buf.fill(0, o + len, o + ETH_MIN_FRAME);
    return Math.max(len, ETH_MIN_FRAME);
  }

  private writeOwd(ev: Ev, buf: Uint8Array, o: number): number {
    const response = ev.msgType === 2;
    buf.set(this.owdPrefix[response ? 1 : 0] ?? [], o);
    buf[o + 22] = ev.seq;
    buf[o + 23] = ev.msgType;
    writePtpTimestamp(buf, o + 24, ev.tsSec, ev.tsNsec);
    buf.fill(0, o + 34, o + ETH_MIN_FRAME); // compensation value 0, then padding
    writePayloadSize(buf, o, OWD_FRAME_LENGTH - 22);
    return ETH_MIN_FRAME;
  }
}
