import { Inferred, type DecodedPacket, type OranMessage } from '@l1t/capture';
import type { FlowKey, Profile } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
} from '../framework/detector.js';
import { slotKeyOf, type FlowRef } from '../framework/flow.js';
import { numberOption } from '../framework/thresholds.js';
import { CaptureTimeBase } from './air-time.js';
import { resolveFronthaulTiming } from './air-time-profile.js';
import { OpenSlot, PRB_END_OPEN } from './coupling-slot.js';
import { round3, sampleFactor } from '../framework/confidence.js';

/**
 * C/U-plane coupling (O-RAN WG4 CUS §7.8.1): a U-plane section belongs to the C-plane section of the same
 * eAxC, direction, frame/subframe/slot and sectionId (4095: not coupled by sectionId), with its symbol in
 * [startSymbolId, startSymbolId + numSymbol) and its PRBs inside the C-plane section's (`rb`: every other
 * PRB; numPrbc 0: all NRB — the profile's, else the NRB the decoder sized a numPrbu-0 U-plane section to,
 * else unbounded).
 *
 * - `uplane_without_cplane`: U-plane sections that no C-plane section of their slot covers.
 * - `cplane_without_uplane`: DL C-plane sections (types 1 and 3, numSymbol > 0, reMask ≠ 0) whose symbols
 *   and PRBs receive no U-plane data at all in the slot (a U-plane section with a wrong sectionId still
 *   counts as data, so one fault is not reported twice).
 *
 * A slot is judged once capture time is `slot_close_us` past its first message, so a C-plane message seen
 * slightly after its U-plane still couples (its lateness is rx-window's finding). C-plane sections that
 * repeat a sectionId and PRBs with complementary reMasks are kept apart, each credited by the same U-plane
 * data. Slots starting within `capture_start_guard_us` of the capture start may have had (some of) their
 * C-plane sent before the capture began: a missing C-plane or sectionId is not reported there (PRBs or
 * symbols outside a captured section still are); at the end of the capture a C-plane
 * section whose U-plane would come after the last packet is not reported either.
 *
 * Memory: at most {@link MAX_OPEN_SLOTS} open slots (pooled objects; when the limit is reached the oldest is
 * closed early and, being possibly incomplete, not judged — counted and said in the warnings), found through a direct-mapped table per flow (a slot still open 8 subframes later is
 * judged when its entry is needed); the tables are indexed by the stage's stream id (`FlowRef.pairId`, so
 * bounded by the flow table's cap and never shared by two radios); capture time without bigint arithmetic
 * (`CaptureTimeBase`).
 */

/** The C-plane and U-plane flows of one stream, for reports. */
class Stream {
  c: FlowRef | undefined = undefined;
  u: FlowRef | undefined = undefined;
  /** Slots judged, and those that had C-plane / U-plane messages (the evidence behind a missing plane). */
  slots = 0;
  slotsWithC = 0;
  slotsWithU = 0;
  constructor(
    readonly eaxc: number,
    readonly dl: boolean,
    readonly linkSuffix: string,
  ) {}
  key(plane: 'c' | 'u'): FlowKey {
    const f = plane === 'c' ? this.c : this.u;
    return f !== undefined ? { ...f.key } : { eaxc: this.eaxc, plane, direction: this.dl ? 'dl' : 'ul' };
  }
  name(plane: 'c' | 'u'): string {
    return `${plane}|${this.dl ? 'dl' : 'ul'}|eaxc=${this.eaxc}${this.linkSuffix}`;
  }
}

const TYPES = ['uplane_without_cplane', 'cplane_without_uplane'] as const;
/**
 * Open slots at most: a full flow table (4,096 flows = 2,048 streams) at 30 kHz keeps about 7 slots per
 * stream open for the default 3 ms `slot_close_us` — 16,384 leaves room (≈ 1.5 KB each, pooled).
 */
export const MAX_OPEN_SLOTS = 16_384;
/** Direct-mapped open-slot entries per flow: 8 subframes × 16 slots (μ ≤ 4) before two slots share one. */
const SLOT_TABLE = 128;

const REASONS = {
  no_cplane: 'no C-plane message for this eAxC, direction and slot',
  no_section_id: 'no C-plane section with this sectionId in the slot',
  symbol_outside: 'the symbol is outside [startSymbolId, startSymbolId + numSymbol) of the C-plane section',
  prbs_outside: 'the PRBs are outside the C-plane section',
} as const;

export const couplingDetector: DetectorDefinition = {
  name: 'fronthaul/coupling',
  types: TYPES,
  thresholds: {
    uplane_without_cplane: [
      {
        name: 'slot_close_us',
        default: 3000,
        unit: 'µs',
        description:
          'A slot is judged this long (capture time) after its first message; at least the C-plane window maximum + UL U-plane window maximum + 1 ms (also for cplane_without_uplane)',
      },
      {
        name: 'capture_start_guard_us',
        default: 1000,
        unit: 'µs',
        description:
          'A missing C-plane is not reported for slots starting this close to the capture start; at least the larger C-plane window maximum',
      },
    ],
    cplane_without_uplane: [],
  },
  reference: 'O-RAN WG4 CUS §7.8.1 (C/U-plane coupling via sectionId), §7.5.3 (section fields, rb, numPrbc 0)',
  create: ({ profile, thresholds }) => new CouplingDetector(profile, thresholds),
};

function where(slot: OpenSlot): string {
  return `frame ${slot.frameId} subframe ${slot.subframeId} slot ${slot.slotId}`;
}

/** C-plane section k announces DL data: type 1 or 3, at least one symbol, some REs. */
function expectsDlData(slot: OpenSlot, k: number): boolean {
  const t = slot.cType(k);
  return (t === 1 || t === 3) && slot.cNumSym(k) > 0 && slot.cReMask(k) !== 0;
}

export class CouplingDetector implements Detector {
  private readonly time = new CaptureTimeBase();
  private lastRelNs = 0;
  private lastTsNs = 0n;
  private readonly closeNs: number;
  private readonly guardNs: number;
  private readonly nrb: number | undefined;
  /** Without a profile NRB: the NRB the decoder sized a numPrbu-0 U-plane section to (0 = none yet). */
  private learnedNrb = 0;
  /** Per stream (`FlowRef.pairId`): open slots, direct-mapped by (subframeId·16 + slotId) mod {@link SLOT_TABLE}. */
  private readonly tables: (OpenSlot | undefined)[][] = [];
  private readonly tableSerial: number[] = [];
  private readonly streams: Stream[] = [];
  /** Open slots in opening order (a ring; entries of slots closed early are skipped by serial). */
  private readonly ring: (OpenSlot | undefined)[] = new Array<OpenSlot | undefined>(MAX_OPEN_SLOTS).fill(undefined);
  private readonly ringSerial = new Float64Array(MAX_OPEN_SLOTS);
  private head = 0;
  private queued = 0;
  private open = 0;
  private readonly pool: OpenSlot[] = [];
  /** Slots whose missing C-plane was not judged because they began at the capture start. */
  unjudgedAtStart = 0;
  /** Slots closed early, unjudged, because {@link MAX_OPEN_SLOTS} were open. */
  forcedCloses = 0;
  /** Slots judged when their table entry was needed by a slot 8 subframes later (complete by then). */
  tableCloses = 0;

  /** Slots open now (bounded by {@link MAX_OPEN_SLOTS}). */
  get openSlotCount(): number {
    return this.open;
  }

  constructor(profile: Profile | undefined, thresholds: ResolvedThresholds) {
    const w = resolveFronthaulTiming(profile).windowsUs;
    const cMax = Math.max(w.dl_cplane[1], w.ul_cplane[1]);
    this.closeNs =
      Math.max(numberOption(thresholds, TYPES[0], 'slot_close_us', 3000), cMax + w.ul_uplane[1] + 1000) * 1000;
    this.guardNs = Math.max(numberOption(thresholds, TYPES[0], 'capture_start_guard_us', 1000), cMax) * 1000;
    this.nrb = profile?.nrb;
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m: o, flow: ref } = msg;
    const rel = this.time.relNs(p.tsNs);
    this.lastRelNs = rel;
    this.lastTsNs = p.tsNs;
    this.expire(rel, ctx);
    const flow2 = (o.eaxc << 1) | (o.dataDirection & 1);
    const fid = ref.pairId;
    if (this.tableSerial[fid] !== ref.pairSerial) {
      // a new stream (or one reusing an evicted stream's id): a fresh table
      this.tableSerial[fid] = ref.pairSerial;
      this.tables[fid] = new Array<OpenSlot | undefined>(SLOT_TABLE).fill(undefined);
      this.streams[fid] = new Stream(ref.eaxc, ref.dl, ref.linkSuffix);
    }
    const stream = this.streams[fid]!;
    if (ref.plane === 'c') stream.c = ref;
    else stream.u = ref;
    const table = this.tables[fid]!;
    const key = slotKeyOf(o);
    const at = ((o.subframeId << 4) | o.slotId) & (SLOT_TABLE - 1);
    let slot = table[at];
    if (slot === undefined || slot.key !== key) {
      if (slot !== undefined) {
        // the entry belongs to a slot ≥ 8 subframes older that is still open: it is complete, judge it now
        this.tableCloses++;
        this.close(slot, ctx, false, false);
      }
      if (this.queued === MAX_OPEN_SLOTS) this.popHead(ctx, false, true);
      slot = (this.pool.pop() ?? new OpenSlot()).reset(key, flow2, o.frameId, o.subframeId, o.slotId, rel);
      slot.fid = fid;
      slot.stream = stream;
      slot.tableIndex = at;
      slot.atCaptureStart = rel < this.guardNs;
      table[at] = slot;
      this.open++;
      const tail = (this.head + this.queued) % MAX_OPEN_SLOTS;
      this.ring[tail] = slot;
      this.ringSerial[tail] = slot.serial;
      this.queued++;
    }
    if (o.plane === 'c') this.onC(slot, p, o);
    else this.onU(slot, p, o);
  }

  finish(ctx: DetectContext): void {
    while (this.queued > 0) this.popHead(ctx, true, false);
    ctx.count?.('coupling', 'SLOTS_UNJUDGED_AT_CAPTURE_START', this.unjudgedAtStart);
    if (this.forcedCloses > 0) {
      ctx.count?.('coupling', 'SLOTS_CLOSED_UNJUDGED', this.forcedCloses);
      ctx.warn?.(
        `coupling: ${this.forcedCloses} slots closed before their time (more than ${MAX_OPEN_SLOTS} open at once): not judged`,
      );
    }
  }

  private onC(slot: OpenSlot, p: DecodedPacket, o: OranMessage): void {
    slot.cMessages++;
    const st = o.sectionType;
    if (st !== 1 && st !== 3 && st !== 5) return;
    let sym = o.symbolId;
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.cSections[i]!;
      if (s.symInc) sym++;
      if (s.sectionId < 0) continue;
      const numPrb = s.numPrbc !== 0 ? s.numPrbc : (this.nrb ?? (this.learnedNrb || PRB_END_OPEN)) - s.startPrbc;
      slot.addC(s.sectionId, sym, s.numSymbol, s.startPrbc, numPrb, s.rb, st, s.reMask, p.index, p.tsNs);
    }
    // U-plane seen before its C-plane still couples
    for (let k = 0; k < slot.uN;) {
      if (slot.findC(slot.uSectionId[k]!, slot.uSym[k]!, slot.uStartPrb[k]!, slot.uNumPrb[k]!, slot.uRb[k]!) >= 0)
        slot.removeU(k);
      else k++;
    }
  }

  private onU(slot: OpenSlot, p: DecodedPacket, o: OranMessage): void {
    let sym = o.symbolId;
    for (let i = 0; i < o.sectionCount; i++) {
      const s = o.uSections[i]!;
      if (s.symInc) sym++;
      slot.uSections++;
      // numPrbu 0: all NRB PRBs from startPrbu (§7.5.3.6), as the decoder sized it and prb-range reads it
      const n = s.nPrb;
      if (s.numPrbu === 0 && this.nrb === undefined && o.inferred & Inferred.NRB) this.learnedNrb = n;
      slot.touch(sym, s.startPrbu, s.startPrbu + (n - 1) * (s.rb ? 2 : 1) + 1);
      if (slot.findC(s.sectionId, sym, s.startPrbu, n, s.rb) < 0)
        slot.addU(s.sectionId, sym, s.startPrbu, n, s.rb, p.index, p.tsNs);
    }
  }

  private expire(rel: number, ctx: DetectContext): void {
    while (this.queued > 0) {
      const slot = this.ring[this.head]!;
      if (slot.serial === this.ringSerial[this.head] && rel - slot.firstRelNs <= this.closeNs) return;
      this.popHead(ctx, false, false);
    }
  }

  /** Takes the oldest ring entry and judges its slot unless it was closed already. */
  private popHead(ctx: DetectContext, atEnd: boolean, forced: boolean): void {
    const slot = this.ring[this.head]!;
    const valid = slot.serial === this.ringSerial[this.head] && slot.open;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % MAX_OPEN_SLOTS;
    this.queued--;
    if (!valid) return;
    if (forced) this.forcedCloses++;
    this.close(slot, ctx, atEnd, forced);
  }

  /** Closes a slot; judged unless `forced` (closed early for room: its planes may still have been coming). */
  private close(slot: OpenSlot, ctx: DetectContext, atEnd: boolean, forced: boolean): void {
    if (!forced) this.judge(slot, ctx, atEnd);
    slot.open = false;
    const table = this.tables[slot.fid]!;
    if (table[slot.tableIndex] === slot) table[slot.tableIndex] = undefined;
    this.open--;
    this.pool.push(slot);
  }

  private judge(slot: OpenSlot, ctx: DetectContext, atEnd: boolean): void {
    const eaxc = slot.flow2 >>> 1;
    const dl = (slot.flow2 & 1) === 1;
    const st = slot.stream!;
    st.slots++;
    if (slot.cMessages > 0) st.slotsWithC++;
    if (slot.uSections > 0) st.slotsWithU++;
    if (slot.atCaptureStart && slot.uN > 0) {
      // the slot's C-plane may have been sent before the capture began (fh_ks.pcap: the sections for
      // symbols 0–1 of its first full slot are missing, those for symbol 2 on are captured)
      let skipped = 0;
      for (let k = 0; k < slot.uN;) {
        const r = slot.reason(k);
        if (r === 'no_cplane' || r === 'no_section_id') {
          slot.removeU(k);
          skipped++;
        } else k++;
      }
      if (skipped > 0) this.unjudgedAtStart++;
    }
    if (slot.uN > 0) this.reportU(slot, ctx, eaxc, dl, where(slot));
    if (!dl || slot.cN === 0) return;
    // at the end of the capture the U-plane may simply not have been captured yet
    if (atEnd && this.lastRelNs - slot.firstRelNs <= this.closeNs) return;
    let first = -1;
    let n = 0;
    let packets = 0;
    let lastIndex = -1;
    for (let k = 0; k < slot.cN; k++) {
      if (!expectsDlData(slot, k) || slot.cTouched(k)) continue;
      if (first < 0) first = k;
      n++;
      if (slot.cIndex[k] !== lastIndex) {
        packets++;
        lastIndex = slot.cIndex[k]!;
      }
    }
    if (first < 0) return;
    // (allocations only from here: a finding)
    const ids: number[] = [];
    for (let k = first; k < slot.cN && ids.length < 8; k++) {
      if (expectsDlData(slot, k) && !slot.cTouched(k) && !ids.includes(slot.cSectionId(k)))
        ids.push(slot.cSectionId(k));
    }
    const stream = slot.stream!;
    const s0 = slot.cStartSym(first);
    const p0 = slot.cStartPrb(first);
    const pEnd = p0 + (slot.cNumPrb(first) - 1) * (slot.cRb(first) ? 2 : 1);
    ctx.report({
      type: TYPES[1],
      source: 'fronthaul',
      severity: 'major',
      // a stream whose U-plane the capture holds in most slots: this slot's missing data is real
      confidence: round3(0.95 * sampleFactor(stream.slotsWithU, stream.slots, 0.5)),
      tsNs: slot.cTs[first]!,
      packetIndex: slot.cIndex[first]!,
      packetCount: packets,
      flow: stream.key('c'),
      radio: { frame_id: slot.frameId, subframe_id: slot.subframeId, slot_id: slot.slotId, symbol_id: s0 },
      aggregationKey: `${TYPES[1]}|${stream.name('c')}`,
      description:
        `DL C-plane section ${slot.cSectionId(first)} on eAxC ${eaxc}${stream.linkSuffix} (${where(slot)}, symbols ${s0}–${s0 + slot.cNumSym(first) - 1}, ` +
        `PRBs ${p0}–${Math.min(pEnd, 1023)}) received no U-plane data in the slot` +
        (n > 1 ? ` (${n} sections)` : ''),
      evidence: {
        cplane_sections: n,
        section_ids: ids,
        first_section: {
          section_id: slot.cSectionId(first),
          start_symbol: s0,
          num_symbol: slot.cNumSym(first),
          start_prb: p0,
          num_prb: slot.cNumPrb(first),
          re_mask: `0x${slot.cReMask(first).toString(16).padStart(3, '0')}`,
        },
        uplane_sections_in_slot: slot.uSections,
      },
    });
  }

  private reportU(slot: OpenSlot, ctx: DetectContext, eaxc: number, dl: boolean, where: string): void {
    const stream = slot.stream!;
    const reasons: Record<string, number> = {};
    const ids: number[] = [];
    let packets = 0;
    let lastIndex = -1;
    let symLo = 99;
    let symHi = -1;
    let prbLo = 1 << 20;
    let prbHi = -1;
    for (let k = 0; k < slot.uN; k++) {
      const r = slot.reason(k);
      reasons[r] = (reasons[r] ?? 0) + 1;
      if (slot.uIndex[k] !== lastIndex) {
        packets++;
        lastIndex = slot.uIndex[k]!;
      }
      if (ids.length < 8 && !ids.includes(slot.uSectionId[k]!)) ids.push(slot.uSectionId[k]!);
      symLo = Math.min(symLo, slot.uSym[k]!);
      symHi = Math.max(symHi, slot.uSym[k]!);
      prbLo = Math.min(prbLo, slot.uStartPrb[k]!);
      prbHi = Math.max(prbHi, slot.uStartPrb[k]! + (slot.uNumPrb[k]! - 1) * (slot.uRb[k] ? 2 : 1));
    }
    const reason0 = slot.reason(0);
    const cSections: Record<string, number>[] = [];
    for (let c = 0; c < slot.cN && cSections.length < 4; c++) {
      cSections.push({
        section_id: slot.cSectionId(c),
        start_symbol: slot.cStartSym(c),
        num_symbol: slot.cNumSym(c),
        start_prb: slot.cStartPrb(c),
        num_prb: slot.cNumPrb(c),
      });
    }
    ctx.report({
      type: TYPES[0],
      source: 'fronthaul',
      severity: 'major',
      // no C-plane at all: as sure as the capture holds this stream's C-plane in its other slots (a capture
      // filtered to the U-plane has none anywhere); a C-plane present but not covering: a decoded fact, less
      // sure when NRB was inferred
      confidence:
        reason0 === 'no_cplane'
          ? round3(0.95 * sampleFactor(stream.slotsWithC, stream.slots, 0.4))
          : reason0 === 'prbs_outside' && this.nrb === undefined
            ? 0.75
            : 0.9,
      tsNs: slot.uTs[0]!,
      packetIndex: slot.uIndex[0]!,
      packetCount: packets,
      flow: stream.key('u'),
      radio: { frame_id: slot.frameId, subframe_id: slot.subframeId, slot_id: slot.slotId, symbol_id: slot.uSym[0]! },
      aggregationKey: `${TYPES[0]}|${stream.name('u')}`,
      description:
        `${slot.uN} U-plane section${slot.uN > 1 ? 's' : ''} on eAxC ${eaxc} ${dl ? 'DL' : 'UL'}${stream.linkSuffix} (${where}, section ${slot.uSectionId[0]}) ` +
        `without a C-plane section: ${REASONS[reason0]}`,
      evidence: {
        reason: reason0,
        reasons,
        uplane_sections: slot.uN,
        section_ids: ids,
        symbols: [symLo, symHi],
        prbs: [prbLo, prbHi],
        cplane_messages_in_slot: slot.cMessages,
        cplane_sections_in_slot: slot.cN,
        cplane_sections: cSections,
      },
    });
  }
}
