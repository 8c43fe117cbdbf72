import { describe, expect, it } from 'vitest';
import { macTbBody } from '../test-support/diag-fixtures.js';
import { macControlElements } from './lte-mac-header.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB063 LTE MAC DL Transport Block', () => {
  it('v2: per sample SFN/subframe, RNTI type, HARQ id, TB size, padding and the TA command CE', () => {
    const body = macTbBody(true, 2, [
      // LCID 3 with L = 2, padding (the Nexus 6P's first record, bytes as logged)
      { sfn: 415, subframe: 5, rntiType: 0, harqId: 7, bytes: 105, padding: 100, header: [0x23, 0x02, 0x1f] },
      // TA command (LCID 29, E = 1), LCID 3 last; TA CE: TAG 0, T_A 33
      { sfn: 416, subframe: 0, rntiType: 3, harqId: 1, bytes: 20, padding: 0, header: [0x3d, 0x03, 33] },
    ]);
    const r = reg.decode(0xb063, body);
    expect(r).toMatchObject({ status: 'decoded', version: 2, name: 'LTE MAC DL Transport Block' });
    expect(r.fields).toEqual({
      samples: 2,
      cell_index: [0, 0],
      sfn: [415, 416],
      subframe: [5, 0],
      rnti_type: ['C', 'RA'],
      harq_id: [7, 1],
      pmch_id: [0, 0],
      tb_size_bytes: [105, 20],
      rlc_pdus: [1, 1],
      padding_bytes: [100, 0],
      ta_command: [null, 33],
    });
  });

  it('v4: the cell index comes first', () => {
    const body = macTbBody(true, 4, [
      { sfn: 1, subframe: 2, rntiType: 0, harqId: 3, bytes: 9, padding: 0, header: [0x03], cellIndex: 1 },
    ]);
    expect(reg.decode(0xb063, body).fields).toMatchObject({
      cell_index: [1],
      sfn: [1],
      harq_id: [3],
      tb_size_bytes: [9],
    });
  });

  it('a sample running past its sub-packet is malformed, never a crash; every cut is typed', () => {
    const body = macTbBody(true, 2, [
      { sfn: 1, subframe: 1, rntiType: 0, harqId: 0, bytes: 10, padding: 0, header: [0x23, 0x02, 0x1f] },
    ]);
    for (let n = 0; n < body.length - 1; n++) {
      const r = reg.decode(0xb063, body.subarray(0, n));
      expect(['unknown', 'malformed']).toContain(r.status);
    }
    body[8 + 12] = 200; // header length 200
    expect(reg.decode(0xb063, body)).toMatchObject({ status: 'malformed', reason: expect.stringMatching(/runs past/) });
  });
});

describe('0xB064 LTE MAC UL Transport Block', () => {
  it('v1: HARQ id first, grant, BSR, and the power headroom CE', () => {
    // PHR (LCID 26, E = 1), short BSR (29, E = 1), LCID 3 last; PHR PH level 25 = 2 dB, BSR 0x83 (real bytes)
    const body = macTbBody(false, 1, [
      { sfn: 414, subframe: 1, rntiType: 0, harqId: 7, bytes: 117, padding: 0, header: [0x3a, 0x3d, 0x03, 0x19, 0x83] },
      { sfn: 414, subframe: 9, rntiType: 0, harqId: 6, bytes: 85, padding: 64, header: [0x3d, 0x23, 0x10, 0x1f, 0x80] },
    ]);
    const r = reg.decode(0xb064, body);
    expect(r).toMatchObject({ status: 'decoded', version: 1 });
    expect(r.fields).toEqual({
      samples: 2,
      cell_index: [0, 0],
      harq_id: [7, 6],
      rnti_type: ['C', 'C'],
      sfn: [414, 414],
      subframe: [1, 9],
      grant_bytes: [117, 85],
      rlc_pdus: [1, 1],
      padding_bytes: [0, 64],
      bsr_event: [1, 1],
      bsr_trigger: [3, 3],
      power_headroom_db: [2, null],
    });
  });

  it('v2 has the cell index first; an unknown sub-packet version is not decoded', () => {
    const v2 = macTbBody(false, 2, [
      { sfn: 5, subframe: 5, rntiType: 0, harqId: 2, bytes: 7, padding: 0, header: [0x3a, 0x01, 0], cellIndex: 1 },
    ]);
    expect(reg.decode(0xb064, v2).fields).toMatchObject({ cell_index: [1], harq_id: [2], power_headroom_db: [-23] });
    const v9 = macTbBody(false, 9, []);
    expect(reg.decode(0xb064, v9)).toMatchObject({ status: 'unknown', version: 9 });
  });
});

describe('MAC control elements (TS 36.321 §6.1.2)', () => {
  it('skips SDU sub-headers with 7- and 15-bit L fields before reading the CEs', () => {
    // TA CE first needs no L; an SDU sub-header with a 15-bit L (F = 1) before it must be skipped
    expect(macControlElements(new Uint8Array([0x23, 0x81, 0x00, 0x3d, 0x1f, 31]), true).taCommand).toBe(31);
    expect(macControlElements(new Uint8Array([0x23, 0x05, 0x3d, 0x03, 40]), true).taCommand).toBe(40);
  });
  it('a CE whose payload was not logged gives null', () => {
    expect(macControlElements(new Uint8Array([0x3d, 0x03]), true).taCommand).toBeNull();
    expect(macControlElements(new Uint8Array([0x23]), true).taCommand).toBeNull();
  });
});
