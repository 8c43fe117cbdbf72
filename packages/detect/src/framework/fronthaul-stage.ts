import type { DecodedPacket, OranMessage } from '@l1t/capture';
import type { FronthaulMessage } from './detector.js';
import type { FlowRef } from './flow.js';
import { slotKeyOf } from './flow.js';
import { DEFAULT_FLOW_IDLE_EVICT_NS, DEFAULT_MAX_FLOWS, FlowTable } from './flow-table.js';
import { SlotStats } from './slot-stats.js';

/** The message object handed to detectors, filled in place for each message. */
class StageMessage implements FronthaulMessage {
  p!: DecodedPacket;
  m!: OranMessage;
  position = 0;
  flow!: FlowRef;
}

export interface FronthaulStageHooks {
  message(msg: FronthaulMessage): void;
  slot(slot: SlotStats): void;
  evicted(flow: FlowRef): void;
}

export interface FronthaulStageOptions {
  maxFlows?: number;
  flowIdleEvictNs?: bigint;
}

/**
 * The one fronthaul stage under every detector: for each packet it walks every O-RAN message of the eCPRI
 * PDU (concatenated messages too, eCPRI 2.0 §3.1.3.1 C bit), resolves the message's flow once in the
 * {@link FlowTable} (one cap, one eviction rule), hands the message to the detectors, and keeps each
 * U-plane flow's current slot: per-slot IQ statistics are computed here once and handed over when the slot
 * closes (another slot's message on the flow, eviction, end of file).
 *
 * Messages whose application header was cut short are not handed over (the malformed detector reports
 * them from the packet's findings).
 */
export class FronthaulStage {
  readonly flows: FlowTable;
  private readonly msg = new StageMessage();
  /** Open slot per U-plane flow id (reused object per id). */
  private readonly slots: (SlotStats | undefined)[] = [];

  constructor(
    private readonly hooks: FronthaulStageHooks,
    options: FronthaulStageOptions = {},
  ) {
    this.flows = new FlowTable(
      options.maxFlows ?? DEFAULT_MAX_FLOWS,
      options.flowIdleEvictNs ?? DEFAULT_FLOW_IDLE_EVICT_NS,
      (flow) => this.evict(flow),
    );
  }

  /** Walks the O-RAN messages of one packet (no-op for packets without any). */
  onPacket(p: DecodedPacket): void {
    const n = p.oranCount;
    if (!p.hasOran || n === 0) return;
    const msg = this.msg;
    msg.p = p;
    for (let i = 0; i < n; i++) {
      const m = p.oranMessages[i]!;
      if (!m.headerComplete) continue;
      const flow = this.flows.resolve(p, m);
      if (flow === undefined) continue;
      if (m.plane === 'u' && m.sectionCount > 0) this.addToSlot(flow, m, p);
      msg.m = m;
      msg.position = i;
      msg.flow = flow;
      this.hooks.message(msg);
    }
  }

  /** Closes every open slot (end of file). */
  finish(): void {
    for (const s of this.slots) if (s !== undefined && s.slotKey >= 0) this.close(s);
  }

  private addToSlot(flow: FlowRef, m: OranMessage, p: DecodedPacket): void {
    let s = this.slots[flow.id];
    if (s === undefined) {
      s = new SlotStats();
      this.slots[flow.id] = s;
    }
    const key = slotKeyOf(m);
    if (s.slotKey !== key || s.flow !== flow) {
      if (s.slotKey >= 0 && s.flow === flow) this.close(s);
      s.open(flow, m, key, p.index, p.tsNs);
    }
    s.add(m, p.index, p.tsNs);
  }

  private close(s: SlotStats): void {
    if (s.packets > 0) this.hooks.slot(s);
    s.reset();
  }

  private evict(flow: FlowRef): void {
    const s = this.slots[flow.id];
    if (s !== undefined && s.slotKey >= 0 && s.flow === flow) this.close(s);
    this.hooks.evicted(flow);
  }
}
