import { describe, expect, it } from 'vitest';
import { DiagDecoderRegistry } from '../../diag/decoders/registry.js';
import { DiagLogReader } from '../../diag/diag-log-reader.js';
import { diagTimeToUtcNs, formatUtcNs } from '../../diag/diag-time.js';
import { FaultSpecError } from '../fault-spec.js';
import { parseUeFaultSpec, UE_FAULT_TYPES } from './ue-fault-spec.js';
import { synthUe } from './ue-synth.js';

/** Every record of a synthetic log through the real reader and decoder table. */
function decodeAll(bytes: Uint8Array, container: 'diag_hdlc' | 'dlf') {
  const reader = new DiagLogReader(container);
  const reg = new DiagDecoderRegistry();
  const out: { index: number; code: number; status: string; ts: string; fields: Record<string, unknown> }[] = [];
  reader.append(bytes);
  reader.end();
  for (let r = reader.next(); r; r = reader.next()) {
    if (r.kind !== 'log') throw new Error(`record ${r.index} is ${r.kind}`);
    const d = reg.decode(r.packet.logCode, r.packet.body);
    out.push({
      index: r.index,
      code: r.packet.logCode,
      status: d.status,
      ts: formatUtcNs(diagTimeToUtcNs(r.packet.ticks, r.packet.fraction)),
      // a deep copy: a decoder may refill its result's arrays for the next record of its code (registry.ts)
      fields: structuredClone(d.fields ?? {}),
    });
  }
  return out;
}

describe('l1t synth ue', () => {
  it('writes only records the decoders read, the same in .qmdl and .dlf, deterministic per seed', () => {
    const q = synthUe({ durationS: 2, format: 'qmdl' }, [], 5);
    const d = synthUe({ durationS: 2, format: 'dlf' }, [], 5);
    const qr = decodeAll(q.bytes, 'diag_hdlc');
    const dr = decodeAll(d.bytes, 'dlf');
    expect(qr.length).toBe(q.stats.records);
    expect(qr.filter((r) => r.status !== 'decoded')).toEqual([]);
    expect(dr.map((r) => [r.code, r.ts])).toEqual(qr.map((r) => [r.code, r.ts]));
    expect(q.stats.perCode).toEqual({
      '0xB0C2': 1,
      '0xB062': 1,
      '0xB063': 3,
      '0xB064': 200,
      '0xB16E': 200, // the PUSCH power control record of each UL transmission
      '0xB173': 2000,
      '0xB18A': 20,
      '0xB193': 50,
      '0xB97F': 20, // the NR leg: searcher measurement and serving beam every 100 ms
      '0xB975': 20,
    });
    expect(synthUe({ durationS: 2, format: 'qmdl' }, [], 5).bytes).toEqual(q.bytes);
    expect(synthUe({ durationS: 2, format: 'qmdl' }, [], 6).bytes).not.toEqual(q.bytes);
  });

  it('labels each fault at the record where it becomes observable, with the time the reader gives it', () => {
    for (const type of UE_FAULT_TYPES) {
      const s = synthUe({ durationS: 6, format: 'qmdl' }, parseUeFaultSpec(`${type}@3.3`), 1);
      expect(s.labels).toHaveLength(1);
      const l = s.labels[0]!;
      const recs = decodeAll(s.bytes, 'diag_hdlc');
      const rec = recs[l.packet_index - 1]!;
      expect([type, rec.ts]).toEqual([type, l.timestamp]);
      const radio =
        type === 'beam_failure'
          ? { cell: '632628/501', pci: 501, arfcn: 632628 }
          : { cell: '1825/73', pci: 73, earfcn: 1825 };
      expect(l).toMatchObject({ source: 'ue', radio, spec: `${type}@3.3` });
      const f = rec.fields;
      // the labelled record carries the fault
      if (type === 'rsrp_low') expect(f.rsrp).toEqual([expect.closeTo(-119, 0)]);
      if (type === 'timing_advance_jump') expect(f.ta_command).toEqual([51]);
      if (type === 'rach_failure') expect(f.rach_result).toBe('msg2_failure');
      if (type === 'ul_power_limited')
        expect([rec.code, f.pusch_tx_power_dbm, f.pcmax_dbm, f.tpc_frozen]).toEqual([0xb16e, [23], [23], [true]]);
      if (type === 'radio_link_failure') expect(f.message).toBe('rrcConnectionReestablishmentRequest');
      if (type === 'out_of_sync') expect(f.out_of_sync_count).toEqual([1]);
      if (type === 'harq_failure') expect([f.crc_pass, f.rv]).toEqual([[false], [1]]); // the 4th transmission
      if (type === 'bler_high') expect(f.crc_pass).toEqual([false]);
      if (type === 'beam_failure') expect([rec.code, f.rach_reason]).toEqual([0xb889, 'beam_failure']);
    }
  });

  it('0xB16E and 0xB064 of one UL transmission agree: Pcmax − PUSCH power = the reported headroom (at most 0)', () => {
    const s = synthUe({ durationS: 4, format: 'qmdl' }, parseUeFaultSpec('ul_power_limited@1:duration=1'), 7);
    const recs = decodeAll(s.bytes, 'diag_hdlc');
    const power = recs.filter((r) => r.code === 0xb16e);
    const tb = recs.filter((r) => r.code === 0xb064);
    expect(power).toHaveLength(tb.length);
    let limited = 0;
    power.forEach((p, i) => {
      const f = p.fields;
      const ph = (tb[i]!.fields.power_headroom_db as number[])[0]!;
      expect([f.sfn, f.subframe]).toEqual([tb[i]!.fields.sfn, tb[i]!.fields.subframe]);
      const headroom = (f.pcmax_dbm as number[])[0]! - (f.pusch_tx_power_dbm as number[])[0]!;
      expect(headroom).toBe(Math.max(0, ph)); // the power never exceeds Pcmax (TS 36.213 §5.1.1.1)
      if (headroom === 0) limited++;
    });
    expect(limited).toBe(100); // 1 s of 10 ms transmissions, every one at Pcmax
  });

  it('beam_failure: the serving beam fades, the MAC triggers recovery, a contention-free attempt moves to SSB 6', () => {
    const s = synthUe({ durationS: 3, format: 'dlf' }, parseUeFaultSpec('beam_failure@1.5'), 2);
    const recs = decodeAll(s.bytes, 'dlf');
    expect(recs.filter((r) => r.status !== 'decoded')).toEqual([]);
    const at = s.labels[0]!.packet_index;
    const attempt = recs.slice(at).find((r) => r.code === 0xb88a)!;
    expect(attempt.fields).toMatchObject({ rach_result: 'success', contention: 'contention_free', ssb_id: 6 });
    const beams = recs.filter((r) => r.code === 0xb975).map((r) => [r.index < at, r.fields.serving_ssb_index]);
    expect(beams.filter(([before]) => before).every(([, ssb]) => ssb === 3)).toBe(true);
    expect(beams.filter(([before]) => !before).every(([, ssb]) => ssb === 6)).toBe(true);
    const faded = recs.filter((r) => r.code === 0xb975 && r.index < at).slice(-2);
    for (const r of faded) expect(r.fields.rsrp as number).toBeLessThan(-110);
  });

  it('rejects an unknown fault type, a bad option or a fault outside the log, naming it', () => {
    expect(() => synthUe({ durationS: 2, format: 'qmdl' }, parseUeFaultSpec('bler_high@2'), 1)).toThrow(
      /bler_high@2: the log is 2 s long/,
    );
    expect(() => parseUeFaultSpec('beam_drift@1')).toThrow(FaultSpecError);
    expect(() => parseUeFaultSpec('bler_high@1:duration=x')).toThrow(/bler_high@1:duration=x/);
    expect(parseUeFaultSpec('bler_high@1.5:duration=3; harq_failure@2:nacks=6')).toEqual([
      { type: 'bler_high', at: 1.5, params: { duration: 3 } },
      { type: 'harq_failure', at: 2, params: { nacks: 6 } },
    ]);
  });
});
