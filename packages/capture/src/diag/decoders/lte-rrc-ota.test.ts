import { describe, expect, it } from 'vitest';
import { perBits, rrcOtaBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

// UL-CCCH RRCConnectionReestablishmentRequest (TS 36.331): c1 (0), reestablishmentRequest (0),
// criticalExtensions r8 (0), c-RNTI 16, physCellId 9, shortMAC-I 16, reestablishmentCause 2 (2 = otherFailure), spare 2.
const REEST_REQ = perBits([
  [0, 1],
  [0, 1],
  [0, 1],
  [0x6f2b, 16],
  [193, 9],
  [0xabcd, 16],
  [2, 2],
  [0, 2],
]);
// DL-CCCH: c1 (0), rrcConnectionReestablishmentReject (1) in 2 bits, then criticalExtensions …
const REEST_REJECT = perBits([
  [0, 1],
  [1, 2],
  [0, 5],
]);

describe('0xB0C0 LTE RRC OTA', () => {
  it('refills one result per version: the next record leaves none of the previous one’s message fields', () => {
    const req = rrcOtaBody(15, { pci: 193, earfcn: 1825, sfn: 612, subframe: 3, pdu: 8, msg: REEST_REQ });
    const reject = rrcOtaBody(15, { pci: 7, earfcn: 1825, sfn: 613, subframe: 4, pdu: 6, msg: REEST_REJECT });
    const first = JSON.stringify(reg.decode(0xb0c0, req).fields);
    const r = reg.decode(0xb0c0, reject);
    expect(r.fields).not.toHaveProperty('reestablishment_cause', 'otherFailure');
    const second = JSON.parse(JSON.stringify(r.fields)) as Record<string, unknown>;
    expect(second).toMatchObject({ pci: 7, sfn: 613, subframe: 4 });
    for (const k of ['reestablishment_cause', 'c_rnti', 'reestablishment_pci']) expect(second).not.toHaveProperty(k);
    expect(JSON.stringify(reg.decode(0xb0c0, req).fields)).toBe(first); // same keys, same order
    expect(reg.decode(0xb0c0, req).fields).toBe(reg.decode(0xb0c0, reject).fields); // nothing made per record
  });

  it('decodes a v8-layout header and names the UL-CCCH message with its re-establishment cause (v15 channel table)', () => {
    const body = rrcOtaBody(15, { pci: 193, earfcn: 1825, sfn: 612, subframe: 3, pdu: 8, msg: REEST_REQ });
    const r = reg.decode(0xb0c0, body);
    expect(r.status).toBe('decoded');
    expect(r.fields).toMatchObject({
      pci: 193,
      earfcn: 1825,
      sfn: 612,
      subframe: 3,
      channel: 'UL-CCCH',
      message: 'rrcConnectionReestablishmentRequest',
      reestablishment_cause: 'otherFailure',
      c_rnti: 0x6f2b,
      reestablishment_pci: 193,
      message_length: REEST_REQ.length,
    });
  });

  it('uses the v7 header (u16 EARFCN) and the v7 channel table; v26 carries the NR release too', () => {
    const v7 = reg.decode(
      0xb0c0,
      rrcOtaBody(7, { pci: 301, earfcn: 8665, sfn: 1, subframe: 0, pdu: 5, msg: REEST_REJECT }),
    );
    expect(v7.fields).toMatchObject({
      earfcn: 8665,
      channel: 'DL-CCCH',
      message: 'rrcConnectionReestablishmentReject',
    });
    const v26 = reg.decode(
      0xb0c0,
      rrcOtaBody(26, { pci: 12, earfcn: 38950, sfn: 2, subframe: 1, pdu: 8, msg: REEST_REJECT }),
    );
    expect(v26.fields).toMatchObject({
      nr_rrc_release: '15.32',
      pci: 12,
      earfcn: 38950,
      channel: 'DL-CCCH',
      message: 'rrcConnectionReestablishmentReject',
    });
  });

  it('calls a message length that disagrees with the body malformed, and an unknown version unknown', () => {
    const body = rrcOtaBody(8, { pci: 1, earfcn: 1, sfn: 0, subframe: 0, pdu: 6, msg: [0x20, 0x00] });
    expect(reg.decode(0xb0c0, body.subarray(0, body.length - 1))).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/message length 2 does not match the 1 bytes/),
    });
    expect(reg.decode(0xb0c0, Uint8Array.of(99, 0, 0))).toMatchObject({ status: 'unknown', version: 99 });
    expect(reg.decode(0xb0ee, Uint8Array.of(1))).toMatchObject({ status: 'unknown', version: -1, name: undefined });
  });
});
