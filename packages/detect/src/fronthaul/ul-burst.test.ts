import { DecodedPacket } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../framework/detector.js';
import { OPEN_BURSTS, ulBurstDetector, UlBurstDetector } from './ul-burst.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

const T0 = 1_767_225_600_000_000_000n;
const US = 1000n;

function uplane(
  index: number,
  ts: bigint,
  eaxc: number,
  symbolId: number,
  dl = false,
  slotId = 0,
  subframeId = 0,
): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = ts;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = 'u';
  o.eaxc = eaxc;
  o.ruPortId = eaxc & 15;
  o.dataDirection = dl ? 1 : 0;
  o.frameId = 8;
  o.slotId = slotId;
  o.subframeId = subframeId;
  o.symbolId = symbolId;
  o.headerComplete = true;
  return p;
}

function run(packets: DecodedPacket[], profile: Profile | undefined = undefined, thresholds = {}): Occurrence[] {
  const occ: Occurrence[] = [];
  const ctx: DriverContext = { profile, thresholds, report: (o) => occ.push(o), metric: () => {} };
  const d = ulBurstDetector.create({ profile, thresholds });
  for (const p of packets) feed(d, p, ctx);
  end(d, ctx);
  return occ;
}

describe('ul_symbol_burst_slow', () => {
  it('a spread of exactly max_spread_us (50 µs) is fine, 1 ns more is slow', () => {
    expect(run([uplane(1, T0, 0, 0), uplane(2, T0 + 50n * US, 1, 0)])).toEqual([]);
    const occ = run([uplane(1, T0, 0, 0), uplane(2, T0 + 20n * US, 0, 0), uplane(3, T0 + 50n * US + 1n, 1, 0)]);
    expect(occ.map((o) => [o.packetIndex, o.packetCount])).toEqual([[1, 3]]);
    expect(occ[0]!.evidence).toMatchObject({
      spread_us: 50.001,
      max_spread_us: 50,
      packets: 3,
      last_packet: 3,
      ru_ports_mask: 3,
    });
    expect(occ[0]!.flow).toMatchObject({ plane: 'u', direction: 'ul', cc: 0 });
    expect(occ[0]!.flow?.eaxc).toBeUndefined(); // two RU ports
    expect(occ[0]!.endTsNs).toBe(T0 + 50n * US + 1n);
    expect(occ[0]!.radio).toEqual({ frame_id: 8, subframe_id: 0, slot_id: 0, symbol_id: 0 });
  });

  it('groups RU ports of one carrier; other carriers, symbols and DL are separate bursts', () => {
    const occ = run([
      uplane(1, T0, 0x0010, 0),
      uplane(2, T0 + 60n * US, 0x0020, 0), // another CC: its own burst of one packet
      uplane(3, T0 + 70n * US, 0x0011, 1), // another symbol
      uplane(4, T0 + 80n * US, 0x0010, 0, true), // DL
    ]);
    expect(occ).toEqual([]);
  });

  it('keeps PRACH (filterIndex ≠ 0) packets apart from the symbol burst of the same symbolId', () => {
    const prach = uplane(2, T0 + 200n * US, 1, 0);
    prach.oran.filterIndex = 1;
    expect(run([uplane(1, T0, 0, 0), prach, uplane(3, T0 + 10n * US, 1, 0)])).toEqual([]);
    const late = uplane(4, T0 + 400n * US, 0, 0);
    late.oran.filterIndex = 1;
    const occ = run([uplane(1, T0, 0, 0), prach, late]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.filter_index])).toEqual([[2, 1]]);
  });

  it('max_spread_us is a threshold option', () => {
    const pk = [uplane(1, T0, 0, 0), uplane(2, T0 + 30n * US, 1, 0)];
    expect(run(pk)).toEqual([]);
    expect(run(pk, undefined, { ul_symbol_burst_slow: { max_spread_us: 20 } }).length).toBe(1);
  });

  it('uses the profile eAxC split to tell RU ports from carriers', () => {
    // ru_port 8 bits: 0x0100 and 0x0101 are ports of one carrier; with the default 4 bits they are too,
    // but 0x0110 is a different carrier only with 4 bits
    const pk = [uplane(1, T0, 0x0100, 0), uplane(2, T0 + 60n * US, 0x0110, 0)];
    expect(run(pk)).toEqual([]);
    expect(run(pk, { eaxc_bits: { du_port: 2, band_sector: 2, cc: 4, ru_port: 8 } }).length).toBe(1);
  });

  it('keeps a bounded ring of open bursts, closing them as time passes', () => {
    const d = new UlBurstDetector(undefined, {});
    const occ: Occurrence[] = [];
    const ctx: DriverContext = { profile: undefined, thresholds: {}, report: (o) => occ.push(o), metric: () => {} };
    let i = 1;
    for (let s = 0; s < 10_000; s++) {
      const ts = T0 + BigInt(s) * 36n * US;
      const slot = Math.floor(s / 14) % 2;
      const sf = Math.floor(s / 28) % 10;
      feed(d, uplane(i++, ts, 0, s % 14, false, slot, sf), ctx);
      feed(d, uplane(i++, ts + 3n * US, 1, s % 14, false, slot, sf), ctx);
    }
    end(d, ctx);
    expect(occ).toEqual([]);
    expect(d.judged).toBe(10_000);
    expect(OPEN_BURSTS).toBe(64);
  });
});
