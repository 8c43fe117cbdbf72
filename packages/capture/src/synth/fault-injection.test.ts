import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from './capture-writer.js';
import { parseFaultSpec } from './fault-spec.js';
import type { FronthaulConfigInput } from './fronthaul-config.js';
import { DEFAULT_WINDOWS_US } from './fronthaul-config.js';
import { synthFronthaul } from './fronthaul-synth.js';
import type { FaultLabel } from './synth-events.js';
import type { Decoded } from './test-support/synth-reader.js';
import { decode, expectedAirNs, readRecords, tsharkAvailable, tsharkFields } from './test-support/synth-reader.js';
import { isoNs } from './timestamp.js';

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-faults-'));
const NRB = 12;
const PRB_BYTES = 28;

function run(
  cfg: FronthaulConfigInput,
  spec: string,
  seed = 5,
): { bytes: Uint8Array; pkts: Decoded[]; labels: FaultLabel[] } {
  const synth = synthFronthaul(cfg, parseFaultSpec(spec), seed);
  const chunks: Uint8Array[] = [];
  for (let c = synth.next(); c; c = synth.next()) chunks.push(c);
  const bytes = concatBytes(chunks);
  return {
    bytes,
    pkts: readRecords(bytes).map((r) => decode(r, PRB_BYTES, cfg.nrb ?? 273)),
    labels: [...synth.labels],
  };
}

const FH_SPEC = [
  'seq_gap@0.10:count=3',
  'seq_duplicate@0.15:eaxc=1',
  'seq_reorder@0.20',
  'rx_window_late@0.25',
  'rx_window_early@0.30:dir=ul',
  'uplane_without_cplane@0.35',
  'cplane_without_uplane@0.40:eaxc=1',
  'prb_out_of_range@0.45',
  'compression_mismatch@0.50',
  'iq_saturation@0.55',
  'iq_zero@0.60:slots=20',
  'iq_power_drop@0.70:slots=40',
  'traffic_gap@0.80:eaxc=1,slots=10',
  'ul_symbol_burst_slow@0.90',
  'ecpri_malformed@0.95',
  'oran_malformed@1.00',
  'seq_gap@1.05:eaxc=1,count=2,mode=drop',
  'ecpri_delay_budget@1.10',
  'compression_mismatch@1.15:dir=ul',
  'rx_window_late@1.20:plane=c',
].join(';');

const FH_CFG: FronthaulConfigInput = {
  scsKhz: 15,
  nrb: NRB,
  eaxc: { dl: [0, 1], ul: [0, 1] },
  durationS: 1.3,
  format: 'pcapng',
};

function key(p: Decoded): string {
  return `${p.kind}/${p.dl ? 'dl' : 'ul'}/${p.eaxc}`;
}

function previousOnFlow(pkts: Decoded[], idx: number, pred: (p: Decoded) => boolean = () => true): Decoded | undefined {
  const p = pkts[idx - 1]!;
  for (let i = idx - 2; i >= 0; i--) {
    const q = pkts[i]!;
    if (key(q) === key(p) && pred(q)) return q;
  }
  return undefined;
}

function offsetFromAirUs(p: Decoded): number {
  return Number(p.tsNs - expectedAirNs(0, p.frameId!, p.subframeId!, p.slotId!, p.symbolId!, p.tsNs)) / 1000;
}

function offsetFromAirUs30(p: Decoded): number {
  return Number(p.tsNs - expectedAirNs(1, p.frameId!, p.subframeId!, p.slotId!, p.symbolId!, p.tsNs)) / 1000;
}

function sameSlot(a: Decoded, b: Decoded): boolean {
  return (
    a.dl === b.dl &&
    a.eaxc === b.eaxc &&
    a.frameId === b.frameId &&
    a.subframeId === b.subframeId &&
    a.slotId === b.slotId
  );
}

describe('fault injection: fronthaul faults with ground truth', () => {
  const { bytes, pkts, labels } = run(FH_CFG, FH_SPEC);
  const byType = (t: string, n = 0): FaultLabel => {
    const l = labels.filter((x) => x.type === t)[n];
    if (!l) throw new Error(`no label ${t}`);
    return l;
  };
  const at = (l: FaultLabel): Decoded => pkts[l.packet_index - 1]!;

  it('labels every injected fault once, in packet order, with the packet timestamp, flow and radio keys', () => {
    expect(labels.map((l) => l.type).sort()).toEqual(
      parseFaultSpec(FH_SPEC)
        .map((f) => f.type)
        .sort(),
    );
    const idx = labels.map((l) => l.packet_index);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    for (const l of labels) {
      const p = at(l);
      const sec = Number(p.tsNs / 1_000_000_000n);
      expect(l.timestamp).toBe(isoNs(sec, Number(p.tsNs - BigInt(sec) * 1_000_000_000n)));
      expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      if (p.kind === 'u' || p.kind === 'c') {
        if (l.flow.plane !== undefined) expect(l.flow.plane).toBe(p.kind);
        expect(l.flow.direction).toBe(p.dl ? 'dl' : 'ul');
        if (l.type !== 'ul_symbol_burst_slow') expect(l.flow.eaxc).toBe(p.eaxc);
        expect(l.radio).toEqual({
          frame_id: p.frameId,
          subframe_id: p.subframeId,
          slot_id: p.slotId,
          symbol_id: p.symbolId,
        });
      }
      expect(l.packet_count).toBeGreaterThanOrEqual(1);
      expect(l.source).toBe(l.type === 'ecpri_delay_budget' ? 'timing' : 'fronthaul');
    }
  });

  it('sequence faults: gap (skip and drop), duplicate, reorder', () => {
    const gap = at(byType('seq_gap'));
    expect(gap.seq).toBe(((previousOnFlow(pkts, gap.index)!.seq ?? 0) + 4) & 0xff);
    expect(byType('seq_gap').params).toMatchObject({
      missing: 3,
      got_seq: gap.seq,
      expected_seq: (gap.seq! + 253) & 0xff,
    });
    const drop = at(byType('seq_gap', 1));
    expect(drop.eaxc).toBe(1);
    expect(drop.seq).toBe(((previousOnFlow(pkts, drop.index)!.seq ?? 0) + 3) & 0xff);
    const dup = at(byType('seq_duplicate'));
    const orig = previousOnFlow(pkts, dup.index)!;
    expect(dup.seq).toBe(orig.seq);
    expect(dup.symbolId).toBe(orig.symbolId);
    expect(dup.eaxc).toBe(1);
    const lag = at(byType('seq_reorder'));
    const lead = previousOnFlow(pkts, lag.index)!;
    expect(lag.seq).toBe(((lead.seq ?? 0) - 1) & 0xff);
    expect(lag.symbolId).toBeLessThanOrEqual(lead.symbolId!);
  });

  it('window faults land outside the window they name, everything else inside', () => {
    const late = at(byType('rx_window_late'));
    expect(-offsetFromAirUs(late)).toBeLessThan(DEFAULT_WINDOWS_US.dl_uplane[0]);
    const early = at(byType('rx_window_early'));
    expect(early.kind).toBe('u');
    expect(early.dl).toBe(false);
    expect(offsetFromAirUs(early)).toBeLessThan(DEFAULT_WINDOWS_US.ul_uplane[0]);
    const lateC = at(byType('rx_window_late', 1));
    expect(lateC.kind).toBe('c');
    expect(-offsetFromAirUs(lateC)).toBeLessThan(DEFAULT_WINDOWS_US.dl_cplane[0]);
    const labelled = new Set(
      labels
        .filter((l) => l.type.startsWith('rx_window') || l.type === 'ul_symbol_burst_slow')
        .map((l) => l.packet_index),
    );
    const outside = pkts.filter((p) => {
      if (p.kind !== 'u' && p.kind !== 'c') return false;
      const d = offsetFromAirUs(p);
      const w =
        p.kind === 'c'
          ? DEFAULT_WINDOWS_US.dl_cplane
          : p.dl
            ? DEFAULT_WINDOWS_US.dl_uplane
            : DEFAULT_WINDOWS_US.ul_uplane;
      return p.kind === 'u' && !p.dl ? d < w[0] || d > w[1] : -d < w[0] || -d > w[1];
    });
    expect(outside.map((p) => p.index).filter((i) => !labelled.has(i))).toEqual([]);
  });

  it('coupling faults: a slot without C-plane, a slot without U-plane', () => {
    const u = at(byType('uplane_without_cplane'));
    expect(u.kind).toBe('u');
    expect(pkts.some((p) => p.kind === 'c' && sameSlot(p, u))).toBe(false);
    expect(byType('uplane_without_cplane').packet_count).toBe(14);
    const c = at(byType('cplane_without_uplane'));
    expect(c.kind).toBe('c');
    expect(pkts.some((p) => p.kind === 'u' && sameSlot(p, c))).toBe(false);
  });

  it('PRB range, compression header and malformed messages', () => {
    const prb = at(byType('prb_out_of_range'));
    expect(prb.startPrb! + prb.numPrb!).toBeGreaterThan(NRB);
    const dlHdr = at(byType('compression_mismatch'));
    expect(dlHdr.kind === 'c' && dlHdr.dl && dlHdr.udCompHdr).toBe(0x91);
    const ulHdr = at(byType('compression_mismatch', 1));
    expect(ulHdr.kind === 'c' && !ulHdr.dl && ulHdr.udCompHdr).toBe(0xe1);
    const ecpri = at(byType('ecpri_malformed'));
    expect(ecpri.ecpriSize! + 22).toBeGreaterThan(ecpri.len);
    const oran = at(byType('oran_malformed'));
    expect(oran.kind).toBe('c');
    expect(oran.eBit).toBe(0);
  });

  it('IQ faults: clipped BFP, all-zero PRBs for 20 slots, a 20 dB power drop', () => {
    const sat = at(byType('iq_saturation'));
    const exps = sat.exponents!;
    expect(exps.filter((e) => e === 7).length / exps.length).toBeGreaterThan(0.01);
    const zero = byType('iq_zero');
    const zeroPkts = pkts.filter((p) => p.kind === 'u' && p.dl && p.eaxc === 0 && p.prbData!.every((b) => b === 0));
    expect(zeroPkts[0]?.index).toBe(zero.packet_index);
    expect(zeroPkts.length).toBe(20 * 14);
    expect(zero.packet_count).toBe(20 * 14);
    const drop = byType('iq_power_drop');
    const meanExp = (ps: Decoded[]): number =>
      ps.flatMap((p) => p.exponents!).reduce((a, b) => a + b, 0) / ps.flatMap((p) => p.exponents!).length;
    const flow = pkts.filter((p) => p.kind === 'u' && p.dl && p.eaxc === 0);
    const i0 = flow.findIndex((p) => p.index === drop.packet_index);
    const during = flow.slice(i0, i0 + drop.packet_count);
    const before = flow.slice(i0 - 200, i0);
    expect(meanExp(before) - meanExp(during)).toBeGreaterThan(3); // 20 dB ≈ 3.3 bits
  });

  it('traffic gap: the eAxC × direction is silent for > 4 slots, label on the first packet after', () => {
    const l = byType('traffic_gap');
    expect(l.flow.plane).toBeUndefined();
    const p = at(l);
    const sameFlow = pkts.filter(
      (q) => (q.kind === 'u' || q.kind === 'c') && q.dl && q.eaxc === 1 && q.index < p.index,
    );
    const prev = sameFlow.at(-1)!;
    expect(Number(p.tsNs - prev.tsNs) / 1e6).toBeGreaterThan(4);
  });

  it('slow UL burst: one symbol spread over > 100 µs inside the UL window', () => {
    const l = byType('ul_symbol_burst_slow');
    const first = at(l);
    const burst = pkts.filter(
      (p) =>
        p.kind === 'u' &&
        !p.dl &&
        p.frameId === first.frameId &&
        p.subframeId === first.subframeId &&
        p.slotId === first.slotId &&
        p.symbolId === first.symbolId,
    );
    const spread = Number(burst.at(-1)!.tsNs - burst[0]!.tsNs) / 1000;
    expect(spread).toBeGreaterThan(100);
    expect(burst[0]!.index).toBe(l.packet_index);
  });

  it('eCPRI one-way delay measurement beyond the budget', () => {
    const l = byType('ecpri_delay_budget');
    const resp = at(l);
    expect(resp.kind === 'owd' && resp.owdAction).toBe(2);
    const req = pkts.find((p) => p.kind === 'owd' && p.owdAction === 0 && p.owdId === resp.owdId)!;
    const ns = (t: { sec: number; nsec: number }): number => t.sec * 1e9 + t.nsec;
    expect((ns(resp.ptpTs!) - ns(req.ptpTs!)) / 1000).toBeCloseTo(500, 0);
    const others = pkts.filter((p) => p.kind === 'owd' && p.owdAction === 2 && p.index !== resp.index);
    for (const o of others) {
      const r = pkts.find((p) => p.kind === 'owd' && p.owdAction === 0 && p.owdId === o.owdId)!;
      expect((ns(o.ptpTs!) - ns(r.ptpTs!)) / 1000).toBeLessThan(100);
    }
  });

  it.runIf(HAVE_TSHARK)('tshark sees the faults at the labelled frames', () => {
    const file = join(dir, 'faults.pcapng');
    writeFileSync(file, bytes);
    const rows = tsharkFields(file, [
      'frame.number',
      'oran_fh_cus.sequence_id',
      'oran_fh_cus.e_bit',
      'oran_fh_cus.udCompHdrWidth',
      'ecpri.type',
      'ecpri.actiontype',
      'frame.comment',
    ]);
    for (const l of labels) expect(rows[l.packet_index - 1]![6]).toContain(`l1t synth fault: ${l.type}@`);
    const row = (l: FaultLabel): string[] => rows[l.packet_index - 1]!;
    expect(row(byType('oran_malformed'))[2]).toBe('0');
    expect(row(byType('compression_mismatch', 1))[3]).toBe('14');
    expect(row(byType('ecpri_delay_budget')).slice(4, 6)).toEqual(['0x05', '0x02']);
    expect(Number(row(byType('seq_duplicate'))[1])).toBe(pkts[byType('seq_duplicate').packet_index - 1]!.seq);
  });
});

describe('fault injection: PTP faults', () => {
  const cfg: FronthaulConfigInput = { scsKhz: 15, nrb: 6, eaxc: { dl: [0], ul: [] }, durationS: 4.2, format: 'pcapng' };
  const spec =
    'ptp_sync_gap@0.5;ptp_announce_timeout@1.5;ptp_gm_change@2.8;ptp_clock_degraded@3.2;ptp_time_error@3.6:count=4';
  const { pkts, labels } = run(cfg, spec);
  const ptp = pkts.filter((p) => p.kind === 'ptp');
  const label = (t: string): FaultLabel => labels.find((l) => l.type === t)!;
  const prev = (p: Decoded, type: number): Decoded | undefined =>
    ptp.filter((q) => q.ptpType === type && q.index < p.index).at(-1);

  it('labels all five, with the timing source and the PTP port as flow', () => {
    expect(labels.map((l) => l.type)).toEqual([
      'ptp_sync_gap',
      'ptp_announce_timeout',
      'ptp_gm_change',
      'ptp_clock_degraded',
      'ptp_time_error',
    ]);
    for (const l of labels) {
      expect(l.source).toBe('timing');
      expect(l.flow.plane).toBe('s');
      expect(String(l.flow.ptp_port)).toMatch(/^[0-9a-f]{16}-1$/);
    }
  });

  it('sync gap and announce timeout: the first message after a silence beyond 3 intervals', () => {
    const s = pkts[label('ptp_sync_gap').packet_index - 1]!;
    expect(s.ptpType).toBe(0);
    expect(Number(s.tsNs - prev(s, 0)!.tsNs) / 1e6).toBeGreaterThan(3 * 62.5);
    const a = pkts[label('ptp_announce_timeout').packet_index - 1]!;
    expect(a.ptpType).toBe(0xb);
    expect(Number(a.tsNs - prev(a, 0xb)!.tsNs) / 1e6).toBeGreaterThan(3 * 125);
    // everywhere else the intervals are nominal
    const syncs = ptp.filter((p) => p.ptpType === 0 && p.index !== s.index);
    for (let i = 1; i < syncs.length; i++) {
      if (syncs[i]!.index === s.index) continue;
      const gap = Number(syncs[i]!.tsNs - syncs[i - 1]!.tsNs) / 1e6;
      if (syncs[i - 1]!.index < s.index && syncs[i]!.index > s.index) continue;
      expect(gap).toBeCloseTo(62.5, 3);
    }
  });

  it('grandmaster change and clock class degradation on the Announce that carries them', () => {
    const g = pkts[label('ptp_gm_change').packet_index - 1]!;
    expect(g.gm).not.toBe(prev(g, 0xb)!.gm);
    expect(ptp.filter((p) => p.ptpType === 0xb && p.index > g.index).every((p) => p.gm === g.gm)).toBe(true);
    const c = pkts[label('ptp_clock_degraded').packet_index - 1]!;
    expect(prev(c, 0xb)!.clockClass).toBe(6);
    expect(c.clockClass).toBe(7);
  });

  it('time error: complete exchanges give a 1.5 µs offset where labelled, ~0 elsewhere', () => {
    const tai = (t: { sec: number; nsec: number }): bigint => BigInt(t.sec - 37) * 1_000_000_000n + BigInt(t.nsec);
    const offsets: { idx: number; off: number }[] = [];
    for (const fu of ptp.filter((p) => p.ptpType === 8)) {
      const sync = ptp.find((p) => p.ptpType === 0 && p.ptpSeq === fu.ptpSeq && p.index < fu.index)!;
      const req = ptp.find((p) => p.ptpType === 1 && p.index > fu.index);
      const resp = req && ptp.find((p) => p.ptpType === 9 && p.ptpSeq === req.ptpSeq);
      if (!sync || !req || !resp) continue;
      const off = Number(sync.tsNs - tai(fu.ptpTs!) - (tai(resp.ptpTs!) - req.tsNs)) / 2;
      offsets.push({ idx: fu.index, off });
    }
    const l = label('ptp_time_error');
    const bad = offsets.filter((o) => Math.abs(o.off) > 1100);
    expect(bad.map((o) => o.idx)[0]).toBe(l.packet_index);
    expect(bad).toHaveLength(4);
    for (const b of bad) expect(b.off).toBeCloseTo(1500, -1);
    expect(offsets.filter((o) => Math.abs(o.off) > 1100 || Math.abs(o.off) < 2)).toHaveLength(offsets.length);
  });
});

describe('fault injection: triggers', () => {
  it('starts a fault at a packet index', () => {
    const { labels } = run(
      { scsKhz: 15, nrb: 6, eaxc: { dl: [0], ul: [] }, durationS: 0.1, ptp: false },
      'seq_duplicate@#500',
    );
    expect(labels).toHaveLength(1);
    expect(labels[0]!.packet_index).toBeGreaterThan(500);
    expect(labels[0]!.packet_index).toBeLessThan(600);
  });

  it('reorders C-plane sequence ids across consecutive slots', () => {
    const { pkts, labels } = run(
      { scsKhz: 30, nrb: 6, eaxc: { dl: [0], ul: [] }, durationS: 0.05, ptp: false },
      'seq_reorder@0.02:plane=c',
    );
    const l = labels[0]!;
    const lag = pkts[l.packet_index - 1]!;
    expect(lag.kind).toBe('c');
    expect(lag.seq).toBe(((previousOnFlow(pkts, lag.index)!.seq ?? 0) - 1) & 0xff);
  });

  it('keeps capture time order with a far-early packet', () => {
    const { pkts, labels } = run(
      { scsKhz: 30, nrb: 6, eaxc: { dl: [0], ul: [0] }, durationS: 0.05 },
      'rx_window_early@0.02:plane=c,offset_us=2000',
    );
    expect(labels).toHaveLength(1);
    for (let i = 1; i < pkts.length; i++) expect(pkts[i]!.tsNs >= pkts[i - 1]!.tsNs).toBe(true);
    const p = pkts[labels[0]!.packet_index - 1]!;
    expect(-offsetFromAirUs30(p)).toBeGreaterThan(2900);
  });

  it('reports the faults the capture was too short to carry', () => {
    const synth = synthFronthaul(
      { scsKhz: 15, nrb: 6, eaxc: { dl: [0], ul: [] }, durationS: 0.05 },
      parseFaultSpec('seq_gap@0.01;iq_zero@0.5'),
    );
    for (let c = synth.next(); c; c = synth.next());
    expect(synth.labels.map((l) => l.type)).toEqual(['seq_gap']);
    expect(synth.unappliedFaults()).toEqual([{ type: 'iq_zero', at: 0.5 }]);
  });

  it('labels a gap that runs past the end of the capture at the last packet', () => {
    const synth = synthFronthaul(
      { scsKhz: 15, nrb: 6, eaxc: { dl: [0], ul: [] }, durationS: 0.6 },
      parseFaultSpec('ptp_announce_timeout@0.2'),
    );
    const chunks: Uint8Array[] = [];
    for (let c = synth.next(); c; c = synth.next()) chunks.push(c);
    const recs = readRecords(concatBytes(chunks));
    expect(synth.labels).toHaveLength(1);
    const l = synth.labels[0]!;
    expect(l.packet_index).toBe(recs.length);
    expect(l.params.until_end).toBe(1);
    expect(l.flow.plane).toBe('s');
    expect(synth.unappliedFaults()).toEqual([]);
  });

  it('rejects a fault on an eAxC that is not configured', () => {
    expect(() => synthFronthaul({ eaxc: { dl: [0], ul: [] } }, parseFaultSpec('seq_gap@0.1:eaxc=7'))).toThrow(/eAxC 7/);
  });
});
