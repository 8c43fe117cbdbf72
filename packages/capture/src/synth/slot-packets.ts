import type { FlowTable } from './flow-table.js';
import type { FronthaulConfig } from './fronthaul-config.js';
import { prbSplit, radios } from './fronthaul-config.js';
import { ETH_MIN_FRAME, UPLANE_HEADER_LENGTH } from './fronthaul-frames.js';
import type { IqTemplateBank } from './iq-templates.js';
import { prbBytes, udCompHdrByte } from './iq.js';
import type { Ev } from './synth-events.js';
import { EvKind } from './synth-events.js';

/** What slot generation needs from the generator: the radio timeline, jitter and pooled packets. */
export interface SlotHost {
  /** Air time (ns from the capture start) of symbol `l` of slot `g`. */
  air(g: number, l: number): number;
  /** Uniform burst jitter, ns. */
  jitter(): number;
  acquire(): Ev;
}

/**
 * The packets of one slot before faults, in creation order: per direction and O-RU one C-plane burst
 * (section type 1 over the whole carrier and 14 symbols, one message per eAxC, CUS §7.5.2), then per
 * symbol, direction and O-RU one U-plane burst (per eAxC the carrier in `prbSplit` parts). Capture times
 * sit at the nominal advance (C-plane, DL U-plane) or delay (UL U-plane) of the windows, plus the burst's
 * jitter, spaced by serialisation time at `linkGbps`. A burst is one `group`: with `concat` > 1 its
 * messages share eCPRI PDUs (oran-pdu.ts).
 *
 * Position of slot g (slot 0 = first of the subframe holding the capture start): subframe k = g / 2^μ,
 * slot j = g mod 2^μ (TS 38.211 §4.3.2: 2^μ slots of 14 symbols per 1 ms subframe); frameId = SFN mod 256.
 */
export class SlotPackets {
  private readonly slotsPerSub: number;
  private readonly nsPerByte: number;
  private readonly prbB: number;
  private readonly perPacket: number;
  private readonly parts: number;
  private readonly nRu: number;
  private groups = 0;

  constructor(
    private readonly cfg: FronthaulConfig,
    private readonly table: FlowTable,
    private readonly iq: IqTemplateBank,
    /** Nominal advance/delay, ns: [C dl, C ul, U dl, U ul]. */
    private readonly nominal: readonly number[],
    /** Subframe index (mod 10240) of slot 0. */
    private readonly sfMod0: number,
    mu: number,
    private readonly host: SlotHost,
  ) {
    this.slotsPerSub = 1 << mu;
    this.nsPerByte = 8 / cfg.linkGbps;
    this.prbB = prbBytes(cfg.comp);
    ({ perPacket: this.perPacket, parts: this.parts } = prbSplit(cfg));
    this.nRu = radios(cfg).length;
  }

  /** Fills `evs` with slot `g`'s packets; returns the air time of its first symbol. */
  build(g: number, evs: Ev[]): number {
    const cfg = this.cfg;
    const spS = this.slotsPerSub;
    const k = Math.floor(g / spS);
    const j = g - k * spS;
    const sfAbs = (this.sfMod0 + k) % 10240;
    const frameId = Math.floor(sfAbs / 10) & 0xff;
    const subframeId = sfAbs % 10;
    evs.length = 0;
    const air0 = this.host.air(g, 0);
    const cSpacing = (ETH_MIN_FRAME + 20) * this.nsPerByte;
    const dirs = [cfg.eaxc.dl, cfg.eaxc.ul];
    const ulHdr = cfg.ulCompHdr === 'explicit' ? udCompHdrByte(cfg.comp) : 0;

    const nRu = this.nRu;
    const stride = this.table.ruStride;
    for (let dir = 0; dir < 2; dir++) {
      const list = dirs[dir] ?? [];
      for (let ru = 0; ru < nRu; ru++) {
        let t = air0 - (this.nominal[dir] ?? 0) + this.host.jitter();
        const group = ++this.groups;
        for (let ei = 0; ei < list.length; ei++) {
          const ev = this.host.acquire();
          ev.kind = EvKind.C;
          ev.dir = dir;
          ev.ei = ei;
          ev.ru = ru;
          ev.group = group;
          ev.flow = (this.table.flowBase[2 + dir] ?? 0) + ru * stride + ei;
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
    }

    const nrb = cfg.nrb;
    for (let l = 0; l < 14; l++) {
      const air = this.host.air(g, l);
      for (let dir = 0; dir < 2; dir++) {
        const list = dirs[dir] ?? [];
        for (let ru = 0; ru < nRu; ru++) {
          let t =
            dir === 0
              ? air - (this.nominal[2] ?? 0) + this.host.jitter()
              : air + (this.nominal[3] ?? 0) + this.host.jitter();
          const group = ++this.groups;
          for (let ei = 0; ei < list.length; ei++) {
            const tmpl = this.iq.pick(dir);
            for (let p = 0; p < this.parts; p++) {
              const start = p * this.perPacket;
              const n = Math.min(this.perPacket, nrb - start);
              const ev = this.host.acquire();
              ev.kind = EvKind.U;
              ev.dir = dir;
              ev.ei = ei;
              ev.ru = ru;
              ev.group = group;
              ev.flow = (this.table.flowBase[dir] ?? 0) + ru * stride + ei;
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
    }

    return air0;
  }
}
