import { describe, expect, it } from 'vitest';
import { nrRrcConfigBody, type NrRrcConfigCcRaw, type NrRrcConfigRaw } from '../build/nr-bodies.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));

const V08 = 8;
const V0A = 0xa;
const V20 = 2 << 16;
const V33 = (3 << 16) | 3;

/*
 * The device record (v0.8, 101 bytes) quoted byte for byte in the SCAT-lineage parser's comment: SA, one
 * n78 CC with PCI 669, DL/UL NR-ARFCN 643666, bandwidth code 11 (90 MHz), one radio bearer.
 */
const DEVICE_V08 = [
  '08000000', // version 0.8
  '100102010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010101', // state … counts
  '4e000101', // CC group: n78
  '009d0252d2090052d209004e00010b0b0000', // CC: PCI 669, NR-ARFCN 643666/643666, n78, sub-6, 90/90 MHz, MIMO bytes
  '210201020000000102000000000000000000', // radio bearer
].join('');

const cc = (o: Partial<NrRrcConfigCcRaw> = {}): NrRrcConfigCcRaw => ({
  ccId: 0,
  pci: 0,
  dlArfcn: 0,
  ulArfcn: 0,
  ssbArfcn: 0,
  band: 0,
  bandType: 1,
  dlBw: 0,
  ulBw: 0,
  ...o,
});

/** One group, one CC, one radio bearer: the counts of the device records diaggrok sizes below. */
const single = (version: number, c: NrRrcConfigCcRaw, o: Partial<NrRrcConfigRaw> = {}): NrRrcConfigRaw => ({
  version,
  state: 7,
  configStatus: 1,
  mode: 1,
  srbs: 3,
  drbs: 1,
  lteBands: [66],
  groupBands: [c.band],
  ccs: [c],
  rbIds: [1],
  ...o,
});

describe('0xB825 NR5G RRC Configuration Info', () => {
  it('the device record v0.8: SA, PCI 669 on n78, NR-ARFCN 643666, 90 MHz, one radio bearer', () => {
    const r = reg.decode(0xb825, hex(DEVICE_V08));
    expect(r).toMatchObject({ status: 'decoded', version: V08, name: 'NR5G RRC Configuration Info' });
    expect(r.fields).toEqual({
      rrc_state: 16,
      rrc_state_name: 'idle',
      config_status: 1,
      connectivity_mode: 'sa',
      active_srbs: 1,
      active_drbs: 0,
      lte_bands: [],
      cc_group_band: [78],
      cc_id: [0],
      pci: [669],
      dl_arfcn: [643666],
      ul_arfcn: [643666],
      ssb_arfcn: [null],
      band: [78],
      band_type: ['sub6'],
      dl_bandwidth_mhz: [90],
      ul_bandwidth_mhz: [90],
      active_rbs: 1,
    });
  });

  /*
   * Record lengths and cells that diaggrok reports for device records with one group, one CC and one radio
   * bearer (its docstring: 0.A 105 B on n41 PCI 596 SSB 501390 carrier 528144; 2.0 105 B on n77 CC 7 PCI 236
   * SSB 653952 carrier 655320; 3.3 116 B on n41 CC 7 PCI 596 SSB 501390 carrier 509202): the layout of each
   * version must give that length and read those cells back.
   */
  it.each([
    [V0A, 105, cc({ pci: 596, dlArfcn: 528144, ulArfcn: 528144, ssbArfcn: 501390, band: 41, dlBw: 11, ulBw: 11 })],
    [V20, 105, cc({ ccId: 7, pci: 236, dlArfcn: 655320, ulArfcn: 655320, ssbArfcn: 653952, band: 77, dlBw: 12 })],
    [V33, 116, cc({ ccId: 7, pci: 596, dlArfcn: 509202, ulArfcn: 509202, ssbArfcn: 501390, band: 41, dlBw: 14 })],
  ])('version %i: a one-cell record is %i bytes, as on the devices', (version, length, c) => {
    const body = nrRrcConfigBody(single(version, c, { nrCgi: 0x0130062100000000n }));
    expect(body.length).toBe(length);
    const r = reg.decode(0xb825, body);
    expect(r).toMatchObject({ status: 'decoded', version });
    expect(r.fields).toMatchObject({
      cc_id: [c.ccId],
      pci: [c.pci],
      dl_arfcn: [c.dlArfcn],
      ul_arfcn: [c.ulArfcn],
      ssb_arfcn: [c.ssbArfcn],
      band: [c.band],
      cc_group_band: [c.band],
      lte_bands: [66],
      active_rbs: 1,
    });
  });

  it('v0.8 cells have no SSB NR-ARFCN; bandwidth codes and states follow the 0.x maps', () => {
    const body = nrRrcConfigBody(
      single(V08, cc({ pci: 310, dlArfcn: 126400, ulArfcn: 135600, band: 71, dlBw: 3, ulBw: 14 }), {
        state: 7,
        mode: 1,
        rbIds: [1, 2, 3],
      }),
    );
    expect(body.length).toBe(137); // diaggrok: v0.8 records of 101, 137 and 155 bytes (1, 3 and 4 bearers)
    expect(reg.decode(0xb825, body).fields).toMatchObject({
      rrc_state_name: 'connected',
      connectivity_mode: 'nsa',
      ssb_arfcn: [null],
      band: [71],
      dl_bandwidth_mhz: [20],
      ul_bandwidth_mhz: [400],
      active_rbs: 3,
    });
  });

  it('v3.3: NR CGI, its own state and bandwidth maps, NR-DC SCG groups and CCs after the MCG ones', () => {
    const body = nrRrcConfigBody({
      version: V33,
      nrCgi: 0x0130062187eac028n,
      state: 2,
      configStatus: 1,
      mode: 3,
      srbs: 3,
      drbs: 2,
      lteBands: [],
      groupBands: [41],
      ccs: [cc({ pci: 260, dlArfcn: 509202, ulArfcn: 509202, ssbArfcn: 501390, band: 41, dlBw: 14, ulBw: 6 })],
      scgGroupBands: [260],
      scgCcs: [cc({ ccId: 1, pci: 12, dlArfcn: 2254165, ulArfcn: 0, ssbArfcn: 2253743, band: 260, bandType: 2 })],
      rbIds: [1, 2],
    });
    const r = reg.decode(0xb825, body);
    expect(r).toMatchObject({ status: 'decoded', version: V33 });
    expect(r.fields).toEqual({
      nr_cgi: '0130062187eac028',
      rrc_state: 2,
      rrc_state_name: 'connected',
      config_status: 1,
      connectivity_mode: 'nr_dc',
      active_srbs: 3,
      active_drbs: 2,
      lte_bands: [],
      cc_group_band: [41, 260],
      cc_id: [0, 1],
      pci: [260, 12],
      dl_arfcn: [509202, 2254165],
      ul_arfcn: [509202, null],
      ssb_arfcn: [501390, 2253743],
      band: [41, 260],
      band_type: ['sub6', 'mmw'],
      dl_bandwidth_mhz: [100, 5],
      ul_bandwidth_mhz: [35, 5],
      nrdc_scg: [false, true],
      active_rbs: 2,
    });
  });

  it('a fixed-size record longer than its counts decodes from its counts (diaggrok: SDX55 105 B with 0/0/1)', () => {
    const body = new Uint8Array(105);
    body.set(nrRrcConfigBody(single(V0A, cc(), { groupBands: [], ccs: [], lteBands: [] })));
    expect(reg.decode(0xb825, body)).toMatchObject({ status: 'decoded', fields: { pci: [], active_rbs: 1 } });
  });

  it.each([
    ['device v0.8', hex(DEVICE_V08)],
    ['v0.A', nrRrcConfigBody(single(V0A, cc({ band: 41 })))],
    ['v2.0', nrRrcConfigBody(single(V20, cc({ band: 77 })))],
    ['v3.3', nrRrcConfigBody(single(V33, cc({ band: 41 }), { scgCcs: [cc()], scgGroupBands: [1] }))],
  ])('%s cut at any offset is malformed or unknown', (_, body) => {
    expect(reg.decode(0xb825, body).status).toBe('decoded');
    for (let n = 0; n < body.length; n++)
      expect(reg.decode(0xb825, body.subarray(0, n)).status, `cut at ${n}`).toBe(n < 4 ? 'unknown' : 'malformed');
  });

  it('more LTE bands than the 12 slots is malformed', () => {
    const body = hex(DEVICE_V08);
    body[33] = 13;
    expect(reg.decode(0xb825, body)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/13 LTE bands/),
    });
  });

  it.each([(3 << 16) | 4, (3 << 16) | 6, 9])('version %i is not decoded (no verified layout)', (v) => {
    const body = nrRrcConfigBody(single(V33, cc({ band: 41 })));
    new DataView(body.buffer).setUint32(0, v, true);
    expect(reg.decode(0xb825, body)).toMatchObject({ status: 'unknown', version: v });
  });
});
