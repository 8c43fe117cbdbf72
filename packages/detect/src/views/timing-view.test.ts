import { describe, expect, it } from 'vitest';
import { UNITS_PER_NS } from '../fronthaul/air-time.js';
import { EARLY_KIND, LATE_KIND, ON_TIME, TimingSeries } from './timing-view.js';

const US = 1000 * UNITS_PER_NS;

describe('timing series of the file page', () => {
  it('keeps every count exact while the bins coarsen to stay within 400, and says the window kind counts', () => {
    const s = new TimingSeries('u|dl|eaxc=1', 'dl_uplane');
    // 0.25 µs steps over 1 000 µs: 4 000 distinct fine bins
    for (let i = 0; i < 4000; i++) s.add(100 * US + i * 0.25 * US, i * 1000, i % 14, i % 3 === 0 ? LATE_KIND : ON_TIME);
    s.add(99 * US, 5e6, 0, EARLY_KIND);
    const j = s.toJSON();
    expect(j.counts.length).toBeLessThanOrEqual(400);
    expect(j.counts.reduce((a, b) => a + b, 0)).toBe(4001);
    expect(j).toMatchObject({ judged: 4001, late: 1334, early: 1, on_time: 2666, min_us: 99, max_us: 1099.75 });
    expect(j.bin_us).toBe(4);
    expect(j.lo_us).toBeLessThanOrEqual(99);
    expect(j.lo_us + j.counts.length * j.bin_us).toBeGreaterThan(1099.75);
  });

  it('thins the scatter to at most 4 096 points, every 2^k-th message, in time order', () => {
    const s = new TimingSeries('c|ul|eaxc=0', 'ul_cplane');
    for (let i = 0; i < 10_000; i++) s.add(300 * US, i * 1e6, 0, ON_TIME);
    const sc = s.toJSON().scatter;
    expect(sc.every).toBe(4);
    expect(sc.t_ms.length).toBe(2500);
    expect(sc.t_ms.slice(0, 3)).toEqual([0, 4, 8]);
    expect(sc.offset_us.every((v) => v === 300)).toBe(true);
  });
});

describe('timing scatter outliers', () => {
  it('keeps every late and early message while the on-time ones are thinned, in time order', () => {
    const s = new TimingSeries('u|dl|eaxc=0', 'dl_uplane');
    for (let i = 0; i < 20_000; i++) s.add(300 * US, i * 1e6, 0, i % 1000 === 7 ? LATE_KIND : ON_TIME);
    const sc = s.toJSON().scatter;
    expect(sc.kind.filter((k) => k === LATE_KIND)).toHaveLength(20);
    expect(sc.every).toBe(8);
    expect(sc.t_ms.every((t, i) => i === 0 || t >= sc.t_ms[i - 1]!)).toBe(true);
    expect(sc.t_ms[sc.kind.indexOf(LATE_KIND)]).toBe(7);
  });
});

describe('timing histogram', () => {
  it('counts each offset in the bin floor(offset / bin width) of the final width, negative offsets too', () => {
    // seeded LCG; spans grow so that the bins coarsen many times, with early (negative) offsets among them
    let x = 987654321;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const spanUs of [50, 3000, 1e6]) {
      const s = new TimingSeries('u|ul|eaxc=3', 'ul_uplane');
      const values: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const v = Math.round((rnd() - 0.3) * spanUs * US * (i / 20_000));
        values.push(v);
        s.add(v, i * 1000, i % 14, ON_TIME);
      }
      const j = s.toJSON();
      expect(j.counts.length).toBeLessThanOrEqual(400);
      const w = j.bin_us * US;
      const lo = Math.round((j.lo_us * US) / w);
      const want = new Array<number>(j.counts.length).fill(0);
      for (const v of values) want[Math.floor(v / w) - lo]!++;
      expect(j.counts).toEqual(want);
      expect(j.counts[0]).toBeGreaterThan(0);
      expect(j.counts[j.counts.length - 1]).toBeGreaterThan(0);
    }
  });
});
