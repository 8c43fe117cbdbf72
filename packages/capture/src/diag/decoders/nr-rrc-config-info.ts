import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';
import { hex64 } from './nr-rrc-cell-info.js';

/*
 * 0xB825 NR5G RRC Configuration Info (little-endian). Two public parsers, read for facts only:
 *  - a SCAT-lineage copy of diagnrlogparser.py (`parse_nr_rrc_conf_info`, versions 0.8, 0.A, 2.0 and 3.3;
 *    the copy that also has the 0xB88A parser; fgsect/scat's master leaves this function empty), which
 *    names every field below and quotes one device record (v0.8, 101 bytes: the fixture of the tests);
 *  - lukejenkins/diaggrok src/diaggrok/parsers/diag_0xb825.py (clean-room, checked on 1,330 device
 *    records), whose cell-list grammar for 0.8, 0.A, 2.0 (its byte-0 0x08, 0x0A, 0x00 with major 2) and
 *    3.3 (0x03) has the same offsets and entry sizes; it reads the record length as closed by the lists.
 * The version is a u32 (minor u16 | major u16), keyed major << 16 | minor like the other NR codes.
 *
 * v0.8, 0.A, 2.0:  0 version u32 | 4 RRC state u8 | 5 config status u8 | 6 connectivity mode u8
 *   | 7 active SRBs u8 | 8 active DRBs u8 | 9 six DRB ids u32 (MN/SN × MCG, SCG, split) | 33 LTE bands u8
 *   | 34 LTE band u16 × 12 | 58 contiguous CC groups u8 | 59 active CCs u8 | 60 active RBs u8 | 61 lists
 * v3.3:  0 version u32 | 4 NR CGI u64 | 12 the five u8 above | 17 six DRB ids | 41 LTE bands u8
 *   | 42 LTE band u16 × 12 | 66 CC groups u8 | 67 NR-DC SCG CC groups u8 | 68 active CCs u8
 *   | 69 NR-DC SCG active CCs u8 | 70 active RBs u8 | 71 lists
 * Lists, in order: CC groups (4 bytes: band u16 | 2 bytes whose meaning the two sources disagree on —
 *   DL/UL bandwidth class in SCAT's copy, a class and a PCell flag in diaggrok — not decoded)
 *   [3.3: then the NR-DC SCG groups]; active CCs: CC id u8 | PCI u16 | DL NR-ARFCN u32 | UL NR-ARFCN u32
 *   | [0.A, 2.0, 3.3: SSB NR-ARFCN u32] | band u16 | band type u8 | DL bandwidth u8 | UL bandwidth u8
 *   | [3.3: SCS u8] | DL, UL max MIMO u8 — 18 bytes (0.8), 22 (0.A, 2.0), 23 (3.3) [3.3: then the NR-DC
 *   SCG CCs]; radio bearers, 18 bytes each (not decoded, but the body must hold them: a record cut anywhere
 *   is malformed). Bytes after the lists are allowed (diaggrok saw fixed-size SDX55 records longer than
 *   their counts).
 *
 * The names of the RRC states, modes, band types and the bandwidth codes are SCAT's copy's (its device
 * record's bandwidth code 11 = 90 MHz on n78, PCI 669, as SCAT's own 0xB823 v0.4 test payload has);
 * a UL NR-ARFCN of 0 means no UL carrier (diaggrok: the DL value is then not the carrier centre).
 * The max MIMO bytes and the 3.3 SCS code are left out (0 in the device record; no map in either source).
 * Not decoded: 3.4 and 3.6 (diaggrok only, without the RRC state fields). No real sample carries 0xB825.
 */

export const NR_RRC_CONFIG_INFO = 0xb825;

/** RRC state names per version family (SCAT's copy: v0.x and v3.3 number the states differently). */
const STATES_V0 = [
  'deactivated',
  'initial',
  'inactive',
  'idle_not_camped',
  'idle_camped',
  'connecting',
  'connecting_not_camped',
  'connected',
  'suspended',
  'irat_to_nr5g_started',
  'closing',
  'resuming',
  'inactive_suspending',
  'inactive_not_camped',
  'inactive_camped',
  'invalid',
  'idle',
  'irat',
];
const STATES_V3 = ['inactive', 'idle_not_camped', 'connected', 'suspended', 'idle', 'irat', 'invalid'];
const MODES = ['invalid', 'nsa', 'sa', 'nr_dc'];
const BAND_TYPES = ['invalid', 'sub6', 'mmw'];
/** Bandwidth codes → MHz (v3.3 inserts 35 and 45 MHz). */
const BW_V0 = [5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 200, 400];
const BW_V3 = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 200, 400];

const GROUP = 4;
const RB = 18;
const LTE_BAND_SLOTS = 12;

interface Layout {
  /** 3.3: an NR CGI u64 at 4, before the RRC state. */
  cgi: boolean;
  /** Offset of the RRC state byte. */
  state: number;
  /** Offset of the count bytes: groups, [SCG groups], CCs, [SCG CCs], RBs. */
  counts: number;
  nrdc: boolean;
  /** Active CC entry size and whether it holds an SSB NR-ARFCN. */
  cc: number;
  ssb: boolean;
  states: readonly string[];
  bw: readonly number[];
}

const version = (b: Uint8Array): number | undefined => (b.length >= 4 ? u32(b, 0) : undefined);

const name = (names: readonly string[], code: number): string | null => names[code] ?? null;

function decoderFor(l: Layout): DiagVersionDecoder {
  const lists = l.counts + (l.nrdc ? 5 : 3);
  return (b) => {
    if (b.length < lists)
      throw new DiagDecodeError(b.length, `the header needs ${lists} bytes but the body has ${b.length}`);
    const s = l.state;
    const lteCount = u8(b, s + 29);
    if (lteCount > LTE_BAND_SLOTS)
      throw new DiagDecodeError(s + 29, `${lteCount} LTE bands in ${LTE_BAND_SLOTS} slots`);
    const c = l.counts;
    const groups = u8(b, c);
    const scgGroups = l.nrdc ? u8(b, c + 1) : 0;
    const ccs = u8(b, l.nrdc ? c + 2 : c + 1);
    const scgCcs = l.nrdc ? u8(b, c + 3) : 0;
    const rbs = u8(b, l.nrdc ? c + 4 : c + 2);
    const end = lists + GROUP * (groups + scgGroups) + l.cc * (ccs + scgCcs) + RB * rbs;
    if (b.length < end)
      throw new DiagDecodeError(
        b.length,
        `${groups + scgGroups} CC groups, ${ccs + scgCcs} CCs and ${rbs} radio bearers need ${end} bytes but the body has ${b.length}`,
      );
    const lteBands: number[] = [];
    for (let i = 0; i < lteCount; i++) lteBands.push(u16(b, s + 30 + 2 * i));
    const groupBand: number[] = [];
    for (let i = 0; i < groups + scgGroups; i++) groupBand.push(u16(b, lists + GROUP * i));
    const f = {
      cc_id: [] as number[],
      pci: [] as number[],
      dl_arfcn: [] as number[],
      ul_arfcn: [] as (number | null)[],
      ssb_arfcn: [] as (number | null)[],
      band: [] as number[],
      band_type: [] as (string | null)[],
      dl_bandwidth_mhz: [] as (number | null)[],
      ul_bandwidth_mhz: [] as (number | null)[],
    };
    let p = lists + GROUP * (groups + scgGroups);
    for (let i = 0; i < ccs + scgCcs; i++, p += l.cc) {
      const o = p + (l.ssb ? 15 : 11); // band, after the UL (and SSB) NR-ARFCN
      const ul = u32(b, p + 7);
      f.cc_id.push(u8(b, p));
      f.pci.push(u16(b, p + 1));
      f.dl_arfcn.push(u32(b, p + 3));
      f.ul_arfcn.push(ul === 0 ? null : ul);
      f.ssb_arfcn.push(l.ssb ? u32(b, p + 11) : null);
      f.band.push(u16(b, o));
      f.band_type.push(name(BAND_TYPES, u8(b, o + 2)));
      f.dl_bandwidth_mhz.push(l.bw[u8(b, o + 3)] ?? null);
      f.ul_bandwidth_mhz.push(l.bw[u8(b, o + 4)] ?? null);
    }
    const state = u8(b, s);
    const mode = u8(b, s + 2);
    return {
      ...(l.cgi ? { nr_cgi: hex64(b, 4) } : {}),
      rrc_state: state,
      rrc_state_name: name(l.states, state),
      config_status: u8(b, s + 1),
      connectivity_mode: name(MODES, mode),
      active_srbs: u8(b, s + 3),
      active_drbs: u8(b, s + 4),
      lte_bands: lteBands,
      cc_group_band: groupBand,
      ...f,
      ...(l.nrdc ? { nrdc_scg: f.cc_id.map((_, i) => i >= ccs) } : {}),
      active_rbs: rbs,
    };
  };
}

const V0 = { cgi: false, state: 4, counts: 58, nrdc: false, states: STATES_V0, bw: BW_V0 } as const;

export const nrRrcConfigInfo: DiagLogDecoder = {
  logCode: NR_RRC_CONFIG_INFO,
  name: 'NR5G RRC Configuration Info',
  version,
  versions: new Map([
    [8, decoderFor({ ...V0, cc: 18, ssb: false })],
    [0xa, decoderFor({ ...V0, cc: 22, ssb: true })],
    [2 << 16, decoderFor({ ...V0, cc: 22, ssb: true })],
    [
      (3 << 16) | 3,
      decoderFor({ cgi: true, state: 12, counts: 66, nrdc: true, cc: 23, ssb: true, states: STATES_V3, bw: BW_V3 }),
    ],
  ]),
};
