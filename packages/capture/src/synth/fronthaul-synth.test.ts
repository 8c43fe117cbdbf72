import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from './capture-writer.js';
import type { FronthaulConfigInput } from './fronthaul-config.js';
import { decompressPrb } from './iq.js';
import { synthFronthaul } from './fronthaul-synth.js';
import { cleanViolations } from './test-support/clean-violations.js';
import { decode, readRecords, tsharkAvailable, tsharkFields } from './test-support/synth-reader.js';

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-fh-'));

function generate(
  cfg: FronthaulConfigInput,
  seed = 1,
): { bytes: Uint8Array; synth: ReturnType<typeof synthFronthaul> } {
  const synth = synthFronthaul(cfg, [], seed);
  const chunks: Uint8Array[] = [];
  for (const c of synth) chunks.push(c);
  return { bytes: concatBytes(chunks), synth };
}

describe('synthFronthaul: clean 100 MHz capture', () => {
  const cfg: FronthaulConfigInput = { durationS: 0.02 };
  const { bytes, synth } = generate(cfg);
  const recs = readRecords(bytes);
  const pkts = recs.map((r) => decode(r, 28, 273));

  it('carries 4 DL + 2 UL eAxC, C-plane per slot and U-plane per symbol', () => {
    const slots = synth.stats.slots;
    expect(slots).toBeGreaterThan(30);
    expect(synth.stats.cplanePackets).toBe(slots * 6);
    expect(synth.stats.uplanePackets).toBe(slots * 14 * 6);
    expect(pkts.filter((p) => p.kind === 'u').every((p) => p.len === 34 + 273 * 28)).toBe(true);
    expect(synth.labels).toEqual([]);
    expect(synth.stats.bytes).toBe(bytes.length);
    // bounded memory: a few slots of packets wait for time ordering, whatever the duration
    expect(synth.stats.peakQueue).toBeLessThan(6 * 84);
  });

  it('is clean against every fronthaul.md rule (windows, sequence, coupling, compression, IQ)', () => {
    expect(cleanViolations(pkts, 1, 273, 9)).toEqual([]);
  });

  it('carries two-step PTP with a zero slave offset', () => {
    const ptp = pkts.filter((p) => p.kind === 'ptp');
    const sync = ptp.filter((p) => p.ptpType === 0);
    expect(sync.length).toBeGreaterThanOrEqual(1);
    const fu = ptp.find((p) => p.ptpType === 8 && p.ptpSeq === sync[0]?.ptpSeq);
    const req = ptp.find((p) => p.ptpType === 1);
    const resp = ptp.find((p) => p.ptpType === 9 && p.ptpSeq === req?.ptpSeq);
    expect(fu && req && resp).toBeTruthy();
    const tai = (t: { sec: number; nsec: number }): bigint => BigInt(t.sec - 37) * 1_000_000_000n + BigInt(t.nsec);
    const t1 = tai(fu!.ptpTs!);
    const t2 = sync[0]!.tsNs;
    const t3 = req!.tsNs;
    const t4 = tai(resp!.ptpTs!);
    const offset = Number(t2 - t1 - (t4 - t3)) / 2;
    expect(Math.abs(offset)).toBeLessThan(2);
    expect(Number(t2 - t1 + (t4 - t3)) / 2).toBeCloseTo(1200, -1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const h = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    expect(h(generate(cfg).bytes)).toBe(h(bytes));
    expect(h(generate(cfg, 2).bytes)).not.toBe(h(bytes));
  });

  it.runIf(HAVE_TSHARK)('decodes in tshark without malformed packets, fields as generated', () => {
    const file = join(dir, 'clean.pcap');
    writeFileSync(file, bytes);
    const rows = tsharkFields(file, [
      'frame.number',
      'ecpri.type',
      'oran_fh_cus.sequence_id',
      'oran_fh_cus.e_bit',
      'oran_fh_cus.data_direction',
      'oran_fh_cus.frameId',
      'oran_fh_cus.subframe_id',
      'oran_fh_cus.slotId',
      'oran_fh_cus.startSymbolId',
      'oran_fh_cus.ru_port_id',
      'oran_fh_cus.sectionId',
      'oran_fh_cus.numSymbol',
      '_ws.malformed',
      '_ws.expert.severity',
      'ptp.v2.messagetype',
    ]);
    expect(rows).toHaveLength(pkts.length);
    const problems: string[] = [];
    rows.forEach((r, i) => {
      const p = pkts[i]!;
      if (r[12] || r[13]) problems.push(`frame ${r[0]}: malformed/expert ${r[12]} ${r[13]}`);
      if (p.kind === 'u' || p.kind === 'c') {
        const want = [
          p.kind === 'u' ? '0x00' : '0x02',
          p.seq,
          p.eBit,
          p.dl ? 1 : 0,
          p.frameId,
          p.subframeId,
          p.slotId,
          p.symbolId,
          p.eaxc! & 0xf,
          p.sectionId,
        ];
        const got = r.slice(1, 11);
        if (got.join('|') !== want.join('|'))
          problems.push(`frame ${r[0]}: tshark ${got.join('|')} vs ${want.join('|')}`);
        if (p.kind === 'c' && r[11] !== '14') problems.push(`frame ${r[0]}: numSymbol ${r[11]}`);
      } else if (p.kind === 'ptp' && Number(r[14]) !== p.ptpType) problems.push(`frame ${r[0]}: ptp type`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('synthFronthaul: options', () => {
  it.runIf(HAVE_TSHARK)('splits a symbol into equal U-plane packets under maxPrbPerPacket (1500-byte style)', () => {
    const { bytes } = generate({ durationS: 0.004, maxPrbPerPacket: 100, eaxc: { dl: [0], ul: [0] }, ptp: false });
    const pkts = readRecords(bytes).map((r) => decode(r, 28, 273));
    expect(cleanViolations(pkts, 1, 273, 9)).toEqual([]);
    const file = join(dir, 'split.pcapng');
    writeFileSync(file, bytes);
    const rows = tsharkFields(
      file,
      ['oran_fh_cus.startPrbu', 'oran_fh_cus.numPrbu', '_ws.malformed'],
      ['-Y', 'ecpri.type == 0'],
    );
    expect(rows.slice(0, 3).map((r) => [r[0], r[1]])).toEqual([
      ['0', '91'],
      ['91', '91'],
      ['182', '91'],
    ]);
    expect(rows.some((r) => r[2])).toBe(false);
  });

  it.runIf(HAVE_TSHARK)('packs BFP exactly as Wireshark unpacks it (exponents and I/Q samples)', () => {
    const { bytes } = generate({ durationS: 0.003, nrb: 3, eaxc: { dl: [0], ul: [0] }, ptp: false });
    const file = join(dir, 'iq.pcap');
    writeFileSync(file, bytes);
    const recs = readRecords(bytes);
    const rows = tsharkFields(
      file,
      ['frame.number', 'oran_fh_cus.exponent', 'oran_fh_cus.iSample', 'oran_fh_cus.qSample'],
      ['-Y', 'ecpri.type == 0'],
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows.slice(0, 20)) {
      const data = recs[Number(r[0]) - 1]!.data;
      const prbs = [0, 1, 2].map((p) => decompressPrb(data, 34 + p * 28, { method: 'bfp', iqWidth: 9 }));
      expect(r[1]).toBe(prbs.map((p) => p.exponent).join(','));
      // Wireshark shows samples on a ±1 scale: value / 2^23 (16-bit scale / 2^15 … ÷ 2^8 for display)
      const i = (r[2] ?? '').split(',').map((v) => Math.round(Number(v) * 2 ** 23));
      const q = (r[3] ?? '').split(',').map((v) => Math.round(Number(v) * 2 ** 23));
      expect(i).toEqual(prbs.flatMap((p) => p.samples.filter((_, k) => k % 2 === 0)));
      expect(q).toEqual(prbs.flatMap((p) => p.samples.filter((_, k) => k % 2 === 1)));
    }
  });

  it('writes pcapng, uncompressed 16-bit IQ and 15 kHz numerology', () => {
    const { bytes, synth } = generate({
      durationS: 0.01,
      format: 'pcapng',
      comp: { method: 'none' },
      scsKhz: 15,
      nrb: 52,
      eaxc: { dl: [0, 1], ul: [] },
    });
    const recs = readRecords(bytes);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    const pkts = recs.map((r) => decode(r, 48, 52));
    const u = pkts.filter((p) => p.kind === 'u');
    expect(u[0]?.len).toBe(34 + 52 * 48);
    expect(synth.stats.slots).toBeGreaterThan(5);
    const bad = cleanViolations(pkts, 0, 52, 16).filter((s) => !s.includes('exponent'));
    expect(bad).toEqual([]);
  });

  it('stays clean across a frameId wrap (2.56 s) and accepts an ISO start time', () => {
    // SFN 264 at 2026-01-01T00:00:00Z: frameId 255 → 0 after 2.47 s
    const { bytes } = generate({
      durationS: 0.2,
      startTimeNs: '2026-01-01T00:00:02.400000000Z',
      scsKhz: 15,
      nrb: 6,
      eaxc: { dl: [0], ul: [1] },
    });
    const pkts = readRecords(bytes).map((r) => decode(r, 28, 6));
    expect(readRecords(bytes)[0]!.tsNs).toBeGreaterThanOrEqual(1_767_225_602_400_000_000n);
    const ids = new Set(pkts.filter((p) => p.kind === 'u').map((p) => p.frameId));
    expect(ids.has(255) && ids.has(0)).toBe(true);
    expect(cleanViolations(pkts, 0, 6, 9)).toEqual([]);
  });

  it.runIf(HAVE_TSHARK)('carries eCPRI over IPv4/UDP when asked, with valid IP checksums', () => {
    const { bytes, synth } = generate({
      durationS: 0.015,
      nrb: 24,
      eaxc: { dl: [0, 1], ul: [0] },
      transport: 'udp',
      udpPort: 50001,
      ecpriDelay: { ratePerS: 1000 },
    });
    const pkts = readRecords(bytes).map((r) => decode(r, 28, 24));
    expect(pkts.filter((p) => p.kind === 'u')).toHaveLength(synth.stats.uplanePackets);
    expect(pkts.filter((p) => p.kind === 'owd').length).toBeGreaterThan(0);
    expect(cleanViolations(pkts, 1, 24, 9)).toEqual([]);
    const file = join(dir, 'udp.pcap');
    writeFileSync(file, bytes);
    const rows = tsharkFields(
      file,
      [
        'frame.number',
        'ip.checksum.status',
        'udp.length',
        'ecpri.type',
        'oran_fh_cus.sequence_id',
        'oran_fh_cus.symbolId',
        'oran_fh_cus.startSymbolId',
        '_ws.malformed',
        '_ws.expert.severity',
      ],
      ['-d', 'udp.port==50001,ecpri', '-o', 'ip.check_checksum:TRUE', '-Y', 'udp'],
    );
    expect(rows.length).toBe(pkts.filter((p) => p.kind !== 'ptp').length);
    for (const r of rows) {
      const p = pkts[Number(r[0]) - 1]!;
      expect(r[1]).toBe('1'); // PROTO_CHECKSUM_E_GOOD
      expect(r[7] ?? '').toBe('');
      if (p.kind === 'u' || p.kind === 'c') {
        expect(Number(r[4])).toBe(p.seq);
        expect(Number(p.kind === 'u' ? r[5] || r[6] : r[6])).toBe(p.symbolId);
      }
    }
  });

  it('writes udCompHdr in every U-plane section with compHdr: dynamic', () => {
    const { bytes } = generate({ durationS: 0.005, nrb: 24, eaxc: { dl: [0], ul: [0] }, compHdr: 'dynamic' });
    const pkts = readRecords(bytes).map((r) => decode(r, 28, 24, true));
    const u = pkts.filter((p) => p.kind === 'u');
    expect(u.length).toBeGreaterThan(0);
    expect(u.every((p) => p.udCompHdr === 0x91 && p.len === 36 + 24 * 28)).toBe(true);
    expect(cleanViolations(pkts, 1, 24, 9)).toEqual([]);
  });

  it('shifts every capture timestamp by captureClockOffsetNs (a capture for the relative timing mode)', () => {
    const cfg: FronthaulConfigInput = { durationS: 0.01, scsKhz: 15, nrb: 6, eaxc: { dl: [0], ul: [0] } };
    const a = readRecords(generate(cfg).bytes);
    const b = readRecords(generate({ ...cfg, captureClockOffsetNs: 123_456 }).bytes);
    expect(b.map((r) => r.tsNs - (a[r.index - 1]?.tsNs ?? 0n))).toEqual(b.map(() => 123_456n));
    expect(b.map((r) => r.data)).toEqual(a.map((r) => r.data));
  });

  it('rejects a bad configuration naming the field', () => {
    expect(() => synthFronthaul({ scsKhz: 20 })).toThrow(/SCS/);
    expect(() => synthFronthaul({ eaxcBits: { duPort: 4 } })).toThrow(/eaxcBits/);
    expect(() => synthFronthaul({ windowsUs: { dl_uplane: [400, 50] } })).toThrow(/dl_uplane/);
  });
});
