import { describe, expect, it } from 'vitest';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));

/* Device payloads from SCAT's tests (fgsect/scat tests/test_diagnrlogparser.py) with the values SCAT prints. */
const MIB_V03 = '030000005001c0ac05009a00003f';
const MIB_V20 = '0000020050010eb005001e036a1b0c';
const MIB_V20_B = '00000200dc03de93060000806a0b00';
const SCELL_V04 = '040000009d02e0ca0900d6c609005a005a0000127df204000000060102010001297900004e00';
const SCELL_V04_B = '040000001a00a0a40900c492090050005000ca409b060000000006010202000094c000004e00';
const SCELL_V32 = '020003000101006203d580194800222f065e630200183502000a000a00d58019480000000006010202000096c000001c00';
const SCELL_V33 = '030003000101004b0001c83b57252230001aee0100080e02000a000a0001c83b57050000002e0103dc00008eb921004700';

describe('0xB822 NR5G RRC MIB Info', () => {
  it.each([
    [MIB_V03, 3, { pci: 336, arfcn: 371904, sfn: 154, scs_common: 0, scs_khz: 15 }],
    [MIB_V20, 2 << 16, { pci: 336, arfcn: 372750, sfn: 798, scs_common: 0, scs_khz: 15 }],
    [MIB_V20_B, 2 << 16, { pci: 988, arfcn: 431070, sfn: 0, scs_common: 0, scs_khz: 15 }],
  ])('%s: PCI, NR-ARFCN, SFN and SCS as SCAT reads them', (h, v, fields) => {
    const r = reg.decode(0xb822, hex(h));
    expect(r).toMatchObject({ status: 'decoded', version: v, name: 'NR5G RRC MIB Info' });
    expect(r.fields).toEqual(fields);
  });

  it('the SCS bits: 30–31 in 0.3, 31–32 in 2.0', () => {
    const a = hex(MIB_V03);
    a[13] = 0x40 | (a[13]! & 0x3f); // bits 30–31 = 1
    expect(reg.decode(0xb822, a).fields).toMatchObject({ scs_common: 1, scs_khz: 30 });
    const b = hex(MIB_V20);
    b[14] = 1; // bit 32 = 1, bit 31 = 0 → 2
    expect(reg.decode(0xb822, b).fields).toMatchObject({ scs_common: 2, scs_khz: 60 });
  });

  it.each([MIB_V03, MIB_V20])('%s cut at any offset is malformed or unknown', (h) => {
    const body = hex(h);
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb822, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
  });

  it('version 1.0 is not decoded', () => {
    const body = hex(MIB_V20);
    body[2] = 1;
    expect(reg.decode(0xb822, body)).toMatchObject({ status: 'unknown', version: 1 << 16 });
  });
});

describe('0xB823 NR5G RRC Serving Cell Info', () => {
  it.each([
    [
      SCELL_V04,
      4,
      {
        pci: 669,
        dl_arfcn: 641760,
        ul_arfcn: 640726,
        dl_bandwidth_mhz: 90,
        ul_bandwidth_mhz: 90,
        cell_identity: 0x4f27d1200,
        mcc: 262,
        mnc: '01',
        allowed_access: 1,
        tac: 0x7929,
        band: 78,
      },
    ],
    [
      SCELL_V04_B,
      4,
      {
        pci: 26,
        dl_arfcn: 631968,
        ul_arfcn: 627396,
        dl_bandwidth_mhz: 80,
        ul_bandwidth_mhz: 80,
        cell_identity: 0x69b40ca,
        mcc: 262,
        mnc: '02',
        allowed_access: 0,
        tac: 0xc094,
        band: 78,
      },
    ],
    [
      SCELL_V32,
      (3 << 16) | 2,
      {
        pci: 866,
        nr_cgi: '062f2200481980d5',
        dl_arfcn: 156510,
        ul_arfcn: 144664,
        dl_bandwidth_mhz: 10,
        ul_bandwidth_mhz: 10,
        cell_identity: 0x481980d5,
        mcc: 262,
        mnc: '02',
        allowed_access: 0,
        tac: 0xc096,
        band: 28,
      },
    ],
    [
      SCELL_V33,
      (3 << 16) | 3,
      {
        pci: 75,
        nr_cgi: '00302225573bc801',
        dl_arfcn: 126490,
        ul_arfcn: 134664,
        dl_bandwidth_mhz: 10,
        ul_bandwidth_mhz: 10,
        cell_identity: 0x5573bc801,
        mcc: 302,
        mnc: '220',
        allowed_access: 0,
        tac: 0x21b98e,
        band: 71,
      },
    ],
  ])('%s: the values SCAT prints (NR-ARFCNs, bandwidths, band, PCI, TAC, cell id, MCC/MNC)', (h, v, fields) => {
    const r = reg.decode(0xb823, hex(h));
    expect(r).toMatchObject({ status: 'decoded', version: v, name: 'NR5G RRC Serving Cell Info' });
    expect(r.fields).toEqual(fields);
  });

  it('v3.0: the 3.2 layout without the three bytes after the version', () => {
    const v32 = hex(SCELL_V32);
    const v30 = new Uint8Array(v32.length - 3);
    v30.set([0, 0, 3, 0]);
    v30.set(v32.subarray(7), 4);
    const r = reg.decode(0xb823, v30);
    expect(r).toMatchObject({ status: 'decoded', version: 3 << 16 });
    expect(r.fields).toEqual(reg.decode(0xb823, v32).fields);
  });

  it.each([SCELL_V04, SCELL_V32, SCELL_V33])('%s cut at any offset is malformed or unknown', (h) => {
    const body = hex(h);
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb823, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
  });

  it('version 3.1 is not decoded', () => {
    const body = hex(SCELL_V32);
    body[0] = 1;
    expect(reg.decode(0xb823, body)).toMatchObject({ status: 'unknown', version: (3 << 16) | 1 });
  });
});
