import type { DecodedPacket, OranMessage } from '@l1t/capture';
import type { FlowKey } from '@l1t/contracts';
import { FLOW_INDEX_COUNT, flowIndexOf, flowKeyOf, flowLabelOfIndex, flowNameOfIndex, type FlowRef } from './flow.js';
import { LinkTable } from './link-table.js';

/** Flows tracked at once per file (profile `limits.max_flows`). */
export const DEFAULT_MAX_FLOWS = 4096;
/** A flow silent this long may give its place to a new one when the table is full (`limits.flow_idle_evict_ms`). */
export const DEFAULT_FLOW_IDLE_EVICT_NS = 1_000_000_000n;

class TableFlow implements FlowRef {
  lastSeenNs = 0n;
  constructor(
    readonly id: number,
    readonly serial: number,
    readonly link: number,
    readonly index: number,
    readonly pairId: number,
    readonly pairSerial: number,
    readonly pairKey: number,
    readonly name: string,
    readonly linkSuffix: string,
    readonly label: string,
    readonly key: FlowKey,
  ) {}
  get eaxc(): number {
    return this.index >>> 2;
  }
  get plane(): 'c' | 'u' {
    return this.index & 2 ? 'c' : 'u';
  }
  get dl(): boolean {
    return (this.index & 1) === 1;
  }
}

interface Pair {
  id: number;
  serial: number;
  refs: number;
}

/**
 * The flows of one file: resolves an O-RAN message to its {@link FlowRef} (one Map lookup once the flow is
 * known, no allocation), with one cap and one eviction rule for every detector:
 *
 * - at most `maxFlows` flows are tracked; their dense ids (`FlowRef.id`) index per-flow state arrays;
 * - when the table is full, a new flow takes the place of the flow silent longest, if that one has been
 *   silent for at least `idleEvictNs`; the evicted flow is handed to `onEvict` first (detectors close its
 *   state). Otherwise the new flow's messages are not tracked and counted in {@link untrackedMessages}.
 *
 * A hostile capture naming millions of eAxC ids therefore costs `maxFlows` flows of state, never more.
 */
export class FlowTable {
  private readonly links = new LinkTable();
  private readonly byKey = new Map<number, TableFlow>();
  private readonly byId: (TableFlow | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private readonly pairs = new Map<number, Pair>();
  private readonly freePairIds: number[] = [];
  private nextPairId = 0;
  private serial = 0;
  private pairSerial = 0;
  /** No eviction can succeed before this capture time (the silent-longest flow was seen too recently). */
  private noEvictionBeforeNs = -1n;
  private cachedPacket: DecodedPacket | undefined;
  private cachedIndex = -1;
  private cachedLink = 0;
  /** Messages of flows that found the table full and could not evict. */
  untrackedMessages = 0;
  /** Flows evicted to make room. */
  evictions = 0;

  constructor(
    readonly maxFlows = DEFAULT_MAX_FLOWS,
    readonly idleEvictNs = DEFAULT_FLOW_IDLE_EVICT_NS,
    private readonly onEvict?: (flow: FlowRef) => void,
  ) {}

  /** Flows tracked now. */
  get size(): number {
    return this.byKey.size;
  }

  /** The flow of message `m` of packet `p`, admitting it if new; `undefined` when the table is full. */
  resolve(p: DecodedPacket, m: OranMessage): FlowRef | undefined {
    if (this.cachedPacket !== p || this.cachedIndex !== p.index) {
      this.cachedPacket = p;
      this.cachedIndex = p.index;
      this.cachedLink = this.links.linkOf(p);
    }
    const link = this.cachedLink;
    const index = flowIndexOf(m);
    const f = this.byKey.get(link * FLOW_INDEX_COUNT + index);
    if (f !== undefined) {
      f.lastSeenNs = p.tsNs;
      return f;
    }
    return this.admit(p, m, link, index);
  }

  private admit(p: DecodedPacket, m: OranMessage, link: number, index: number): FlowRef | undefined {
    if (this.byKey.size >= this.maxFlows && !this.evictIdle(p.tsNs)) {
      this.untrackedMessages++;
      return undefined;
    }
    const id = this.freeIds.pop() ?? this.byId.length;
    const pairKey = link * (FLOW_INDEX_COUNT >>> 1) + (index >>> 2) * 2 + (index & 1);
    let pair = this.pairs.get(pairKey);
    if (pair === undefined) {
      pair = { id: this.freePairIds.pop() ?? this.nextPairId++, serial: this.pairSerial++, refs: 0 };
      this.pairs.set(pairKey, pair);
    }
    pair.refs++;
    const suffix = this.links.suffix(link);
    const f = new TableFlow(
      id,
      this.serial++,
      link,
      index,
      pair.id,
      pair.serial,
      pairKey,
      flowNameOfIndex(index, suffix),
      suffix,
      flowLabelOfIndex(index, suffix),
      flowKeyOf(p, m),
    );
    f.lastSeenNs = p.tsNs;
    this.byKey.set(link * FLOW_INDEX_COUNT + index, f);
    this.byId[id] = f;
    return f;
  }

  /** Evicts the flow silent longest if it has been silent for `idleEvictNs`; true when a place was freed. */
  private evictIdle(nowNs: bigint): boolean {
    if (nowNs < this.noEvictionBeforeNs) return false;
    let oldest: TableFlow | undefined;
    for (const f of this.byKey.values()) if (oldest === undefined || f.lastSeenNs < oldest.lastSeenNs) oldest = f;
    if (oldest === undefined) return false;
    if (nowNs - oldest.lastSeenNs < this.idleEvictNs) {
      // last-seen times only grow: nothing can be evicted before the oldest one has been idle long enough
      this.noEvictionBeforeNs = oldest.lastSeenNs + this.idleEvictNs;
      return false;
    }
    this.onEvict?.(oldest);
    this.byKey.delete(oldest.link * FLOW_INDEX_COUNT + oldest.index);
    this.byId[oldest.id] = undefined;
    this.freeIds.push(oldest.id);
    const pair = this.pairs.get(oldest.pairKey)!;
    if (--pair.refs === 0) {
      this.pairs.delete(oldest.pairKey);
      this.freePairIds.push(pair.id);
    }
    this.evictions++;
    return true;
  }
}

/**
 * Per-flow state of one detector, indexed by {@link FlowRef.id} (or, with `byPair`, by
 * {@link FlowRef.pairId}: the C-plane and U-plane of one stream share it): bounded by the flow table's
 * cap, and a state left by an evicted flow is never handed to the flow that reuses its id (checked by
 * serial).
 */
export class FlowStates<S> {
  private readonly states: (S | undefined)[] = [];
  private readonly serials: number[] = [];

  constructor(
    private readonly make: (flow: FlowRef) => S,
    private readonly byPair = false,
  ) {}

  get(flow: FlowRef): S {
    const id = this.byPair ? flow.pairId : flow.id;
    const serial = this.byPair ? flow.pairSerial : flow.serial;
    const s = this.states[id];
    if (s !== undefined && this.serials[id] === serial) return s;
    const n = this.make(flow);
    this.states[id] = n;
    this.serials[id] = serial;
    return n;
  }

  /** The state of `flow` if it has one. */
  peek(flow: FlowRef): S | undefined {
    const id = this.byPair ? flow.pairId : flow.id;
    return this.serials[id] === (this.byPair ? flow.pairSerial : flow.serial) ? this.states[id] : undefined;
  }

  delete(flow: FlowRef): void {
    const id = this.byPair ? flow.pairId : flow.id;
    if (this.serials[id] === (this.byPair ? flow.pairSerial : flow.serial)) this.states[id] = undefined;
  }

  *values(): IterableIterator<S> {
    for (const s of this.states) if (s !== undefined) yield s;
  }
}
