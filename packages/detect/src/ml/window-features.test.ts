import { describe, expect, it } from 'vitest';
import { DecodedPacket } from '@l1t/capture';
import { fillOranPacket, T0_NS } from '../framework/test-support/packets.js';
import { WINDOW_FEATURES, WindowFeatureExtractor, type WindowRow } from './window-features.js';
import { FronthaulStage } from '../framework/fronthaul-stage.js';

const F = (name: (typeof WINDOW_FEATURES)[number]): number => WINDOW_FEATURES.indexOf(name);

interface Spec {
  us: number;
  plane: 'c' | 'u';
  direction: 'dl' | 'ul';
  seq: number;
  slot: number;
  size?: number;
}

/**
 * One eAxC for 0.35 s: every 500 µs a "slot" with a UL C-plane request, five DL U-plane packets 100 µs
 * apart and, 200 µs after the request, the UL U-plane response — except the responses of slots 1500 and
 * 1510 (window 2), which never come. DL sequence ids skip 3 ids once in window 1.
 */
function traffic(slots = 700): Spec[] {
  const out: Spec[] = [];
  let dlSeq = 0;
  let ulCSeq = 0;
  let ulUSeq = 0;
  for (let slot = 0; slot < slots; slot++) {
    const t = slot * 500;
    out.push({ us: t, plane: 'c', direction: 'ul', seq: ulCSeq++, slot });
    for (let k = 0; k < 5; k++) {
      if (slot === 300 && k === 0) dlSeq += 3;
      out.push({ us: t + 10 + k * 100, plane: 'u', direction: 'dl', seq: dlSeq++, slot, size: 1000 });
    }
    if (slot !== 500 && slot !== 510)
      out.push({ us: t + 200, plane: 'u', direction: 'ul', seq: ulUSeq++, slot, size: 500 });
  }
  return out.sort((a, b) => a.us - b.us);
}

/** Feeds decoded packets to an extractor through the fronthaul stage (which resolves each message's flow). */
function staged(x: WindowFeatureExtractor): FronthaulStage {
  return new FronthaulStage({ message: (m) => x.onMessage(m), slot: () => {}, evicted: () => {} });
}

function extract(specs: Spec[]): WindowRow[] {
  const x = new WindowFeatureExtractor({ windowMs: 100, mu: 1 });
  const stage = staged(x);
  const p = new DecodedPacket();
  specs.forEach((s, i) => {
    fillOranPacket(p, {
      index: i + 1,
      tsNs: T0_NS + BigInt(s.us * 1000),
      plane: s.plane,
      direction: s.direction,
      seq: s.seq,
      eaxc: 1,
      frameId: Math.floor(s.slot / 20) & 0xff,
      subframeId: Math.floor(s.slot / 2) % 10,
      slotId: s.slot % 2,
    });
    p.data = new Uint8Array(s.size ?? 64);
    stage.onPacket(p);
  });
  x.finish();
  expect(x.units).toHaveLength(1);
  return x.units[0]!.rows;
}

describe('window features', () => {
  const rows = extract(traffic());

  it('drops the start-up window and the window cut short by the end of the capture', () => {
    // windows 0..3 exist; 0 is the unit's start-up, 3 covers 0.35 − 0.3 = 50 % only
    expect(rows.map((r) => r.window)).toEqual([1, 2]);
  });

  it('counts DU→RU (C-plane and DL U-plane) and RU→DU (UL U-plane) packets, their ratio and rate', () => {
    const r = rows[0]!.features;
    expect(r[F('du_to_ru_packets')]).toBe(200 * 6);
    expect(r[F('ru_to_du_packets')]).toBe(200);
    expect(r[F('ru_du_ratio')]).toBeCloseTo(200 / 1200, 6);
    expect(r[F('packet_rate')]).toBe(1400 * 10);
  });

  it('measures inter-arrival, gaps, sizes and the response time of UL C-plane requests', () => {
    const r = rows[0]!.features;
    expect(r[F('du_iat_mean_us')]).toBeCloseTo(100_000 / 1200, 0);
    expect(r[F('du_gap_max_us')]).toBeCloseTo(100, 6);
    expect(r[F('du_gap_min_us')]).toBeCloseTo(10, 6);
    expect(r[F('ru_gap_max_us')]).toBeCloseTo(500, 6);
    expect(r[F('response_time_us')]).toBeCloseTo(200, 6);
    expect(r[F('size_mean')]).toBeCloseTo((1000 * 1000 + 500 * 200 + 64 * 200) / 1400, 6);
    expect(r[F('size_std')]).toBeGreaterThan(0);
  });

  it('a request whose response could still come after the end of the capture is not missing', () => {
    // 0.4 s (windows 1–3 kept, 3 fully covered); the last request, 450 µs before the last packet, has no
    // response in the capture: within RESPONSE_TIMEOUT_NS of the end, so not counted
    const specs = traffic(800).filter((s) => !(s.slot === 799 && s.plane === 'u' && s.direction === 'ul'));
    const last = extract(specs).find((r) => r.window === 3)!;
    expect(last.features[F('missing_responses')]).toBe(0);
  });

  it('counts missing responses and skipped sequence ids in their window', () => {
    expect(rows[0]!.features[F('seq_missing')]).toBe(3);
    expect(rows[1]!.features[F('seq_missing')]).toBe(0);
    expect(rows[0]!.features[F('missing_responses')]).toBe(0);
    expect(rows[1]!.features[F('missing_responses')]).toBe(2);
    // a missing response is one RU→DU gap of 1000 µs
    expect(rows[1]!.features[F('ru_gap_max_us')]).toBeCloseTo(1000, 6);
  });

  it('matches each request once, also a slot key requested again right after its response', () => {
    // every slot at the same radio position (one key, requested again 500 µs after being answered), with three
    // UL U-plane messages each: the first answers the request, the other two find none pending
    const specs: Spec[] = [];
    let dl = 0;
    let c = 0;
    let ul = 0;
    for (let slot = 0; slot < 700; slot++) {
      const t = slot * 500;
      specs.push({ us: t, plane: 'c', direction: 'ul', seq: c++, slot: 0 });
      for (let k = 0; k < 5; k++)
        specs.push({ us: t + 10 + k * 100, plane: 'u', direction: 'dl', seq: dl++, slot: 0, size: 1000 });
      for (let k = 0; k < 3; k++)
        specs.push({ us: t + 200 + k * 50, plane: 'u', direction: 'ul', seq: ul++, slot: 0, size: 500 });
    }
    const r = extract(specs.sort((a, b) => a.us - b.us));
    expect(r.map((w) => w.window)).toEqual([1, 2]);
    for (const w of r) {
      expect(w.features[F('ru_to_du_packets')]).toBe(600);
      expect(w.features[F('missing_responses')]).toBe(0);
      expect(w.features[F('response_time_us')]).toBeCloseTo(200, 6);
    }
  });

  it('a silent window between two active ones is a row with zero packets', () => {
    const specs = traffic(900).filter((s) => s.us < 200_000 || s.us >= 300_000);
    const r = extract(specs);
    expect(r.map((w) => w.window)).toEqual([1, 2, 3]);
    expect(r[1]!.packets).toBe(0);
    expect(r[2]!.features[F('du_gap_max_us')]).toBeGreaterThan(100_000);
  });

  it('silent windows right after the first window start where their window does (findings cite them)', () => {
    // the unit's packets: window 0, then none until window 3 — the silent rows follow window 0
    const specs = traffic(900).filter((s) => s.us < 100_000 || s.us >= 300_000);
    const r = extract(specs);
    expect(r.map((w) => w.window)).toEqual([1, 2, 3]);
    expect(r.map((w) => w.startNs)).toEqual([1n, 2n, 3n].map((k) => T0_NS + k * 100_000_000n));
  });

  it('separates units by eAxC and by DU/RU MAC pair', () => {
    const x = new WindowFeatureExtractor({ windowMs: 100, mu: 1 });
    const stage = staged(x);
    const p = new DecodedPacket();
    for (const [i, eaxc] of [0, 1, 0, 1].entries()) {
      fillOranPacket(p, { index: i + 1, seq: i, eaxc });
      stage.onPacket(p);
    }
    expect(x.units.map((u) => u.identity.eaxc)).toEqual([0, 1]);
  });
});
