import { describe, expect, it } from 'vitest';
import { nrUlScheduleBody, type NrUlGrantRaw } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const grant = (o: Partial<NrUlGrantRaw> = {}): NrUlGrantRaw => ({
  carrier: 0,
  symbols: 12,
  harqId: 5,
  mcs: 27,
  rbStart: 3,
  rbs: 273,
  tbSize: 9000,
  ...o,
});
const body = () =>
  nrUlScheduleBody([
    { frame: 100, slot: 7, carriers: [{ pusch: grant(), pucch: true }] },
    { frame: 100, slot: 8, carriers: [{ pucch: true }, { srs: true, carrier: 1 }] },
    {
      frame: 101,
      slot: 0,
      carriers: [{ pusch: grant({ carrier: 1, harqId: 15, mcs: 0, rbs: 1, tbSize: 16383 }), srs: true }],
    },
  ]);

describe('0xB883 NR5G MAC UL Physical Channel Schedule Report', () => {
  it('v2.8: per PUSCH grant its slot, carrier, HARQ id, MCS, symbols, RBs and TB size; PUCCH/SRS counted', () => {
    const b = body();
    expect(b.length).toBe(16 + 3 * 8 + 4 * 4 + 2 * 40 + 2 * 20 + 2 * 20);
    const r = reg.decode(0xb883, b);
    expect(r).toMatchObject({ status: 'decoded', version: (2 << 16) | 8 });
    expect(r.fields).toEqual({
      records: 3,
      pusch_grants: 2,
      pucch: 2,
      srs: 2,
      frame: [100, 101],
      slot: [7, 0],
      carrier_id: [0, 1],
      harq_id: [5, 15],
      mcs: [27, 0],
      symbols: [12, 12],
      rb_start: [3, 3],
      rbs: [273, 1],
      tb_size_bytes: [9000, 16383],
    });
  });

  it('the bit field is little-endian: MCS 27 at bits 13–17, RBs 273 at bits 32–40 of the PUSCH block', () => {
    const b = body();
    const pusch = 16 + 8 + 4; // header, record, carrier
    const lo = new DataView(b.buffer).getUint32(pusch, true);
    const hi = new DataView(b.buffer).getUint32(pusch + 4, true);
    expect([(lo >>> 13) & 0x1f, hi & 0x1ff, (hi >>> 10) & 0x3fff]).toEqual([27, 273, 9000]);
  });

  it('a body cut at any offset is malformed or unknown; an absurd count too; version 2.9 is not decoded', () => {
    const b = body();
    for (let n = 0; n < b.length; n++)
      expect(reg.decode(0xb883, b.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
    const absurd = body();
    absurd[15] = 250;
    expect(reg.decode(0xb883, absurd)).toMatchObject({ status: 'malformed' });
    const v29 = body();
    v29[0] = 9;
    expect(reg.decode(0xb883, v29)).toMatchObject({ status: 'unknown', version: (2 << 16) | 9 });
  });
});
