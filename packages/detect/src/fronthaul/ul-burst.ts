import type { FlowKey, Profile } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
} from '../framework/detector.js';
import type { FlowRef } from '../framework/flow.js';
import { numberOption } from '../framework/thresholds.js';
import { CaptureTimeBase } from './air-time.js';
import { marginConfidence } from '../framework/confidence.js';

/**
 * `ul_symbol_burst_slow` (O-RAN WG4 CUS §2.3, UL U-plane reception window Ta4): the O-RU sends the UL
 * U-plane packets of one symbol — every RU port (spatial stream) and PRB section of one carrier — as one
 * burst; when the first and last packet of that burst are more than `max_spread_us` apart the O-DU
 * receives the symbol piecemeal (a slow or congested link, a queue in a switch, an O-RU pacing problem).
 *
 * A burst is keyed by the eAxC without its RU-port bits (DU port / band-sector / CC, profile `eaxc_bits`,
 * default 2/6/4/4), the filterIndex (PRACH apart) and the symbol's frame/subframe/slot/symbol. Bursts are closed when capture time is
 * `max_spread_us` + one slot (1 ms) past their first packet, or when more than {@link OPEN_BURSTS}
 * are open (the oldest is closed first); packets of a closed burst that arrive later start a new one.
 * State: a fixed ring of burst records, no allocation per packet.
 */

export const OPEN_BURSTS = 64;
const CLOSE_EXTRA_NS = 1_000_000;

export const ulBurstDetector: DetectorDefinition = {
  name: 'fronthaul/ul-burst',
  types: ['ul_symbol_burst_slow'],
  thresholds: {
    ul_symbol_burst_slow: [
      {
        name: 'max_spread_us',
        default: 50,
        unit: 'µs',
        description:
          'Largest time between the first and last UL U-plane packet of one symbol (all RU ports of a carrier); 50 µs ≈ 1.4 symbols at 30 kHz, well above a back-to-back burst even at 10 Gbit/s',
      },
    ],
  },
  reference: 'O-RAN WG4 CUS §2.3 (UL U-plane window Ta4 at the O-DU)',
  create: ({ profile, thresholds }) => new UlBurstDetector(profile, thresholds),
};

export class UlBurstDetector implements Detector {
  private readonly maxSpreadNs: number;
  private readonly ruPortBits: number;
  private readonly time = new CaptureTimeBase();
  // ring of open bursts
  private readonly key = new Float64Array(OPEN_BURSTS).fill(-1);
  private readonly firstRel = new Float64Array(OPEN_BURSTS);
  private readonly lastRel = new Float64Array(OPEN_BURSTS);
  private readonly firstIndex = new Float64Array(OPEN_BURSTS);
  private readonly lastIndex = new Float64Array(OPEN_BURSTS);
  private readonly firstTs = new BigInt64Array(OPEN_BURSTS);
  private readonly count = new Int32Array(OPEN_BURSTS);
  private readonly ports = new Int32Array(OPEN_BURSTS);
  private readonly flows: (FlowRef | undefined)[] = new Array<FlowRef | undefined>(OPEN_BURSTS).fill(undefined);
  private next = 0;
  /**
   * Bursts open: always the `open` ring entries just before `next`, oldest first (a burst is opened at
   * `next` and closed oldest first, by `expire` or when its entry is reused), so the scans below visit the
   * open entries only — not the whole ring for every message (a capture with no UL traffic has none open).
   */
  private open = 0;
  /** Bursts judged (for tests and counters). */
  judged = 0;

  constructor(profile: Profile | undefined, thresholds: ResolvedThresholds) {
    this.maxSpreadNs = numberOption(thresholds, 'ul_symbol_burst_slow', 'max_spread_us', 50) * 1000;
    this.ruPortBits = profile?.eaxc_bits?.ru_port ?? 4;
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m: o } = msg;
    const rel = this.time.relNs(p.tsNs);
    this.expire(rel, ctx);
    if (o.plane !== 'u' || o.dataDirection !== 0) return;
    const carrier = o.eaxc >>> this.ruPortBits;
    // PRACH (filterIndex ≠ 0) symbols are numbered in their own numerology: a burst of their own; two
    // radios behind one capture point (links) never share a burst
    const key =
      ((msg.flow.link * 65536 + carrier) * 16 + (o.filterIndex & 15)) * 2 ** 24 +
      ((o.frameId << 16) | (o.subframeId << 12) | (o.slotId << 6) | o.symbolId);
    const port = o.eaxc & ((1 << this.ruPortBits) - 1);
    for (let i = 1; i <= this.open; i++) {
      const k = (this.next - i + OPEN_BURSTS) % OPEN_BURSTS; // newest first
      if (this.key[k] === key) {
        this.lastRel[k] = rel;
        this.lastIndex[k] = p.index;
        this.count[k]!++;
        if (port < 31) this.ports[k]! |= 1 << port;
        return;
      }
    }
    const k = this.next;
    this.next = (k + 1) % OPEN_BURSTS;
    if (this.key[k]! >= 0) this.close(k, ctx);
    const flow = msg.flow;
    this.key[k] = key;
    this.firstRel[k] = this.lastRel[k] = rel;
    this.firstIndex[k] = this.lastIndex[k] = p.index;
    this.firstTs[k] = p.tsNs;
    this.count[k] = 1;
    this.ports[k] = port < 31 ? 1 << port : 0;
    this.flows[k] = flow;
    this.open++;
  }

  finish(ctx: DetectContext): void {
    for (let i = 0; i < OPEN_BURSTS; i++) {
      const k = (this.next + i) % OPEN_BURSTS;
      if (this.key[k]! >= 0) this.close(k, ctx);
    }
  }

  private expire(rel: number, ctx: DetectContext): void {
    // bursts are opened in capture order: scan from the oldest and stop at the first one still open
    const horizon = this.maxSpreadNs + CLOSE_EXTRA_NS;
    for (let i = OPEN_BURSTS - this.open; i < OPEN_BURSTS; i++) {
      const k = (this.next + i) % OPEN_BURSTS;
      if (this.key[k]! < 0) continue;
      if (rel - this.firstRel[k]! <= horizon) return;
      this.close(k, ctx);
    }
  }

  private close(k: number, ctx: DetectContext): void {
    const key = this.key[k]!;
    this.key[k] = -1;
    this.open--;
    this.judged++;
    const spread = this.lastRel[k]! - this.firstRel[k]!;
    if (this.count[k]! < 2 || spread <= this.maxSpreadNs) return;
    const pos = key % 2 ** 24;
    const carrierFilter = Math.floor(key / 2 ** 24);
    const carrier = Math.floor(carrierFilter / 16) % 65536;
    const filterIndex = carrierFilter % 16;
    const frameId = pos >>> 16;
    const subframeId = (pos >>> 12) & 15;
    const slotId = (pos >>> 6) & 63;
    const symbolId = pos & 63;
    const ref = this.flows[k]!;
    const flow: FlowKey = { ...ref.key };
    // the burst spans RU ports: keep only the keys common to all of them
    if (this.ports[k]! & (this.ports[k]! - 1)) {
      delete flow.eaxc;
      delete flow.ru_port;
    }
    const spreadUs = Math.round(spread) / 1000;
    const limitUs = this.maxSpreadNs / 1000;
    ctx.report({
      type: 'ul_symbol_burst_slow',
      source: 'fronthaul',
      severity: 'minor',
      // margin: the spread past max_spread_us, on its scale
      confidence: marginConfidence(spread - this.maxSpreadNs, this.maxSpreadNs, 0.6, 0.39),
      tsNs: this.firstTs[k]!,
      packetIndex: this.firstIndex[k]!,
      packetCount: this.count[k]!,
      endTsNs: this.firstTs[k]! + BigInt(Math.round(spread)),
      flow,
      radio: { frame_id: frameId, subframe_id: subframeId, slot_id: slotId, symbol_id: symbolId },
      aggregationKey: `ul_symbol_burst_slow|u|ul|carrier=${carrier}${filterIndex !== 0 ? `|filter=${filterIndex}` : ''}${ref.linkSuffix}`,
      description:
        `UL U-plane burst of symbol ${symbolId} (frame ${frameId} subframe ${subframeId} slot ${slotId}) spread over ` +
        `${spreadUs} µs in ${this.count[k]} packets (limit ${limitUs} µs)`,
      evidence: {
        spread_us: spreadUs,
        max_spread_us: limitUs,
        packets: this.count[k],
        first_packet: this.firstIndex[k],
        last_packet: this.lastIndex[k],
        ru_ports_mask: this.ports[k],
        carrier_eaxc_prefix: carrier,
        ...(filterIndex !== 0 ? { filter_index: filterIndex } : {}),
      },
    });
  }
}
