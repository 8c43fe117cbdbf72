import { formatMac, type DecodedPacket, type OranMessage } from '@l1t/capture';
import type { FronthaulMessage } from '../framework/detector.js';
import { AirClock, CaptureTimeBase, UNITS_PER_NS } from '../fronthaul/air-time.js';
import { seqDistance, seqInOrder, seqSkipped } from '../fronthaul/sequence-flow.js';

/**
 * Per-window statistics of one DU↔RU unit (the stage's link — MAC pair × VLAN — × eAxC): the DU→RU direction carries the
 * C-plane (DL and UL) and DL U-plane of the eAxC, the RU→DU direction its UL U-plane (CUS §5.4, §7). One
 * row of {@link WINDOW_FEATURES} per window (default 100 ms); windows are aligned on the first O-RAN packet
 * of the capture, so every unit shares them. A window in which a unit sent nothing while it was active
 * before and after is a row too (its counts are 0): the quietest window is often the one that matters.
 *
 * Hot path: no allocation per packet (units are found by number keys, accumulators are plain fields).
 */
export const WINDOW_FEATURES = [
  'du_to_ru_packets',
  'ru_to_du_packets',
  'ru_du_ratio',
  'missing_responses',
  'du_iat_mean_us',
  'du_iat_std_us',
  'du_gap_max_us',
  'du_gap_min_us',
  'ru_gap_max_us',
  'response_time_us',
  'size_mean',
  'size_std',
  'packet_rate',
  'seq_missing',
  'dl_offset_max_us',
  'dl_offset_min_us',
  'ul_offset_max_us',
] as const;
export type WindowFeature = (typeof WINDOW_FEATURES)[number];
export const FEATURE_COUNT = WINDOW_FEATURES.length;
const F = Object.fromEntries(WINDOW_FEATURES.map((n, i) => [n, i])) as Record<WindowFeature, number>;

/**
 * Smallest robust scale per feature, in its unit (see `fitRobustScaler`): one packet, half a µs of
 * inter-arrival, 5 µs of gap or timing offset, one byte.
 */
export const FEATURE_SCALE_FLOORS: readonly number[] = WINDOW_FEATURES.map((n) => {
  if (n.endsWith('_packets') || n === 'missing_responses' || n === 'seq_missing') return 1;
  if (n === 'ru_du_ratio') return 0.01;
  if (n === 'du_iat_mean_us' || n === 'du_iat_std_us' || n === 'du_gap_min_us') return 0.5;
  if (n === 'size_mean' || n === 'size_std') return 1;
  if (n === 'packet_rate') return 10;
  return 5;
});

/** A UL C-plane request stays pending this long (ns) before it counts as a missing response. */
export const RESPONSE_TIMEOUT_NS = 4_000_000;
/** Pending UL C-plane requests kept per unit (older ones are counted missing first). */
const PENDING = 64;
/** Empty windows emitted at most between two packets of a unit (a capture with a time jump). */
const MAX_EMPTY_RUN = 600;

/** Identity of a unit, for evidence, the site model and anomaly flow keys. */
export interface UnitIdentity {
  /** `du|ru|vlan|eaxc` (MACs as text, `-` when absent). */
  key: string;
  duMac: string | undefined;
  ruMac: string | undefined;
  vlan: number | undefined;
  eaxc: number;
  duPort: number;
  bandSector: number;
  cc: number;
  ruPort: number;
}

/** One closed window of one unit. */
export interface WindowRow {
  /** Window number since the capture's first O-RAN packet. */
  window: number;
  startNs: bigint;
  /** First and last packet of the unit inside the window (for an empty window: the first packet after it). */
  firstIndex: number;
  firstTsNs: bigint;
  lastIndex: number;
  lastTsNs: bigint;
  packets: number;
  features: Float64Array;
}

export class WindowUnit {
  readonly rows: WindowRow[] = [];
  /**
   * Rows pushed to `rows` so far (rows taken out stay counted): what onMessage compares before and after
   * add(), instead of `rows.length` — the empty array changes shape (small-int to object elements) at its
   * first row, which deoptimised onMessage wherever it had read the length (issue 14).
   */
  rowsPushed = 0;
  // current window
  window = -1;
  private startNs = 0n;
  private firstIndex = 0;
  private firstTsNs = 0n;
  private lastIndex = 0;
  private lastTsNs = 0n;
  private du = 0;
  private ru = 0;
  private missing = 0;
  // The sums below start as NaN (reset() zeroes them before the first message): V8 shapes a field by its
  // first value, and one first holding a small int is re-shaped when it first holds a fraction or a number
  // past 2^30, deoptimising the code that saw the old shape (WindowFeatures.onMessage, issue 14).
  private duIatSum = NaN;
  private duIatSq = NaN;
  private duIatN = 0;
  private duGapMax = NaN;
  private duGapMin = NaN;
  private ruGapMax = NaN;
  private respSum = NaN;
  private respN = 0;
  private sizeSum = NaN;
  private sizeSq = NaN;
  private seqMissing = 0;
  private dlOffMax = NaN;
  private dlOffMin = NaN;
  private ulOffMax = NaN;
  // across windows
  // NaN before the first (a double, for the same reason as the sums: these hold capture-relative ns)
  private prevDuNs = NaN;
  private prevRuNs = NaN;
  /** Last sequence id per plane/direction (index plane<<1|dir), -1 before the first. */
  private readonly lastSeq = new Int16Array([-1, -1, -1, -1]);
  private readonly lastEBit = new Uint8Array([1, 1, 1, 1]);
  private readonly lastSubseq = new Uint8Array(4);
  private readonly pendKey = new Int32Array(PENDING).fill(-1);
  private readonly pendNs = new Float64Array(PENDING);
  private pendHead = 0;
  /**
   * A slot key no pending request has (-1: none known): the key of the last response looked up, found and
   * cleared or not found. Requests are kept once per key, so after the first UL U-plane message of a slot
   * matched its request, the slot's other messages skip the 64-entry scan; a request for that key resets it.
   */
  private absentKey = -1;
  private started = false;

  constructor(
    readonly identity: UnitIdentity,
    /** Windows per second (packet_rate = packets × this). */
    private readonly perSecond: number,
  ) {}

  /** Adds a message already known to belong to this unit and to window `w` (≥ the current one). */
  add(p: DecodedPacket, o: OranMessage, w: number, windowStartNs: bigint, relNs: number, offsetUs: number): void {
    if (w !== this.window) this.roll(w, windowStartNs, p);
    const ns = relNs;
    if (this.du + this.ru === 0) {
      this.firstIndex = p.index;
      this.firstTsNs = p.tsNs;
    }
    this.lastIndex = p.index;
    this.lastTsNs = p.tsNs;
    const size = p.data.length;
    this.sizeSum += size;
    this.sizeSq += size * size;
    const fromRu = o.plane === 'u' && o.dataDirection === 0;
    if (fromRu) {
      this.ru++;
      if (this.prevRuNs >= 0) {
        const g = (ns - this.prevRuNs) / 1000;
        if (!(g <= this.ruGapMax)) this.ruGapMax = g;
      }
      this.prevRuNs = ns;
      this.respond(o, ns);
      if (!(offsetUs <= this.ulOffMax)) this.ulOffMax = offsetUs;
    } else {
      this.du++;
      if (this.prevDuNs >= 0) {
        const g = (ns - this.prevDuNs) / 1000;
        this.duIatSum += g;
        this.duIatSq += g * g;
        this.duIatN++;
        if (!(g <= this.duGapMax)) this.duGapMax = g;
        if (!(g >= this.duGapMin)) this.duGapMin = g;
      }
      this.prevDuNs = ns;
      if (o.plane === 'c' && o.dataDirection === 0) this.request(o, ns);
      if (o.plane === 'u') {
        if (!(offsetUs <= this.dlOffMax)) this.dlOffMax = offsetUs;
        if (!(offsetUs >= this.dlOffMin)) this.dlOffMin = offsetUs;
      }
    }
    // sequence continuity per plane/direction, by the one rule of sequence-flow.ts: ids skipped when the
    // id jumps ahead count as missing; a duplicate or a late packet is not a missing one
    const si = (o.plane === 'c' ? 2 : 0) | (o.dataDirection & 1);
    const last = this.lastSeq[si]!;
    if (last < 0) {
      this.setSeq(si, o);
      return;
    }
    const d = seqDistance(last, o.sequenceId);
    if (seqInOrder(d, this.lastEBit[si]!, this.lastSubseq[si]!, o.subsequenceId) || (d > 1 && d < 128)) {
      this.seqMissing += seqSkipped(d);
      this.setSeq(si, o);
    }
  }

  private setSeq(si: number, o: OranMessage): void {
    this.lastSeq[si] = o.sequenceId;
    this.lastEBit[si] = o.eBit;
    this.lastSubseq[si] = o.subsequenceId;
  }

  /** Closes the current window (end of file); `complete` false drops a window cut by the end. */
  close(complete: boolean, endRelNs = Infinity): void {
    // requests still pending at the end are missing only when the capture went on past their timeout: the
    // response to one sent in the last RESPONSE_TIMEOUT_NS may simply come after the capture ended
    this.expire(endRelNs);
    this.pendKey.fill(-1);
    if (this.window >= 0 && complete) this.emit();
    this.window = -1;
  }

  private request(o: OranMessage, ns: number): void {
    const key = slotKey(o.frameId, o.subframeId, o.slotId);
    for (let i = 0; i < PENDING; i++) if (this.pendKey[i] === key) return;
    this.expire(ns);
    const at = this.pendHead;
    if (this.pendKey[at]! >= 0) this.missing++;
    if (key === this.absentKey) this.absentKey = -1;
    this.pendKey[at] = key;
    this.pendNs[at] = ns;
    this.pendHead = (at + 1) % PENDING;
  }

  private respond(o: OranMessage, ns: number): void {
    const key = slotKey(o.frameId, o.subframeId, o.slotId);
    if (key === this.absentKey) return;
    this.absentKey = key;
    for (let i = 0; i < PENDING; i++) {
      if (this.pendKey[i] !== key) continue;
      this.respSum += (ns - this.pendNs[i]!) / 1000;
      this.respN++;
      this.pendKey[i] = -1;
      return;
    }
  }

  private expire(ns: number): void {
    for (let i = 0; i < PENDING; i++) {
      if (this.pendKey[i]! >= 0 && ns - this.pendNs[i]! > RESPONSE_TIMEOUT_NS) {
        this.pendKey[i] = -1;
        this.missing++;
      }
    }
  }

  private roll(w: number, windowStartNs: bigint, p: DecodedPacket): void {
    if (this.window >= 0) {
      this.emit();
      // windows without a packet of this unit between the last one and now
      const empty = w - this.window - 1;
      if (empty > 0 && empty <= MAX_EMPTY_RUN) {
        const windowNs = (windowStartNs - this.startNs) / BigInt(w - this.window);
        for (let k = this.window + 1; k < w; k++) {
          this.reset(k, this.startNs + windowNs * BigInt(k - this.window));
          this.firstIndex = this.lastIndex = p.index;
          this.firstTsNs = this.lastTsNs = p.tsNs;
          this.emit();
        }
      }
    }
    this.reset(w, windowStartNs);
  }

  private reset(w: number, startNs: bigint): void {
    this.window = w;
    this.startNs = startNs;
    this.du = this.ru = this.missing = 0;
    this.duIatSum = this.duIatSq = 0;
    this.duIatN = 0;
    this.duGapMax = this.duGapMin = this.ruGapMax = NaN;
    this.respSum = 0;
    this.respN = 0;
    this.sizeSum = this.sizeSq = 0;
    this.seqMissing = 0;
    this.dlOffMax = this.dlOffMin = this.ulOffMax = NaN;
  }

  private emit(): void {
    const f = new Float64Array(FEATURE_COUNT);
    const n = this.du + this.ru;
    f[F.du_to_ru_packets] = this.du;
    f[F.ru_to_du_packets] = this.ru;
    f[F.ru_du_ratio] = this.ru / Math.max(1, this.du);
    f[F.missing_responses] = this.missing;
    const iatMean = this.duIatN > 0 ? this.duIatSum / this.duIatN : NaN;
    f[F.du_iat_mean_us] = iatMean;
    f[F.du_iat_std_us] = this.duIatN > 1 ? Math.sqrt(Math.max(0, this.duIatSq / this.duIatN - iatMean * iatMean)) : NaN;
    f[F.du_gap_max_us] = this.duGapMax;
    f[F.du_gap_min_us] = this.duGapMin;
    f[F.ru_gap_max_us] = this.ruGapMax;
    f[F.response_time_us] = this.respN > 0 ? this.respSum / this.respN : NaN;
    const sizeMean = n > 0 ? this.sizeSum / n : NaN;
    f[F.size_mean] = sizeMean;
    f[F.size_std] = n > 1 ? Math.sqrt(Math.max(0, this.sizeSq / n - sizeMean * sizeMean)) : NaN;
    f[F.packet_rate] = n * this.perSecond;
    f[F.seq_missing] = this.seqMissing;
    f[F.dl_offset_max_us] = this.dlOffMax;
    f[F.dl_offset_min_us] = this.dlOffMin;
    f[F.ul_offset_max_us] = this.ulOffMax;
    this.missing = 0;
    // A unit's first window holds its start-up (the capture began mid-slot, C-plane sent before the capture
    // started is missing): not a sample of its steady state.
    if (!this.started) {
      this.started = true;
      return;
    }
    this.rowsPushed++;
    this.rows.push({
      window: this.window,
      startNs: this.startNs,
      firstIndex: this.firstIndex,
      firstTsNs: this.firstTsNs,
      lastIndex: this.lastIndex,
      lastTsNs: this.lastTsNs,
      packets: n,
      features: f,
    });
  }
}

function slotKey(frameId: number, subframeId: number, slotId: number): number {
  return (frameId << 8) | (subframeId << 4) | (slotId & 0xf);
}

export interface WindowFeatureOptions {
  windowMs: number;
  /** Numerology and GPS alignment for the timing-offset features (arrival − air time). */
  mu: number;
  utcGpsOffsetS?: number;
  alphaNs?: number;
  betaFrames?: number;
}

/** Units (link × eAxC) tracked per file at most; messages of further units are counted, not analysed. */
export const DEFAULT_MAX_UNITS = 4096;
/** Rows buffered across all units at most before the fullest unit is scored (bounds memory). */
export const DEFAULT_MAX_BUFFERED_ROWS = 65_536;

/**
 * Streams O-RAN messages (from the fronthaul stage, with their flows) into per-unit windows. A unit is the
 * stage's link (VLAN + MAC pair) × eAxC: both directions and both planes of one stream. `onFull` is called
 * with a unit whose buffered rows reached `maxRows`, or with the fullest unit once all units together hold
 * `maxBufferedRows` (the caller scores and clears them): memory stays bounded whatever the capture.
 */
export class WindowFeatureExtractor {
  readonly units: WindowUnit[] = [];
  /** Units by `link × 65536 + eAxC`. */
  private readonly byKey = new Map<number, WindowUnit>();
  private readonly windowNs: bigint;
  private readonly windowNsNum: number;
  private readonly clock: AirClock;
  private t0: bigint | undefined;
  private readonly time = new CaptureTimeBase();
  private lastTsNs = 0n;
  /**
   * -1 before the first message, so that message sets lastWindowStart (window 0 had kept 0n as its start:
   * silent windows right after a unit's window 0 got start times derived from 0n, not from t0).
   */
  private lastWindow = -1;
  private lastWindowStart = 0n;
  private bufferedRows = 0;
  /** Messages of units beyond `maxUnits`, not analysed. */
  untrackedMessages = 0;

  constructor(
    readonly options: WindowFeatureOptions,
    private readonly maxRows = Infinity,
    private readonly onFull?: (unit: WindowUnit) => void,
    private readonly maxUnits = DEFAULT_MAX_UNITS,
    private readonly maxBufferedRows = DEFAULT_MAX_BUFFERED_ROWS,
  ) {
    this.windowNsNum = Math.round(options.windowMs * 1e6);
    this.windowNs = BigInt(this.windowNsNum);
    this.clock = new AirClock({
      mu: options.mu,
      utcGpsOffsetS: options.utcGpsOffsetS ?? 18,
      alphaNs: options.alphaNs ?? 0,
      betaFrames: options.betaFrames ?? 0,
    });
  }

  get windowLengthNs(): bigint {
    return this.windowNs;
  }

  /** Rows buffered in all units now. */
  get buffered(): number {
    return this.bufferedRows;
  }

  /** The caller took `n` rows out of a unit (scored them). */
  released(n: number): void {
    this.bufferedRows -= n;
  }

  onMessage(msg: FronthaulMessage): void {
    const { p, m: o } = msg;
    if (this.t0 === undefined) this.t0 = p.tsNs;
    if (p.tsNs > this.lastTsNs) this.lastTsNs = p.tsNs;
    // ns since the first message as a plain number (bigint arithmetic allocates; this does not)
    const relNs = this.time.relNs(p.tsNs);
    const w = relNs < 0 ? 0 : Math.floor(relNs / this.windowNsNum);
    if (w !== this.lastWindow) {
      this.lastWindow = w;
      this.lastWindowStart = this.t0 + BigInt(w) * this.windowNs;
    }
    const key = msg.flow.link * 65536 + o.eaxc;
    let unit = this.byKey.get(key);
    if (unit === undefined) {
      if (this.byKey.size >= this.maxUnits) {
        this.untrackedMessages++;
        return;
      }
      unit = this.newUnit(p, o);
      this.byKey.set(key, unit);
      this.units.push(unit);
    }
    let offsetUs = NaN;
    if (o.plane === 'u') {
      const units = this.clock.offsetUnits(p.tsNs, o.frameId, o.subframeId, o.slotId, o.symbolId);
      offsetUs = units / UNITS_PER_NS / 1000;
    }
    const before = unit.rowsPushed;
    unit.add(p, o, w, this.lastWindowStart, relNs, offsetUs);
    const added = unit.rowsPushed - before;
    if (added === 0) return;
    this.bufferedRows += added;
    if (unit.rows.length >= this.maxRows) this.onFull?.(unit);
    else if (this.bufferedRows >= this.maxBufferedRows) {
      let fullest = unit;
      for (const u of this.units) if (u.rows.length > fullest.rows.length) fullest = u;
      this.onFull?.(fullest);
    }
  }

  private newUnit(p: DecodedPacket, o: OranMessage): WindowUnit {
    const fromRu = o.plane === 'u' && o.dataDirection === 0;
    const d = p.data;
    const src = p.link.srcMacOffset;
    const dst = p.link.dstMacOffset;
    const duOff = fromRu ? dst : src;
    const ruOff = fromRu ? src : dst;
    const vlan = p.link.vlanIds.length > 0 ? p.link.vlanIds[0]! : -1;
    const duMac = formatMac(d, duOff);
    const ruMac = formatMac(d, ruOff);
    return new WindowUnit(
      {
        key: `${duMac ?? '-'}|${ruMac ?? '-'}|${vlan < 0 ? '-' : vlan}|${o.eaxc}`,
        duMac,
        ruMac,
        vlan: vlan < 0 ? undefined : vlan,
        eaxc: o.eaxc,
        duPort: o.duPortId,
        bandSector: o.bandSectorId,
        cc: o.ccId,
        ruPort: o.ruPortId,
      },
      1000 / this.options.windowMs,
    );
  }

  /**
   * End of file: closes every unit's open window. A window is kept only when the capture covered at least
   * `minCoverage` of it (the last one is usually cut short and would look like a traffic drop).
   */
  finish(minCoverage = 0.9): void {
    if (this.t0 === undefined) return;
    const lastStart = this.t0 + BigInt(this.lastWindow) * this.windowNs;
    const covered = Number(this.lastTsNs - lastStart) / this.windowNsNum;
    for (const u of this.units) {
      const before = u.rows.length;
      u.close(u.window !== this.lastWindow || covered >= minCoverage, Number(this.lastTsNs - this.t0));
      this.bufferedRows += u.rows.length - before;
    }
  }
}
