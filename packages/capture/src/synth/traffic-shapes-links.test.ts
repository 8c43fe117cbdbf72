import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FronthaulConfigInput } from './fronthaul-config.js';
import { cleanViolations } from './test-support/clean-violations.js';
import { decodeWithPackage, shapeCapture } from './test-support/shape-capture.js';
import { tsharkAvailable, tsharkFields } from './test-support/synth-reader.js';

/** Shapes (a) concatenated eCPRI messages and (b) two O-RUs reusing eAxC ids behind one capture point. */

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-shapes-'));
const LIGHT: FronthaulConfigInput = { durationS: 0.03, nrb: 24, eaxc: { dl: [0, 1], ul: [0] }, maxPrbPerPacket: 12 };

describe('shape concat: several O-RAN messages in one eCPRI PDU', () => {
  const cap = shapeCapture('concat', LIGHT);

  it('puts each burst in one PDU, C = 1 on all but the last message, each with its own eAxC and seq', () => {
    const { synth, msgs, recs } = cap;
    // DL: 2 eAxC × 2 parts per symbol; UL: 1 eAxC × 2 parts; C-plane: 2 DL messages per slot
    expect(synth.stats.concatenatedPdus).toBeGreaterThan(recs.length / 2);
    const perFrame = new Map<number, number>();
    for (const m of msgs) perFrame.set(m.index, (perFrame.get(m.index) ?? 0) + 1);
    expect(Math.max(...perFrame.values())).toBe(4);
    expect(msgs.filter((m) => m.kind === 'u')).toHaveLength(synth.stats.uplanePackets);
    expect(msgs.filter((m) => m.kind === 'c')).toHaveLength(synth.stats.cplanePackets);
    // C bits, 4-byte alignment (decodeAll walks it), seq continuity per flow, windows, coupling
    expect(cleanViolations(msgs, 1, 24, 9)).toEqual([]);
    const dlPdu = msgs.filter((m) => m.index === msgs.find((x) => x.kind === 'u' && x.dl)!.index);
    expect(dlPdu.map((m) => [m.eaxc, m.startPrb])).toEqual([
      [0, 0],
      [0, 12],
      [1, 0],
      [1, 12],
    ]);
    for (const r of recs) expect(r.data.length - 18).toBeLessThanOrEqual(cap.cfg.mtu);
  });

  it('decodes in the package decoder message for message, without findings', () => {
    const frames = decodeWithPackage(cap.recs, cap.profile);
    expect(frames.flatMap((f) => f.findings)).toEqual([]);
    const mine = cap.msgs.filter((m) => m.kind === 'u' || m.kind === 'c');
    const theirs = frames.flatMap((f) => f.oran.map((o) => ({ ...o, index: f.index })));
    expect(theirs.map((o) => `${o.index}:${o.plane}${o.eaxc}/${o.seq}`)).toEqual(
      mine.map((m) => `${m.index}:${m.kind}${m.eaxc}/${m.seq}`),
    );
  });

  it('labels a fault on a later message of a PDU with its frame and message_index', () => {
    const faults = 'seq_gap@0.01:eaxc=1,count=2;oran_malformed@0.015:eaxc=1,plane=u;seq_duplicate@0.02:eaxc=1';
    const f = shapeCapture('concat', LIGHT, faults, 3);
    expect(f.synth.labels.map((l) => l.type).sort()).toEqual(['oran_malformed', 'seq_duplicate', 'seq_gap']);
    const frames = decodeWithPackage(f.recs, f.profile);
    for (const l of f.synth.labels) {
      expect(l.message_index).toBeGreaterThan(0);
      const m = f.msgs.find((x) => x.index === l.packet_index && x.message === (l.message_index ?? 1) - 1);
      expect(m?.eaxc).toBe(l.flow.eaxc);
      expect(m?.kind).toBe(l.flow.plane);
      if (l.type === 'seq_gap' || l.type === 'seq_duplicate') expect(m?.seq).toBe(l.params.got_seq);
    }
    // the malformed message (section overrun) is found in its frame, and nowhere else
    const mal = f.synth.labels.find((l) => l.type === 'oran_malformed')!;
    const found = frames.filter((fr) => fr.findings.length > 0);
    expect(found.map((fr) => [fr.index, fr.findings])).toEqual([
      [mal.packet_index, ['oran_malformed/section_overrun']],
    ]);
  });

  it('keeps PDU-level malformations observable: a stray C bit or an oversize payload ends its PDU', () => {
    const f = shapeCapture(
      'concat',
      LIGHT,
      'ecpri_malformed@0.01:eaxc=1,kind=concat;ecpri_malformed@0.02:eaxc=1,kind=size;ecpri_malformed@0.025:eaxc=1,kind=revision',
      4,
    );
    expect(f.synth.labels.map((l) => l.params.kind)).toEqual(['concat', 'size', 'revision']);
    const frames = decodeWithPackage(f.recs, f.profile);
    const byIndex = new Map(frames.filter((fr) => fr.findings.length).map((fr) => [fr.index, fr.findings[0]]));
    const want = new Map(
      f.synth.labels.map((l) => [
        l.packet_index,
        {
          concat: 'ecpri_malformed/concatenation',
          size: 'ecpri_malformed/payload_size_beyond_frame',
          revision: 'ecpri_malformed/revision',
        }[String(l.params.kind)],
      ]),
    );
    expect(byIndex).toEqual(want);
  });

  it.runIf(HAVE_TSHARK)('is read by tshark: the first message of every PDU as generated', () => {
    const file = join(dir, 'concat.pcap');
    writeFileSync(file, cap.bytes);
    // Wireshark 4.0 dissects the first O-RAN message of a PDU only (and flags C = 1 as an expert error)
    const rows = tsharkFields(file, ['frame.number', 'ecpri.cbit', 'oran_fh_cus.sequence_id', '_ws.malformed']);
    expect(rows).toHaveLength(cap.recs.length);
    const firsts = new Map(cap.msgs.filter((m) => m.message === 0).map((m) => [m.index, m]));
    for (const r of rows) {
      const m = firsts.get(Number(r[0]));
      expect(r[3] ?? '').toBe('');
      if (!m || (m.kind !== 'u' && m.kind !== 'c')) continue;
      expect([r[1], Number(r[2])]).toEqual([(m.messages ?? 1) > 1 ? '1' : '0', m.seq]);
    }
  });
});

describe('shapes two-ru-mac / two-ru-vlan: two O-RUs reuse the same eAxC ids', () => {
  for (const shape of ['two-ru-mac', 'two-ru-vlan'] as const) {
    it(`${shape}: both radios carry every eAxC on their own link, judged per radio`, () => {
      const cap = shapeCapture(shape, { ...LIGHT, maxPrbPerPacket: 0 });
      const links = new Set(cap.msgs.filter((m) => m.kind === 'c').map((m) => `${m.dstMac}@${m.vlan}/${m.eaxc}`));
      const [a, b] = cap.cfg.rus;
      expect([...links].sort()).toEqual(
        [`${a!.mac}@${a!.vlan}/0`, `${a!.mac}@${a!.vlan}/1`, `${b!.mac}@${b!.vlan}/0`, `${b!.mac}@${b!.vlan}/1`].sort(),
      );
      expect(cleanViolations(cap.msgs, 1, 24, 9)).toEqual([]);
      expect(decodeWithPackage(cap.recs, cap.profile).flatMap((f) => f.findings)).toEqual([]);
    });

    it(`${shape}: a fault with ru=1 touches the second radio only, and its label names that radio`, () => {
      const cap = shapeCapture(
        shape,
        { ...LIGHT, maxPrbPerPacket: 0 },
        'seq_gap@0.01:ru=1,count=3;rx_window_late@0.02:ru=1',
        2,
      );
      const ru1 = cap.cfg.rus[1]!;
      expect(cap.synth.labels).toHaveLength(2);
      for (const l of cap.synth.labels) {
        expect(l.flow).toMatchObject({ dst_mac: ru1.mac, vlan: ru1.vlan, eaxc: 0, direction: 'dl', plane: 'u' });
        const m = cap.msgs.find((x) => x.index === l.packet_index)!;
        expect([m.dstMac, m.vlan, m.eaxc]).toEqual([ru1.mac, ru1.vlan, 0]);
      }
      // radio 0 is untouched; radio 1 shows exactly the injected gap and late packet
      const bad = cleanViolations(cap.msgs, 1, 24, 9);
      const gap = cap.synth.labels.find((l) => l.type === 'seq_gap')!;
      const late = cap.synth.labels.find((l) => l.type === 'rx_window_late')!;
      expect(bad.map((s) => Number(s.split(':')[0])).sort((x, y) => x - y)).toEqual(
        [gap.packet_index, late.packet_index].sort((x, y) => x - y),
      );
      expect(bad.every((s) => s.includes(`${ru1.mac}@${ru1.vlan}/u/dl/0`))).toBe(true);
    });
  }

  it.runIf(HAVE_TSHARK)('two-ru-vlan is read by tshark with both VLAN ids and the same eAxC ids', () => {
    const cap = shapeCapture('two-ru-vlan', { ...LIGHT, durationS: 0.01, maxPrbPerPacket: 0 });
    const file = join(dir, 'two-ru.pcap');
    writeFileSync(file, cap.bytes);
    const rows = tsharkFields(file, ['vlan.id', 'oran_fh_cus.ru_port_id', '_ws.malformed'], ['-Y', 'ecpri']);
    expect(new Set(rows.map((r) => `${r[0]}/${r[1]}`))).toEqual(new Set(['100/0', '100/1', '101/0', '101/1']));
    expect(rows.every((r) => (r[2] ?? '') === '')).toBe(true);
  });
});
