import { DecodedPacket } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../framework/detector.js';
import { couplingDetector, CouplingDetector, MAX_OPEN_SLOTS } from './coupling.js';
import { prbSetCovers } from './coupling-slot.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

const T0 = 1_767_225_600_000_000_000n;
const MS = 1_000_000n;

interface Radio {
  eaxc?: number;
  dl?: boolean;
  frameId?: number;
  subframeId?: number;
  slotId?: number;
  symbolId: number;
}
interface CSec {
  id: number;
  startPrb?: number;
  numPrb?: number;
  numSymbol?: number;
  rb?: number;
  reMask?: number;
  symInc?: number;
}
interface USec {
  id: number;
  startPrb?: number;
  numPrb?: number;
  rb?: number;
}

function base(p: DecodedPacket, index: number, ts: bigint, r: Radio, plane: 'c' | 'u'): void {
  p.index = index;
  p.tsNs = ts;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = plane;
  o.eaxc = r.eaxc ?? 0;
  o.dataDirection = r.dl === false ? 0 : 1;
  o.frameId = r.frameId ?? 8;
  o.subframeId = r.subframeId ?? 0;
  o.slotId = r.slotId ?? 0;
  o.symbolId = r.symbolId;
  o.headerComplete = true;
}

function cplane(index: number, ts: bigint, r: Radio, sections: CSec[], sectionType = 1): DecodedPacket {
  const p = new DecodedPacket();
  base(p, index, ts, r, 'c');
  p.oran.sectionType = sectionType;
  p.oran.sectionCount = sections.length;
  sections.forEach((s, i) => {
    const c = p.oran.cSection(i);
    c.sectionId = s.id;
    c.startPrbc = s.startPrb ?? 0;
    c.numPrbc = s.numPrb ?? 51;
    c.numSymbol = s.numSymbol ?? 14;
    c.rb = s.rb ?? 0;
    c.reMask = s.reMask ?? 0xfff;
    c.symInc = s.symInc ?? 0;
  });
  return p;
}

function uplane(index: number, ts: bigint, r: Radio, sections: USec[]): DecodedPacket {
  const p = new DecodedPacket();
  base(p, index, ts, r, 'u');
  p.oran.sectionCount = sections.length;
  sections.forEach((s, i) => {
    const u = p.oran.uSection(i);
    u.sectionId = s.id;
    u.startPrbu = s.startPrb ?? 0;
    u.numPrbu = s.numPrb ?? 51;
    u.nPrb = s.numPrb ?? 51;
    u.rb = s.rb ?? 0;
  });
  return p;
}

/** Packets get index = position + 1; a trailing filler packet 10 ms later closes every slot. */
function run(packets: DecodedPacket[], profile: Profile | undefined = { nrb: 51 }, close = true) {
  const occ: Occurrence[] = [];
  const ctx: DriverContext = { profile, thresholds: {}, report: (o) => occ.push(o), metric: () => {} };
  const d = couplingDetector.create({ profile, thresholds: {} });
  for (const p of packets) feed(d, p, ctx);
  if (close) {
    const last = packets[packets.length - 1]!;
    feed(d, cplane(last.index + 1, last.tsNs + 10n * MS, { symbolId: 0, frameId: 200 }, [], 0), ctx);
  }
  end(d, ctx);
  return occ.sort((a, b) => a.packetIndex - b.packetIndex);
}

/** After the capture-start guard. */
const t = (ms: number): bigint => T0 + BigInt(Math.round(ms * 1e6));
const START: DecodedPacket = cplane(1, T0, { symbolId: 0, frameId: 100 }, [], 0);

describe('prbSetCovers (CUS §7.8.1, rb = every other PRB)', () => {
  it('contiguous sections', () => {
    expect(prbSetCovers(0, 51, 0, 0, 51, 0)).toBe(true);
    expect(prbSetCovers(10, 20, 0, 10, 20, 0)).toBe(true);
    expect(prbSetCovers(10, 20, 0, 9, 1, 0)).toBe(false);
    expect(prbSetCovers(10, 20, 0, 29, 1, 0)).toBe(true);
    expect(prbSetCovers(10, 20, 0, 29, 2, 0)).toBe(false);
  });
  it('every other PRB', () => {
    // C: 10, 12, …, 28
    expect(prbSetCovers(10, 10, 1, 10, 10, 1)).toBe(true);
    expect(prbSetCovers(10, 10, 1, 12, 9, 1)).toBe(true);
    expect(prbSetCovers(10, 10, 1, 12, 10, 1)).toBe(false); // reaches 30
    expect(prbSetCovers(10, 10, 1, 11, 1, 0)).toBe(false); // odd PRB
    expect(prbSetCovers(10, 10, 1, 14, 1, 0)).toBe(true);
    expect(prbSetCovers(10, 10, 1, 10, 2, 0)).toBe(false); // contiguous U in an every-other C
    // contiguous C covers an every-other U inside it
    expect(prbSetCovers(0, 20, 0, 1, 10, 1)).toBe(true);
    expect(prbSetCovers(0, 20, 0, 1, 11, 1)).toBe(false);
  });
});

describe('coupling: uplane_without_cplane', () => {
  it('a U-plane section inside its C-plane section (same slot, sectionId, symbol, PRBs) couples', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [{ id: 5, numSymbol: 14 }]),
      uplane(3, t(2.5), { symbolId: 0 }, [{ id: 5 }]),
      uplane(4, t(2.6), { symbolId: 13 }, [{ id: 5, startPrb: 50, numPrb: 1 }]),
    ]);
    expect(occ).toEqual([]);
  });

  it('a C-plane message seen after its U-plane still couples', () => {
    const occ = run([
      START,
      uplane(2, t(2), { symbolId: 0 }, [{ id: 5 }]),
      cplane(3, t(2.05), { symbolId: 0 }, [{ id: 5 }]),
    ]);
    expect(occ).toEqual([]);
  });

  it('no C-plane for the slot: one occurrence per slot at the first U-plane packet, counting the packets', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0, slotId: 1 }, [{ id: 5 }]), // another slot
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 5 }]),
      uplane(4, t(2.2), { symbolId: 1 }, [{ id: 5 }]),
      uplane(5, t(2.3), { symbolId: 2, eaxc: 1 }, [{ id: 5 }]),
      uplane(6, t(2.4), { symbolId: 0, slotId: 1 }, [{ id: 5 }]),
    ]);
    expect(occ.map((o) => [o.type, o.packetIndex, o.packetCount, o.flow?.eaxc])).toEqual([
      ['uplane_without_cplane', 3, 2, 0],
      ['uplane_without_cplane', 5, 1, 1],
    ]);
    expect(occ[0]!.evidence).toMatchObject({ reason: 'no_cplane', uplane_sections: 2, symbols: [0, 1], prbs: [0, 50] });
    expect(occ[0]!.radio).toEqual({ frame_id: 8, subframe_id: 0, slot_id: 0, symbol_id: 0 });
    expect(occ[0]!.aggregationKey).toBe('uplane_without_cplane|u|dl|eaxc=0');
    expect(occ[0]!.severity).toBe('major');
  });

  it('wrong sectionId: reported with its reason, and the C-plane section is not also reported (it got data)', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [{ id: 5 }]),
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 6 }]),
    ]);
    expect(occ.map((o) => [o.type, o.packetIndex, o.evidence.reason])).toEqual([
      ['uplane_without_cplane', 3, 'no_section_id'],
    ]);
  });

  it('symbol outside [startSymbolId, startSymbolId + numSymbol): both findings (the announced symbols got nothing)', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 2 }, [{ id: 5, numSymbol: 2 }]),
      uplane(3, t(2.1), { symbolId: 4 }, [{ id: 5 }]),
      uplane(4, t(2.1), { symbolId: 3 }, [{ id: 5 }]),
    ]);
    expect(occ.map((o) => [o.type, o.packetIndex, o.evidence.reason])).toEqual([
      ['uplane_without_cplane', 3, 'symbol_outside'],
    ]);
    const occ2 = run([
      START,
      cplane(2, t(2), { symbolId: 2 }, [{ id: 5, numSymbol: 2 }]),
      uplane(3, t(2.1), { symbolId: 1 }, [{ id: 5 }]),
    ]);
    expect(occ2.map((o) => [o.type, o.packetIndex])).toEqual([
      ['cplane_without_uplane', 2],
      ['uplane_without_cplane', 3],
    ]);
  });

  it('PRBs outside the C-plane section; the symInc of later C-plane sections moves their symbol', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [
        { id: 5, startPrb: 0, numPrb: 40, numSymbol: 1 },
        { id: 6, startPrb: 0, numPrb: 51, numSymbol: 1, symInc: 1 },
      ]),
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 5, startPrb: 30, numPrb: 11 }]),
      uplane(4, t(2.1), { symbolId: 1 }, [{ id: 6 }]),
    ]);
    expect(occ.map((o) => [o.type, o.packetIndex, o.evidence.reason])).toEqual([
      ['uplane_without_cplane', 3, 'prbs_outside'],
    ]);
  });

  it('sectionId 4095 couples by symbol and PRBs only', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [{ id: 7 }]),
      uplane(3, t(2.1), { symbolId: 3 }, [{ id: 4095, startPrb: 3, numPrb: 4 }]),
    ]);
    expect(occ).toEqual([]);
  });

  it('numPrbc 0 means all NRB of the profile: PRBs beyond NRB are not covered', () => {
    const sec = [{ id: 1, numPrb: 0 }];
    expect(
      run([
        START,
        cplane(2, t(2), { symbolId: 0 }, sec),
        uplane(3, t(2.1), { symbolId: 0 }, [{ id: 1, startPrb: 0, numPrb: 51 }]),
      ]),
    ).toEqual([]);
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, sec),
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 1, startPrb: 45, numPrb: 10 }]),
    ]);
    expect(occ.map((o) => o.evidence.reason)).toEqual(['prbs_outside']);
    // without an NRB, numPrbc 0 reaches the end of any carrier
    const open = run(
      [
        START,
        cplane(2, t(2), { symbolId: 0 }, sec),
        uplane(3, t(2.1), { symbolId: 0 }, [{ id: 1, startPrb: 45, numPrb: 10 }]),
      ],
      {},
    );
    expect(open.map((o) => [o.type, o.evidence.reason, o.packetIndex])).toEqual([]);
  });

  it('at the capture start a sectionId whose C-plane predates the capture is not judged; PRBs outside a captured section are', () => {
    // fh_ks.pcap: the C-plane of symbols 0–1 of the first full slot precedes the capture, that of symbol 2 is in it
    const c = cplane(1, T0 + 18_000n, { symbolId: 2, slotId: 1 }, [{ id: 2, numSymbol: 1 }]);
    expect(
      run([
        c,
        uplane(2, T0 + 72_000n, { symbolId: 0, slotId: 1 }, [{ id: 0 }]),
        uplane(3, T0 + 143_000n, { symbolId: 2, slotId: 1 }, [{ id: 2 }]),
      ]),
    ).toEqual([]);
    const occ = run(
      [c, uplane(2, T0 + 143_000n, { symbolId: 2, slotId: 1 }, [{ id: 2, startPrb: 0, numPrb: 52 }])],
      {},
    );
    expect(occ.map((o) => [o.type, o.evidence.reason])).toEqual([['uplane_without_cplane', 'prbs_outside']]);
  });

  it('the first slots of a capture are not judged for a missing C-plane (it may predate the capture)', () => {
    expect(
      run([uplane(1, T0, { symbolId: 0 }, [{ id: 1 }]), uplane(2, t(0.9), { symbolId: 0, slotId: 1 }, [{ id: 1 }])]),
    ).toEqual([]);
    const occ = run([
      uplane(1, T0, { symbolId: 0 }, [{ id: 1 }]),
      uplane(2, t(1.01), { symbolId: 0, slotId: 1 }, [{ id: 1 }]),
    ]);
    expect(occ.map((o) => o.packetIndex)).toEqual([2]);
  });
});

describe('coupling: cplane_without_uplane', () => {
  it('a DL C-plane section whose symbols get no U-plane data, at the C-plane packet', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [{ id: 5 }]),
      cplane(3, t(2), { symbolId: 0, eaxc: 1 }, [{ id: 5 }]),
      uplane(4, t(2.1), { symbolId: 7, eaxc: 1 }, [{ id: 5 }]),
    ]);
    expect(occ.map((o) => [o.type, o.packetIndex, o.flow?.eaxc, o.flow?.plane])).toEqual([
      ['cplane_without_uplane', 2, 0, 'c'],
    ]);
    expect(occ[0]!.evidence).toMatchObject({ cplane_sections: 1, section_ids: [5], uplane_sections_in_slot: 0 });
  });

  it('UL C-plane sections, section type 0 and reMask 0 are not expected to receive DL data', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0, dl: false }, [{ id: 5 }]),
      cplane(3, t(2), { symbolId: 0, slotId: 1 }, [{ id: 5 }], 0),
      cplane(4, t(2), { symbolId: 0, frameId: 9 }, [{ id: 5, reMask: 0 }]),
    ]);
    expect(occ).toEqual([]);
  });

  it('sections repeating a sectionId and PRBs with complementary reMasks are kept apart and both credited (fh_ks.pcap)', () => {
    const occ = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [
        { id: 3, reMask: 0xaaa, numSymbol: 1 },
        { id: 3, reMask: 0x555, numSymbol: 1 },
      ]),
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 3 }]),
    ]);
    expect(occ).toEqual([]);
    // data for one symbol only: the other announced symbol is reported, by its own section
    const occ2 = run([
      START,
      cplane(2, t(2), { symbolId: 0 }, [
        { id: 3, reMask: 0xaaa, numSymbol: 1 },
        { id: 3, reMask: 0x555, numSymbol: 1 },
        { id: 3, reMask: 0xfff, numSymbol: 1, symInc: 1 },
      ]),
      uplane(3, t(2.1), { symbolId: 0 }, [{ id: 3 }]),
    ]);
    expect(
      occ2.map((o) => [
        o.type,
        o.evidence.cplane_sections,
        (o.evidence.first_section as { start_symbol: number }).start_symbol,
      ]),
    ).toEqual([['cplane_without_uplane', 1, 1]]);
  });

  it('at the end of the capture a C-plane whose U-plane would come later is not reported', () => {
    expect(run([START, cplane(2, t(2), { symbolId: 0 }, [{ id: 5 }])], { nrb: 51 }, false)).toEqual([]);
  });
});

describe('coupling: bounded memory', () => {
  it('closes slots as capture time advances', () => {
    const profile = { nrb: 51 };
    const d = new CouplingDetector(profile, {});
    const ctx: DriverContext = { profile, thresholds: {}, report: () => {}, metric: () => {} };
    let max = 0;
    let index = 1;
    for (let g = 0; g < 20_000; g++) {
      const sf = Math.floor(g / 2);
      const r = { frameId: Math.floor(sf / 10) & 0xff, subframeId: sf % 10, slotId: g % 2 };
      const ts = T0 + BigInt(g) * 500_000n;
      feed(d, cplane(index++, ts, { ...r, symbolId: 0 }, [{ id: 1 }]), ctx);
      feed(d, uplane(index++, ts + 300_000n, { ...r, symbolId: 0 }, [{ id: 1 }]), ctx);
      max = Math.max(max, d.openSlotCount);
    }
    expect(max).toBeLessThanOrEqual(8);
  });

  it('never holds more than MAX_OPEN_SLOTS slots; those closed early for room are not judged, and said', () => {
    const profile = { nrb: 51 };
    const d = new CouplingDetector(profile, {});
    const occ: Occurrence[] = [];
    const warnings: string[] = [];
    const ctx: DriverContext = {
      profile,
      thresholds: {},
      report: (o) => occ.push(o),
      metric: () => {},
      warn: (w) => warnings.push(w),
    };
    feed(d, START, ctx);
    // 200 streams × 128 slots each (distinct table entries), all open at once (START's slot shares eAxC 0's
    // first table entry, 8 subframes earlier: judged when the entry is needed)
    let index = 1;
    for (let e = 0; e < 200; e++)
      for (let k = 0; k < 128; k++) {
        feed(d, uplane(index++, t(2), { symbolId: 0, eaxc: e, subframeId: k >> 4, slotId: k & 15 }, [{ id: 1 }]), ctx);
        expect(d.openSlotCount).toBeLessThanOrEqual(MAX_OPEN_SLOTS);
      }
    expect(d.tableCloses).toBe(1);
    expect(d.forcedCloses).toBe(25_600 - MAX_OPEN_SLOTS);
    expect(occ).toEqual([]); // nothing judged on a slot closed early: its C-plane may have been coming
    end(d, ctx);
    // the slots still open at the end are judged: U-plane without any C-plane
    expect(occ.length).toBe(MAX_OPEN_SLOTS);
    expect(occ.every((o) => o.type === 'uplane_without_cplane')).toBe(true);
    expect(warnings).toEqual([
      `coupling: ${25_600 - MAX_OPEN_SLOTS} slots closed before their time (more than ${MAX_OPEN_SLOTS} open at once): not judged`,
    ]);
  });
});
