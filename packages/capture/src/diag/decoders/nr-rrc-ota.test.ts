import { describe, expect, it } from 'vitest';
import { nrRrcOtaBody } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();

describe('0xB821 NR5G RRC OTA Packet', () => {
  it('v8 (the Xiaomi logs): channel from the PDU number, message from the UPER c1 index', () => {
    // UL-DCCH: c1 (0) | index 14 = scgFailureInformation → bits 0 1110 …
    const r = reg.decode(0xb821, nrRrcOtaBody(8, 138, 504990, 8, [0b01110000, 0]));
    expect(r).toMatchObject({ status: 'decoded', version: 8, name: 'NR5G RRC OTA Packet' });
    expect(r.fields).toEqual({
      rrc_release: '15.6.0',
      rb_id: 1,
      pci: 138,
      arfcn: 504990,
      pdu_number: 8,
      channel: 'UL-DCCH',
      message: 'scgFailureInformation',
      message_length: 2,
    });
  });

  it.each([
    [9, 4, [0b00011000], 'rrcReestablishment'], // DL-DCCH c1 index 3
    [12, 3, [0b00100000], 'rrcSetup'], // DL-CCCH c1 index 1
    [9, 6, [0b01000000], 'rrcReestablishmentRequest'], // UL-CCCH c1 index 2
    [9, 9, [0x0c, 0x82], 'rrcReconfiguration'], // bare RRCReconfiguration
    [14, 1, [0, 0, 0], 'mib'],
    [9, 26, [0x14], null], // FreqBandList: a structure, not a message
  ] as const)('v%i PDU %i → %s', (v, pdu, msg, message) => {
    expect(reg.decode(0xb821, nrRrcOtaBody(v, 1, 2, pdu, msg)).fields).toMatchObject({ message });
  });

  it('a length that disagrees or a cut body is malformed; version 23 is not decoded', () => {
    const body = nrRrcOtaBody(9, 1, 2, 8, [0, 0, 0]);
    for (let n = 0; n < body.length; n++) expect(reg.decode(0xb821, body.subarray(0, n)).status).not.toBe('decoded');
    expect(reg.decode(0xb821, body.subarray(0, body.length - 1))).toMatchObject({ status: 'malformed' });
    body[0] = 23;
    expect(reg.decode(0xb821, body)).toMatchObject({ status: 'unknown', version: 23 });
  });
});
