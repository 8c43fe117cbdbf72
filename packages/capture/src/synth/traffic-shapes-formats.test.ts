import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureRecords } from '../reader/create-capture-reader.js';
import { parseFaultSpec } from './fault-spec.js';
import { synthFronthaul } from './fronthaul-synth.js';
import { decompressPrb } from './iq.js';
import { isoNs } from './timestamp.js';
import type { FronthaulConfigInput } from './fronthaul-config.js';
import { cleanViolations } from './test-support/clean-violations.js';
import { decodeWithPackage, shapeCapture } from './test-support/shape-capture.js';
import { expectedAirNs, tsharkAvailable, tsharkFields } from './test-support/synth-reader.js';
import { TRAFFIC_SHAPES, shapeConfig } from './traffic-shapes.js';

/** Shapes (c) numerology μ 0–3, (d) uncompressed 16-bit with dynamic udCompHdr, (e) UDP, (f) pcapng interfaces. */

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-formats-'));
const LIGHT: FronthaulConfigInput = { durationS: 0.02, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } };

describe('shape default', () => {
  it('is the generator default, byte for byte as before the shapes existed', () => {
    const h = createHash('sha256');
    for (const c of synthFronthaul(shapeConfig('default', { durationS: 0.05 }), [], 5)) h.update(c);
    h.update('[]');
    // sha256 of the capture + labels measured before traffic shapes were added (seed 5, 50 ms)
    expect(h.digest('hex').slice(0, 16)).toBe('a7fabf5847935e78');
  });

  it('every shape yields a profile the generator agrees with', () => {
    for (const shape of TRAFFIC_SHAPES) {
      const cap = shapeCapture(shape, { ...LIGHT, durationS: 0.004 });
      expect(cap.profile.scs_khz).toBe(cap.cfg.scsKhz);
      expect(cap.msgs.some((m) => m.kind === 'u')).toBe(true);
    }
  });
});

describe('shapes mu0–mu3: numerology μ with 2^μ slots per subframe (TS 38.211 §4.3.2)', () => {
  for (const mu of [0, 1, 2, 3] as const) {
    it(`mu${mu}: ${15 << mu} kHz, slots 0..${(1 << mu) - 1}, every message inside its window of the μ air time`, () => {
      const cap = shapeCapture(`mu${mu}`, { ...LIGHT, durationS: 0.01 }, 'rx_window_late@0.005', mu + 1);
      expect(cap.profile.scs_khz).toBe(15 << mu);
      const slots = new Set(cap.msgs.filter((m) => m.kind === 'u').map((m) => m.slotId));
      expect([...slots].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 1 << mu }, (_, i) => i));
      // 1 ms of subframe = 2^μ slots × 14 symbols: U-plane per symbol per eAxC and direction
      expect(cap.synth.stats.slots).toBeGreaterThanOrEqual(8 << mu);
      const late = cap.synth.labels[0]!;
      expect(late.radio!.slot_id).toBeLessThan(1 << mu);
      const cutEndNs = cap.cfg.startTimeNs + 10_000_000n;
      const bad = cleanViolations(cap.msgs, mu, 24, 9, { cutEndNs });
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatch(new RegExp(`^${late.packet_index}: .* outside window`));
      const m = cap.msgs.find((x) => x.index === late.packet_index)!;
      const air = expectedAirNs(mu, m.frameId!, m.subframeId!, m.slotId!, m.symbolId!, m.tsNs);
      // 30 µs later than the 50 µs minimum advance of dl_uplane
      const advanceUs = Number(air - m.tsNs) / 1000;
      expect(Math.abs(advanceUs - (50 - 30))).toBeLessThanOrEqual(2.5); // ± the 2 µs burst jitter
      const frames = decodeWithPackage(cap.recs, cap.profile);
      expect(frames.flatMap((f) => f.findings)).toEqual([]);
      expect(frames.flatMap((f) => f.oran.map((o) => o.slotId))).toEqual(
        cap.msgs.filter((x) => x.kind === 'u' || x.kind === 'c').map((x) => x.slotId),
      );
    });
  }
});

describe('tail: cut (the numerology shapes)', () => {
  it('ends mid-flight: the C-plane runs to the end of the capture instead of stopping slots before it', () => {
    const lastGap = (tail: 'cut' | 'whole-slots'): number => {
      const cap = shapeCapture('mu3', { ...LIGHT, durationS: 0.01, tail });
      const end = cap.recs[cap.recs.length - 1]!.tsNs;
      expect(end).toBeLessThan(cap.cfg.startTimeNs + 10_000_000n);
      const lastC = cap.msgs.filter((m) => m.kind === 'c').reduce((t, m) => (m.tsNs > t ? m.tsNs : t), 0n);
      return Number(end - lastC) / 125_000; // slots of 125 µs
    };
    expect(lastGap('whole-slots')).toBeGreaterThan(4);
    expect(lastGap('cut')).toBeLessThan(1);
  });
});

describe('shape uncompressed-dynamic: 16-bit IQ, udCompHdr in every U-plane section', () => {
  const faults = 'iq_saturation@0.005;compression_mismatch@0.01';
  const cap = shapeCapture('uncompressed-dynamic', LIGHT, faults, 2);

  it('writes udCompHdr 0x00 (iqWidth 16 encoded as 0, udCompMeth 0) and 48 bytes per PRB', () => {
    expect(cap.profile.uplane).toEqual({ comp_method: 'none', iq_width: 16, comp_hdr: 'dynamic' });
    const u = cap.msgs.filter((m) => m.kind === 'u');
    expect(u.length).toBeGreaterThan(100);
    expect(u.every((m) => m.udCompHdr === 0x00 && m.len === 36 + 24 * 48)).toBe(true);
    const bad = cleanViolations(cap.msgs, 1, 24, 16, { uncompressed: true });
    // only the injected compression mismatch (a DL C-plane udCompHdr ≠ 0) breaks a rule
    const cm = cap.synth.labels.find((l) => l.type === 'compression_mismatch')!;
    expect(bad).toEqual([`${cm.packet_index}: DL udCompHdr ≠ 0`]);
  });

  it('labels the saturated packet where 16-bit samples sit at full scale', () => {
    const sat = cap.synth.labels.find((l) => l.type === 'iq_saturation')!;
    const m = cap.msgs.find((x) => x.index === sat.packet_index)!;
    let clipped = 0;
    for (let p = 0; p < 24; p++) {
      const { samples } = decompressPrb(m.prbData!, p * 48, { method: 'none', iqWidth: 16 });
      if (samples.some((s) => s === 32767 || s === -32768)) clipped++;
    }
    expect(clipped).toBeGreaterThan(0);
  });

  it('decodes in the package decoder with the profile: the only finding-free frames are the clean ones', () => {
    const frames = decodeWithPackage(cap.recs, cap.profile);
    expect(frames.flatMap((f) => f.findings)).toEqual([]);
    expect(frames.reduce((n, f) => n + f.oran.length, 0)).toBe(
      cap.synth.stats.uplanePackets + cap.synth.stats.cplanePackets,
    );
  });
});

describe('shape uncompressed-dynamic in tshark', () => {
  it.runIf(HAVE_TSHARK)('decodes udCompHdr (width 0 = 16, method 0) and 12 REs per PRB, nothing malformed', () => {
    const cap = shapeCapture('uncompressed-dynamic', { ...LIGHT, durationS: 0.004 });
    const file = join(dir, 'u16.pcap');
    writeFileSync(file, cap.bytes);
    const prefs = ['up', 'down'].flatMap((d) => [
      '-o',
      `oran_fh_cus.oran.ud_comp_hdr_${d}:TRUE`,
      '-o',
      `oran_fh_cus.oran.iq_bitwidth_${d}:16`,
      '-o',
      `oran_fh_cus.oran.ud_comp_${d}:No compression`,
    ]);
    const rows = tsharkFields(
      file,
      ['oran_fh_cus.udCompHdrWidth', 'oran_fh_cus.udCompHdrMeth', 'oran_fh_cus.iSample', '_ws.malformed'],
      [...prefs, '-Y', 'ecpri.type == 0'],
    );
    expect(rows).toHaveLength(cap.synth.stats.uplanePackets);
    for (const r of rows) {
      expect([r[0], r[1], r[2]!.split(',').length, r[3] ?? '']).toEqual(['0', '0', 24 * 12, '']);
    }
  });
});

describe('shape udp: eCPRI over IPv4/UDP on the port the profile names', () => {
  const cap = shapeCapture('udp', LIGHT);

  it('sends every eCPRI frame to the profile port; the decoder needs that port', () => {
    const port = cap.profile.ecpri_udp_ports?.[0];
    expect(port).toBe(50001);
    const ecpri = cap.recs.filter((r) => r.data[16] === 0x08 && r.data[17] === 0x00);
    expect(ecpri.length).toBe(cap.synth.stats.uplanePackets + cap.synth.stats.cplanePackets);
    expect(ecpri.every((r) => ((r.data[40]! << 8) | r.data[41]!) === port)).toBe(true);
    const withPort = decodeWithPackage(cap.recs, cap.profile);
    expect(withPort.reduce((n, f) => n + f.oran.length, 0)).toBe(ecpri.length);
    expect(withPort.flatMap((f) => f.findings)).toEqual([]);
    const withoutPort = decodeWithPackage(cap.recs, { ...cap.profile, ecpri_udp_ports: [] });
    expect(withoutPort.reduce((n, f) => n + f.oran.length, 0)).toBe(0);
  });
});

describe('shape multi-interface: pcapng with the O-DU and O-RU sides on two interfaces', () => {
  const cap = shapeCapture('multi-interface', LIGHT, 'rx_window_late@0.01:dir=ul;seq_gap@0.012', 3);

  it('writes two IDBs (if_tsresol 9 and 6); O-RU frames on interface 1 in whole µs', () => {
    const ul = cap.msgs.filter((m) => m.kind === 'u' && !m.dl).map((m) => m.index);
    const byIndex = new Map(cap.recs.map((r) => [r.index, r]));
    expect(ul.length).toBeGreaterThan(100);
    expect(ul.every((i) => byIndex.get(i)!.interfaceId === 1 && byIndex.get(i)!.tsNs % 1000n === 0n)).toBe(true);
    const others = cap.recs.filter((r) => !ul.includes(r.index));
    expect(others.every((r) => r.interfaceId === 0)).toBe(true);
    expect(others.some((r) => r.tsNs % 1000n !== 0n)).toBe(true);
    // the package's pcapng reader agrees on every timestamp and interface
    const pkg: [number, bigint][] = [];
    for (const r of readCaptureRecords(cap.bytes, 'pcapng')) if (r.kind === 'packet') pkg.push([r.interfaceId, r.tsNs]);
    expect(pkg).toEqual(cap.recs.map((r) => [r.interfaceId, r.tsNs]));
    expect(cleanViolations(cap.msgs, 1, 24, 9, { backSlackNs: 1000n }).length).toBe(2);
  });

  it('labels carry the timestamps as written, truncated on the µs interface', () => {
    expect(cap.synth.labels).toHaveLength(2);
    for (const l of cap.synth.labels) {
      const r = cap.recs[l.packet_index - 1]!;
      const ns = r.tsNs;
      expect(l.timestamp).toBe(isoNs(Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)));
      expect(r.interfaceId).toBe(l.flow.direction === 'ul' && l.flow.plane === 'u' ? 1 : 0);
    }
  });

  it.runIf(HAVE_TSHARK)('is read by tshark with both interfaces and the same timestamps', () => {
    const file = join(dir, 'multi.pcapng');
    writeFileSync(file, cap.bytes);
    const rows = tsharkFields(file, ['frame.interface_id', 'frame.time_epoch', '_ws.malformed']);
    expect(rows).toHaveLength(cap.recs.length);
    rows.forEach((r, i) => {
      const rec = cap.recs[i]!;
      expect(Number(r[0])).toBe(rec.interfaceId);
      const [s, frac = ''] = r[1]!.split('.');
      expect(BigInt(s!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'))).toBe(rec.tsNs);
    });
  });
});

it('rejects an O-RU index the capture does not have', () => {
  expect(() => synthFronthaul(shapeConfig('default'), parseFaultSpec('seq_gap@0.1:ru=1'))).toThrow(/ru=1/);
});
