import type { ActiveFault, FaultHost } from './fault-state.js';
import { targets } from './fault-state.js';
import type { Ev } from './synth-events.js';
import { EvFlag, EvKind, Malform } from './synth-events.js';

/** Applies one fronthaul fault to one slot's packets (creation order); may append packets to `evs`. */
export function applySlotFault(f: ActiveFault, evs: Ev[], host: FaultHost): void {
  const nrb = host.cfg.nrb;
  switch (f.type) {
    case 'seq_gap': {
      const ts = targets(f, evs, f.plane);
      const missing = f.spec.count ?? 1;
      if (f.str('mode', 'skip') === 'drop') {
        const ref = f.labelFor({ missing, mode: 'drop' });
        for (const t of ts) {
          if (f.remaining <= 0) break;
          t.flags |= EvFlag.DROP | EvFlag.SEQ_CONSUME;
          t.label = ref;
          if (--f.remaining === 0) {
            t.flags |= EvFlag.GAP_END;
            f.done = true;
          }
        }
      } else {
        const t = ts[0];
        if (!t) return;
        t.flags |= EvFlag.SEQ_SKIP;
        t.seqArg = missing;
        t.label = f.labelFor({ missing, mode: 'skip' });
        f.done = true;
      }
      return;
    }
    case 'seq_duplicate': {
      const ref = f.labelFor();
      for (const t of targets(f, evs, f.plane)) {
        if (f.remaining <= 0) break;
        const c = host.acquire().copyFrom(t);
        c.t = t.t + 100;
        c.flags |= EvFlag.SEQ_REUSE;
        c.label = ref;
        evs.push(c);
        if (--f.remaining === 0) f.done = true;
      }
      return;
    }
    case 'seq_reorder': {
      const ref = f.labelFor();
      const ts = targets(f, evs, f.plane);
      if (f.plane === EvKind.C) {
        // one C-plane message per slot: moving one behind the next slot's would also make it late, so
        // the sender's numbering is swapped instead (seq s+1 is seen before s)
        const t = ts[0];
        if (!t) return;
        if (!f.lagNext) {
          t.flags |= EvFlag.REORDER_LEAD;
          f.lagNext = true;
        } else {
          t.flags |= EvFlag.REORDER_LAG;
          t.label = ref;
          f.lagNext = false;
          if (--f.remaining === 0) f.done = true;
        }
        return;
      }
      for (let i = 0; i + 1 < ts.length && f.remaining > 0; i += 4) {
        const a = ts[i];
        const b = ts[i + 1];
        if (!a || !b) break;
        a.t = b.t + 100;
        b.flags |= EvFlag.REORDER_LEAD;
        a.flags |= EvFlag.REORDER_LAG;
        a.label = ref;
        if (--f.remaining === 0) f.done = true;
      }
      return;
    }
    case 'rx_window_late':
    case 'rx_window_early': {
      const late = f.type === 'rx_window_late';
      const m = f.num('offset_us', late ? 30 : 50) * 1000;
      const [lo, hi] = host.window(f.plane, f.dir);
      const nominal = host.nominalNs(f.plane, f.dir);
      const delayType = f.plane === EvKind.U && f.dir === 1;
      // advance windows: seen between hi and lo µs before air time; the UL U-plane window is a delay
      const shift = delayType
        ? (late ? hi * 1000 + m : lo * 1000 - m) - nominal
        : nominal - (late ? lo * 1000 - m : hi * 1000 + m);
      // moving one UL packet of a symbol also stretches that symbol's UL burst
      const ref = f.labelFor(
        { offset_us: m / 1000, window_us: `${lo}..${hi}` },
        delayType ? ['ul_symbol_burst_slow'] : undefined,
      );
      for (const t of targets(f, evs, f.plane)) {
        if (f.remaining <= 0) break;
        t.t += shift;
        t.label = ref;
        if (--f.remaining === 0) f.done = true;
      }
      return;
    }
    case 'uplane_without_cplane':
    case 'cplane_without_uplane': {
      const missingC = f.type === 'uplane_without_cplane';
      const ref = f.labelFor();
      for (const t of targets(f, evs, EvKind.C)) {
        if (missingC) t.flags |= EvFlag.DROP;
        else t.label = ref;
      }
      for (const t of targets(f, evs, EvKind.U)) {
        if (missingC) t.label = ref;
        else t.flags |= EvFlag.DROP;
      }
      if (--f.remaining <= 0) f.done = true;
      return;
    }
    case 'prb_out_of_range': {
      const ov = Math.max(1, Math.min(127, f.num('overflow', 8)));
      const ref = f.labelFor({ start_prb: nrb - ov, num_prb: 2 * ov, nrb }, ['uplane_without_cplane']);
      for (const t of targets(f, evs, f.plane)) {
        if (f.remaining <= 0) break;
        t.startPrb = nrb - ov;
        t.numPrb = 2 * ov;
        t.srcPrb = 0;
        t.label = ref;
        if (--f.remaining === 0) f.done = true;
      }
      return;
    }
    case 'compression_mismatch': {
      const { method, iqWidth } = host.cfg.comp;
      let hdr: number;
      if (f.dir === 0) hdr = ((iqWidth & 0xf) << 4) | (method === 'bfp' ? 1 : 0) || 0x91;
      else hdr = method === 'bfp' ? ((iqWidth === 14 ? 12 : 14) << 4) | 1 : 0x91;
      const ref = f.labelFor({ udCompHdr: `0x${hdr.toString(16).padStart(2, '0')}` });
      for (const t of targets(f, evs, EvKind.C)) {
        t.udCompHdr = hdr;
        t.label = ref;
      }
      if (--f.remaining <= 0) f.done = true;
      return;
    }
    case 'iq_saturation':
    case 'iq_zero':
    case 'iq_power_drop': {
      const slots = f.num('slots', f.spec.count ?? (f.type === 'iq_saturation' ? 1 : f.type === 'iq_zero' ? 20 : 40));
      if (f.label === null) f.remaining = slots;
      const kind = f.type === 'iq_zero' ? 'zero' : f.type === 'iq_saturation' ? 'saturated' : 'low';
      const param = f.type === 'iq_saturation' ? f.num('ratio', 0.1) : f.type === 'iq_power_drop' ? f.num('db', 20) : 0;
      const ref = f.labelFor(
        f.type === 'iq_zero' ? { slots } : f.type === 'iq_saturation' ? { slots, ratio: param } : { slots, db: param },
        f.type === 'iq_zero' ? ['iq_power_drop'] : undefined,
      );
      for (const t of targets(f, evs, EvKind.U)) {
        t.tmpl = host.specialTemplate(kind, f.dir, param);
        t.label = ref;
      }
      if (--f.remaining <= 0) f.done = true;
      return;
    }
    case 'traffic_gap': {
      const slots = f.num('slots', f.spec.count ?? 10);
      if (f.label === null) f.remaining = slots;
      const ref = f.labelFor({ slots });
      const planes = f.planeExplicit ? [f.plane] : [EvKind.C, EvKind.U];
      if (!f.planeExplicit) ref.omit = ['plane'];
      else if (f.plane === EvKind.U) ref.out.also = ['cplane_without_uplane'];
      else ref.out.also = ['uplane_without_cplane'];
      const last = --f.remaining <= 0;
      for (const p of planes) {
        const ts = targets(f, evs, p);
        let latest: Ev | undefined;
        for (const t of ts) {
          t.flags |= EvFlag.DROP;
          t.label = ref;
          if (!latest || t.t >= latest.t) latest = t;
        }
        if (last && latest) latest.flags |= EvFlag.GAP_END;
      }
      if (last) f.done = true;
      return;
    }
    case 'ul_symbol_burst_slow': {
      const symbol = f.num('symbol', 0);
      const ts = evs
        .filter((e) => e.kind === EvKind.U && e.dir === 1 && e.ru === f.ru && e.symbolId === symbol)
        .sort((a, b) => a.t - b.t);
      const first = ts[0];
      if (!first || ts.length < 2) return;
      const [, hi] = host.window(EvKind.U, 1);
      const room = hi * 1000 - (first.t - first.air) - 10_000;
      const spread = Math.max(0, Math.min(f.num('spread_us', 150) * 1000, room));
      const ref = f.labelFor({ spread_us: Math.round(spread) / 1000, packets: ts.length });
      ts.forEach((t, i) => {
        t.t = first.t + (spread * i) / (ts.length - 1);
        t.label = ref;
      });
      if (--f.remaining <= 0) f.done = true;
      return;
    }
    case 'ecpri_malformed':
    case 'oran_malformed': {
      const kind = f.str(
        'kind',
        f.type === 'ecpri_malformed' ? 'size' : f.plane === EvKind.C ? 'cplane_fragment' : 'section_overrun',
      );
      const mal = MALFORM_KIND[kind];
      if (mal === undefined) throw new RangeError(`${f.type}: unknown kind "${kind}"`);
      const ref = f.labelFor({ kind });
      for (const t of targets(f, evs, f.plane)) {
        if (f.remaining <= 0) break;
        t.mal = mal;
        t.label = ref;
        if (--f.remaining === 0) f.done = true;
      }
      return;
    }
    default:
      return;
  }
}

const MALFORM_KIND: Record<string, number> = {
  size: Malform.ECPRI_SIZE,
  revision: Malform.ECPRI_REVISION,
  reserved: Malform.ECPRI_RESERVED,
  concat: Malform.ECPRI_CONCAT,
  cplane_fragment: Malform.CPLANE_FRAGMENT,
  section_overrun: Malform.SECTION_OVERRUN,
  payload_version: Malform.PAYLOAD_VERSION,
};
