import {
  bits,
  DiagDecodeError,
  u16,
  u32,
  u8,
  type DiagFields,
  type DiagLogDecoder,
  type DiagVersionDecoder,
} from './diag-decoder.js';
import { subPacketVersion } from './sub-packets.js';

/*
 * 0xB193 LTE ML1 Serving Cell Measurement Response (little-endian).
 *
 *   0 version u8 (1) | 1 sub-packet count u8 | 2 reserved u16
 *   4 sub-packets: id u8 | version u8 | size u16 (header included) | body
 *
 * Sub-packet 25 (0x19, "Serving Cell Measurement Result") carries the measurements and its version selects
 * the layout, so it is the version this table is keyed by. Per-cell words hold bit fields; the scalings are
 * RSRP 0.0625·x − 180 dBm, RSRQ 0.0625·x − 30 dB, RSSI 0.0625·x − 110 dBm, SNR 0.1·x − 20 dB; a raw 0 is
 * a chain that was not measured (null). Layouts: MobileInsight dm_collector_c log_packet.h
 * (LtePhySubpktFmt_v1_Scmr_v4/v7/v19/v35/v36) and SCAT parse_lte_ml1_scell_meas_response, checked on the
 * real logs: the combined value equals the best chain in every record of bler_sample (v36), the Nexus 6
 * (v7), Galaxy S5 (v4) and Nexus 6P (v19) logs. For v36, SCAT's RSRQ/RSSI offsets give RSRQ > 0 dB on the
 * real log; MobileInsight's v36 RSRQ offsets and its v35 RSSI/SNR offsets give consistent values.
 */

export const LTE_ML1_SCELL_MEAS_RESPONSE = 0xb193;
const SCMR_SUBPACKET_ID = 25;

/** Where a field sits in a cell block: byte offset of its u32 word, bit shift, width. */
type BitField = readonly [offset: number, shift: number, width: number];

interface ScmrLayout {
  earfcnBytes: 2 | 4;
  /** Offset of the u16 cell count, or undefined for single-cell versions. */
  numCellsAt: number | undefined;
  /** Multi-cell versions flag the serving cell in bit 12 of the PCI word; single-cell ones are the serving cell. */
  servingBit: boolean;
  /** Offset of the u16 valid-Rx mask (1: Rx0, 3: Rx0+Rx1), when present. */
  validRxAt: number | undefined;
  firstCell: number;
  stride: number;
  /** Cell-relative offsets. */
  pciAt: number;
  sfnAt: number;
  rsrpRx: readonly BitField[];
  rsrp: BitField;
  rsrqRx: readonly BitField[];
  rsrq: BitField;
  rssiRx: readonly BitField[];
  rssi: BitField;
  snrRx: readonly BitField[];
}

/* v4: earfcn u16 @0 | pci u16 @2 (9 bits PCI, 3 bits serving cell index) | sfn u16 @4 | … one cell, 76 bytes */
const V4: ScmrLayout = {
  earfcnBytes: 2,
  numCellsAt: undefined,
  servingBit: false,
  validRxAt: undefined,
  firstCell: 2,
  stride: 74,
  pciAt: 0,
  sfnAt: 2,
  rsrpRx: [
    [10, 10, 12],
    [14, 12, 12],
  ],
  rsrp: [18, 12, 12],
  rsrqRx: [
    [22, 12, 10],
    [26, 0, 10],
  ],
  rsrq: [26, 20, 10],
  rssiRx: [
    [30, 10, 11],
    [30, 21, 11],
  ],
  rssi: [34, 0, 11],
  snrRx: [
    [58, 0, 9],
    [58, 9, 9],
  ],
};

/* v7: as v4 with a u32 EARFCN and 2 reserved bytes after the PCI word: one cell, 80 bytes */
const V7: ScmrLayout = { ...V4, earfcnBytes: 4, firstCell: 4, stride: 76, sfnAt: 4, ...shifted(V4, 2) };

/* v19: earfcn u32 @0 | cells u16 @4 | reserved u16 @6 | 4 cell blocks of 88 bytes from @8 */
const V19: ScmrLayout = {
  earfcnBytes: 4,
  numCellsAt: 4,
  servingBit: true,
  validRxAt: undefined,
  firstCell: 8,
  stride: 88,
  pciAt: 0,
  sfnAt: 4,
  rsrpRx: [
    [16, 10, 12],
    [20, 12, 12],
  ],
  rsrp: [24, 12, 12],
  rsrqRx: [
    [28, 12, 10],
    [32, 0, 10],
  ],
  rsrq: [32, 20, 10],
  rssiRx: [
    [36, 10, 11],
    [36, 21, 11],
  ],
  rssi: [40, 0, 11],
  snrRx: [
    [64, 0, 9],
    [64, 9, 9],
  ],
};

/* v36: earfcn u32 @0 | cells u16 @4 | valid Rx u16 @6 | 4 cell blocks of 128 bytes from @8 */
const V36: ScmrLayout = {
  earfcnBytes: 4,
  numCellsAt: 4,
  servingBit: true,
  validRxAt: 6,
  firstCell: 8,
  stride: 128,
  pciAt: 0,
  sfnAt: 4,
  rsrpRx: [
    [16, 10, 12],
    [20, 12, 12],
  ],
  rsrp: [32, 0, 12],
  rsrqRx: [
    [36, 0, 10],
    [36, 20, 10],
  ],
  rsrq: [44, 0, 10],
  rssiRx: [
    [48, 0, 11],
    [48, 11, 11],
  ],
  rssi: [56, 0, 11],
  snrRx: [
    [80, 0, 9],
    [80, 9, 9],
  ],
};

function shifted(l: ScmrLayout, d: number): Partial<ScmrLayout> {
  const s = (f: BitField): BitField => [f[0] + d, f[1], f[2]];
  return {
    rsrpRx: l.rsrpRx.map(s),
    rsrp: s(l.rsrp),
    rsrqRx: l.rsrqRx.map(s),
    rsrq: s(l.rsrq),
    rssiRx: l.rssiRx.map(s),
    rssi: s(l.rssi),
    snrRx: l.snrRx.map(s),
  };
}

const q = (raw: number, offset: number): number | null => (raw === 0 ? null : raw * 0.0625 - offset);
const snr = (raw: number): number | null => (raw === 0 ? null : (raw - 200) / 10);

type CellFields = Record<string, (number | boolean | null | (number | null)[])[]>;

/** The fields of a record, each per-cell array made at `cells` entries (a record without sub-packet 25: 0). */
function cellFields(cells: number): CellFields {
  const f: CellFields = {};
  for (const k of CELL_FIELDS) f[k] = new Array(cells);
  return f;
}

function decoderFor(l: ScmrLayout, size: number): DiagVersionDecoder {
  return (body) => {
    // Made by the first sub-packet 25 at its cell count: empty arrays made first and replaced were a fifth
    // of this decoder's garbage (issue 13).
    let fields: CellFields | undefined;
    const count = u8(body, 1);
    let pos = 4;
    for (let k = 0; k < count; k++) {
      const id = u8(body, pos);
      const version = u8(body, pos + 1);
      const sz = u16(body, pos + 2);
      if (sz < 4 || pos + sz > body.length)
        throw new DiagDecodeError(
          pos + 2,
          `sub-packet size ${sz} does not fit the body (${body.length - pos} bytes left)`,
        );
      if (id === SCMR_SUBPACKET_ID) {
        if (sz !== size)
          throw new DiagDecodeError(pos + 2, `sub-packet 25 version ${version} is ${sz} bytes, its layout ${size}`);
        fields = decodeCells(body.subarray(pos + 4, pos + sz), l, fields);
      }
      pos += sz;
    }
    return (fields ?? cellFields(0)) as DiagFields;
  };
}

/** The cells of one sub-packet 25 into `f` (made here for the record's first one, else appended to). */
function decodeCells(s: Uint8Array, l: ScmrLayout, f: CellFields | undefined): CellFields {
  const earfcn = l.earfcnBytes === 2 ? u16(s, 0) : u32(s, 0);
  const cells = l.numCellsAt === undefined ? 1 : u16(s, l.numCellsAt);
  const room = Math.floor((s.length - l.firstCell) / l.stride);
  if (cells > room) throw new DiagDecodeError(l.numCellsAt ?? 0, `${cells} cells claimed, room for ${room}`);
  const validRx = l.validRxAt === undefined ? 3 : u16(s, l.validRxAt);
  // Straight-line reads into arrays made at their final length (no closure, map() or push() growth per
  // cell): this decoder runs on most serving-cell records and its arrays were most of a log's garbage.
  const at = f === undefined ? 0 : f.earfcn!.length; // 0 unless the record holds a second sub-packet 25
  if (f === undefined) f = cellFields(cells);
  else for (const k of CELL_FIELDS) f[k]!.length = at + cells;
  for (let i = 0; i < cells; i++) {
    const c = l.firstCell + i * l.stride;
    const pciWord = u16(s, c + l.pciAt);
    const sfnWord = u16(s, c + l.sfnAt);
    const j = at + i;
    f.earfcn![j] = earfcn;
    f.pci![j] = pciWord & 0x1ff;
    f.serving_cell_index![j] = (pciWord >> 9) & 7;
    f.is_serving_cell![j] = l.servingBit ? ((pciWord >> 12) & 1) === 1 : true;
    f.sfn![j] = sfnWord & 0x3ff;
    f.subframe![j] = (sfnWord >> 10) & 0xf;
    f.rsrp![j] = q(field(s, c, l.rsrp), 180);
    f.rsrq![j] = q(field(s, c, l.rsrq), 30);
    f.rssi![j] = q(field(s, c, l.rssi), 110);
    f.rsrp_rx![j] = chain(s, c, l.rsrpRx, validRx, 180);
    f.rsrq_rx![j] = chain(s, c, l.rsrqRx, validRx, 30);
    f.rssi_rx![j] = chain(s, c, l.rssiRx, validRx, 110);
    f.snr_rx![j] = chain(s, c, l.snrRx, validRx, SNR);
  }
  return f;
}

/** The per-cell arrays of a record, in the order of its fields. */
const CELL_FIELDS = [
  'earfcn',
  'pci',
  'serving_cell_index',
  'is_serving_cell',
  'sfn',
  'subframe',
  'rsrp',
  'rsrq',
  'rssi',
  'rsrp_rx',
  'rsrq_rx',
  'rssi_rx',
  'snr_rx',
] as const;

/** The bit field `bf` of the cell block at `c`. */
function field(s: Uint8Array, c: number, bf: BitField): number {
  return bits(s, c + bf[0], bf[1], bf[2]);
}

/** Marks the SNR scaling in {@link chain} (every other offset is a 0.0625 dB step scaling). */
const SNR = -1;

/** One value per receive chain: scaled when the chain is valid, else null. */
function chain(s: Uint8Array, c: number, bf: readonly BitField[], validRx: number, off: number): (number | null)[] {
  const out = new Array<number | null>(bf.length);
  for (let rx = 0; rx < bf.length; rx++) {
    if (((validRx >> rx) & 1) === 0) out[rx] = null;
    else {
      const raw = field(s, c, bf[rx]!);
      out[rx] = off === SNR ? snr(raw) : q(raw, off);
    }
  }
  return out;
}

export const lteMl1ScellMeasResponse: DiagLogDecoder = {
  logCode: LTE_ML1_SCELL_MEAS_RESPONSE,
  name: 'LTE ML1 Serving Cell Meas Response',
  // Keyed by the version of sub-packet 25; packet versions other than 1 have no known layout.
  version: (body) => subPacketVersion(body, SCMR_SUBPACKET_ID),
  versions: new Map([
    [4, decoderFor(V4, 80)],
    [7, decoderFor(V7, 84)],
    [19, decoderFor(V19, 364)],
    [36, decoderFor(V36, 524)],
  ]),
};
