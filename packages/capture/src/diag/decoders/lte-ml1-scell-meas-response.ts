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

/** A per-cell array of a record (null-filled when made: see {@link CellFields}). */
type PerCell<T> = (T | null)[];

/**
 * The fields of a record, each per-cell array made at `cells` entries (a record without sub-packet 25: 0),
 * in the order the decoded record lists them. A class, not an object given its keys one by one: every record
 * then has one hidden class (the keyed stores of 13 names went through a chain of them per record). Each
 * array is filled with null first, so that every array of every record has V8's one generic elements kind:
 * left to what is stored, an array of RSRP values was doubles in one record and doubles with null in the
 * next (one array map each), and the code reading them (the UE detectors, the KPI windows) deoptimised at
 * each new map (issue 13: "wrong map" under --trace-deopt, 2–3 recompilations of the 0xB193 path).
 */
class CellFields {
  readonly earfcn: PerCell<number>;
  readonly pci: PerCell<number>;
  readonly serving_cell_index: PerCell<number>;
  readonly is_serving_cell: PerCell<boolean>;
  readonly sfn: PerCell<number>;
  readonly subframe: PerCell<number>;
  readonly rsrp: PerCell<number>;
  readonly rsrq: PerCell<number>;
  readonly rssi: PerCell<number>;
  readonly rsrp_rx: PerCell<PerCell<number>>;
  readonly rsrq_rx: PerCell<PerCell<number>>;
  readonly rssi_rx: PerCell<PerCell<number>>;
  readonly snr_rx: PerCell<PerCell<number>>;
  constructor(cells: number) {
    this.earfcn = nulls(cells);
    this.pci = nulls(cells);
    this.serving_cell_index = nulls(cells);
    this.is_serving_cell = nulls(cells);
    this.sfn = nulls(cells);
    this.subframe = nulls(cells);
    this.rsrp = nulls(cells);
    this.rsrq = nulls(cells);
    this.rssi = nulls(cells);
    this.rsrp_rx = nulls(cells);
    this.rsrq_rx = nulls(cells);
    this.rssi_rx = nulls(cells);
    this.snr_rx = nulls(cells);
  }

  /** A copy of its own (the per-chain arrays too), not reused. */
  copy(): CellFields {
    const c = new CellFields(0);
    const arrays = (f: CellFields): unknown[][] => [
      f.earfcn,
      f.pci,
      f.serving_cell_index,
      f.is_serving_cell,
      f.sfn,
      f.subframe,
      f.rsrp,
      f.rsrq,
      f.rssi,
      f.rsrp_rx,
      f.rsrq_rx,
      f.rssi_rx,
      f.snr_rx,
    ];
    const to = arrays(c);
    arrays(this).forEach((a, k) => {
      for (const v of a) to[k]!.push(Array.isArray(v) ? v.slice() : v);
    });
    return c;
  }

  /** Every array at `n` entries, the new ones null (a record's second sub-packet 25 appends its cells). */
  grow(n: number): void {
    for (const a of [
      this.earfcn,
      this.pci,
      this.serving_cell_index,
      this.is_serving_cell,
      this.sfn,
      this.subframe,
      this.rsrp,
      this.rsrq,
      this.rssi,
      this.rsrp_rx,
      this.rsrq_rx,
      this.rssi_rx,
      this.snr_rx,
    ] as unknown[][])
      for (let i = a.length; i < n; i++) a.push(null);
  }
}

/**
 * `n` nulls, always made this way (one elements kind: see {@link CellFields}); a loop, not fill(null), which
 * was a call out of compiled code per array (a tenth of the 0xB193 path's time on the bench:diag input).
 */
function nulls<T>(n: number): PerCell<T> {
  const a = new Array<T | null>(n);
  for (let i = 0; i < n; i++) a[i] = null;
  return a;
}

function decoderFor(l: ScmrLayout, size: number): DiagVersionDecoder {
  /**
   * One result per cell count, refilled by each record (issue 13: a record's thirteen per-cell arrays and
   * four per-chain arrays a cell were a quarter of the DIAG analysis's garbage). A decoded record's fields
   * are therefore valid until the next 0xB193 record of the same layout is decoded — as a DiagRecord is
   * until next(): the DIAG analyzer, its KPI windows and UE detectors read them during the call and copy
   * what they keep, `l1t decode` prints each record before the next.
   */
  const scratch: CellFields[] = [];
  return (body) => {
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
        fields = decodeCells(body.subarray(pos + 4, pos + sz), l, fields, scratch);
      }
      pos += sz;
    }
    return (fields ?? reusable(scratch, 0)) as unknown as DiagFields;
  };
}

/** The result for `cells` cells, every array at that length (made once per cell count, then refilled). */
function reusable(scratch: CellFields[], cells: number): CellFields {
  let f = scratch[cells];
  if (f === undefined) {
    f = new CellFields(cells);
    for (let j = 0; j < cells; j++) {
      f.rsrp_rx[j] = nulls(2);
      f.rsrq_rx[j] = nulls(2);
      f.rssi_rx[j] = nulls(2);
      f.snr_rx[j] = nulls(2);
    }
    while (scratch.length < cells) scratch.push(undefined as unknown as CellFields); // no holes
    scratch[cells] = f;
  }
  return f;
}

/**
 * The cells of one sub-packet 25 into `f` (the reusable result for the record's first one, else appended
 * to a copy of its own).
 */
function decodeCells(s: Uint8Array, l: ScmrLayout, f: CellFields | undefined, scratch: CellFields[]): CellFields {
  // The header words are read for every layout and what a layout lacks is discarded: a read behind a layout's
  // branch had no type feedback until the first record of another layout reached it, and V8 threw the
  // compiled decoder away there (issue 13: 'Insufficient type feedback for call' under --trace-deopt, this
  // function compiled 4 times on the bench:diag input, whose logs change version). The sub-packet is the
  // layout's whole size (checked by the caller, ≥ 76 bytes), so every read is in range.
  const word0 = u32(s, 0);
  const earfcn = l.earfcnBytes === 2 ? word0 & 0xffff : word0;
  const cellsWord = u16(s, l.numCellsAt ?? 0);
  const cells = l.numCellsAt === undefined ? 1 : cellsWord;
  const room = Math.floor((s.length - l.firstCell) / l.stride);
  if (cells > room) throw new DiagDecodeError(l.numCellsAt ?? 0, `${cells} cells claimed, room for ${room}`);
  const validRxWord = u16(s, l.validRxAt ?? 0);
  const validRx = l.validRxAt === undefined ? 3 : validRxWord;
  // Straight-line reads into arrays made at their final length (no closure, map() or push() growth per
  // cell): this decoder runs on most serving-cell records and its arrays were most of a log's garbage.
  const at = f === undefined ? 0 : f.earfcn.length; // 0 unless the record holds a second sub-packet 25
  if (f === undefined) f = reusable(scratch, cells);
  else {
    // a second sub-packet 25 (not met in the real logs): the reusable result is grown on a copy
    if (scratch[f.earfcn.length] === f) f = f.copy();
    f.grow(at + cells);
  }
  for (let i = 0; i < cells; i++) {
    const c = l.firstCell + i * l.stride;
    const pciWord = u16(s, c + l.pciAt);
    const sfnWord = u16(s, c + l.sfnAt);
    const j = at + i;
    f.earfcn[j] = earfcn;
    f.pci[j] = pciWord & 0x1ff;
    f.serving_cell_index[j] = (pciWord >> 9) & 7;
    const servingFlag = ((pciWord >> 12) & 1) === 1; // computed for every layout: see the header words
    f.is_serving_cell[j] = l.servingBit ? servingFlag : true;
    f.sfn[j] = sfnWord & 0x3ff;
    f.subframe[j] = (sfnWord >> 10) & 0xf;
    f.rsrp[j] = q(field(s, c, l.rsrp), 180);
    f.rsrq[j] = q(field(s, c, l.rsrq), 30);
    f.rssi[j] = q(field(s, c, l.rssi), 110);
    chain(s, c, l.rsrpRx, validRx, 180, f.rsrp_rx, j);
    chain(s, c, l.rsrqRx, validRx, 30, f.rsrq_rx, j);
    chain(s, c, l.rssiRx, validRx, 110, f.rssi_rx, j);
    chain(s, c, l.snrRx, validRx, SNR, f.snr_rx, j);
  }
  return f;
}

/** The bit field `bf` of the cell block at `c`. */
function field(s: Uint8Array, c: number, bf: BitField): number {
  return bits(s, c + bf[0], bf[1], bf[2]);
}

/** Marks the SNR scaling in {@link chain} (every other offset is a 0.0625 dB step scaling). */
const SNR = -1;

/**
 * One value per receive chain into `into[j]` (every layout has two): scaled when the chain is valid, else
 * null. The array is made null-filled (one elements kind whatever the values: CellFields says why) when the
 * cell has none yet (a grown copy's new cells), else refilled, every entry written.
 */
function chain(
  s: Uint8Array,
  c: number,
  bf: readonly BitField[],
  validRx: number,
  off: number,
  into: PerCell<PerCell<number>>,
  j: number,
): void {
  const out = into[j] ?? (into[j] = nulls<number>(bf.length));
  for (let rx = 0; rx < bf.length; rx++) {
    // Read and scaled for every chain, then stored as null when not valid: one store every record reaches
    // (a store only some logs reach threw the compiled decoder away when the first of them came: decodeCells
    // says why that costs). The cell block is the layout's whole size, so every read is in range.
    const raw = field(s, c, bf[rx]!);
    const v = off === SNR ? snr(raw) : q(raw, off);
    out[rx] = ((validRx >> rx) & 1) !== 0 ? v : null;
  }
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
