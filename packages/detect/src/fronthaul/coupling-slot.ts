import type { FlowKey } from '@l1t/contracts';
/**
 * One open slot of one eAxC × direction for the C/U-plane coupling check (coupling.ts): the C-plane
 * sections announced for it, the U-plane sections that found no C-plane section yet, and the PRB envelope
 * of U-plane data received per symbol. Objects are pooled; arrays grow only to a new maximum.
 */

/** "Not coupled by sectionId" (CUS §7.8.1): such a U-plane section couples by symbol and PRBs only. */
export const SECTION_ID_ANY = 4095;
/** numPrbc 0 = "all PRBs" with no NRB known: the section reaches the end of any carrier. */
export const PRB_END_OPEN = 1 << 12;

/**
 * True when every PRB of the U-plane section (startU, numU PRBs, every other one when rbU) is one of the
 * C-plane section's PRBs (startC, numC, every other one when rbC) — CUS §7.8.1, `rb` in §7.5.3.3.
 */
export function prbSetCovers(
  startC: number,
  numC: number,
  rbC: number,
  startU: number,
  numU: number,
  rbU: number,
): boolean {
  if (numU <= 0) return true;
  const stepU = rbU ? 2 : 1;
  const lastU = startU + (numU - 1) * stepU;
  if (!rbC) return startU >= startC && lastU <= startC + numC - 1;
  if (numU > 1 && stepU === 1) return false;
  return startU >= startC && (startU - startC) % 2 === 0 && lastU <= startC + (numC - 1) * 2;
}

/** int32 columns per C-plane section in {@link OpenSlot} (see `cSectionId` … `cReMask`). */
const C_COLS = 8;
/** Shared until a slot has an uncoupled U-plane section (clean traffic never has). */
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_I64 = new BigInt64Array(0);

export class OpenSlot {
  /** frameId·1024 + subframeId·64 + slotId. */
  key = 0;
  /** Incremented on every reuse, so that stale references to a pooled slot can be told apart. */
  serial = 0;
  /** Dense flow id and entry of the slot in coupling.ts's per-flow table. */
  /** Dense id of the stream (`FlowRef.pairId`: link × eAxC × direction) whose table holds the slot. */
  fid = 0;
  /** The stream's flows (for reports); set by the coupling detector. */
  stream:
    | {
        readonly linkSuffix: string;
        slots: number;
        slotsWithC: number;
        slotsWithU: number;
        key(plane: 'c' | 'u'): FlowKey;
        name(plane: 'c' | 'u'): string;
      }
    | undefined = undefined;
  tableIndex = 0;
  /** eaxc << 1 | DL. */
  flow2 = 0;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  /** Capture time of the slot's first message, ns relative to the detector's base. */
  firstRelNs = 0;
  /** The slot started so close to the capture start that its C-plane may predate the capture. */
  atCaptureStart = false;
  open = false;

  // C-plane sections (types 1, 3, 5); arrays start small and double when needed (a full flow table holds
  // thousands of open slots, most with a handful of sections)
  cN = 0;
  /**
   * Section columns, {@link C_COLS} int32 per section (sectionId, startSym, numSym, startPrb, numPrb, rb,
   * section type, reMask): one typed array instead of eight (a full flow table holds thousands of slots).
   */
  private cCols = new Int32Array(4 * C_COLS);
  cIndex = new Float64Array(4);
  cTs = new BigInt64Array(4);
  /** C-plane messages seen for the slot (any section type). */
  cMessages = 0;
  /** The C-plane section {@link findC} found last (where its next scan starts). */
  private lastFound = 0;

  // U-plane sections not coupled so far: none in clean traffic, so the arrays are allocated on the first one
  uN = 0;
  uSectionId: Int32Array = EMPTY_I32;
  uSym: Int32Array = EMPTY_I32;
  uStartPrb: Int32Array = EMPTY_I32;
  uNumPrb: Int32Array = EMPTY_I32;
  uRb: Uint8Array = EMPTY_U8;
  uIndex: Float64Array = EMPTY_F64;
  uTs: BigInt64Array = EMPTY_I64;
  /** U-plane sections seen for the slot (coupled or not). */
  uSections = 0;

  /** Per symbol: lowest first PRB and highest last PRB + 1 of the U-plane data received (envelope). */
  /** [0, 16): lowest first PRB; [16, 32): highest last PRB + 1 — per symbol. */
  private readonly env = new Int32Array(32);

  reset(key: number, flow2: number, frameId: number, subframeId: number, slotId: number, relNs: number): this {
    this.key = key;
    this.serial++;
    this.flow2 = flow2;
    this.frameId = frameId;
    this.subframeId = subframeId;
    this.slotId = slotId;
    this.firstRelNs = relNs;
    this.atCaptureStart = false;
    this.open = true;
    this.cN = this.uN = this.cMessages = this.uSections = this.lastFound = 0;
    this.env.fill(0x7fffffff, 0, 16);
    this.env.fill(-1, 16, 32);
    return this;
  }

  addC(
    sectionId: number,
    startSym: number,
    numSym: number,
    startPrb: number,
    numPrb: number,
    rb: number,
    type: number,
    reMask: number,
    index: number,
    ts: bigint,
  ): void {
    if (this.cN === this.cIndex.length) this.growC();
    const k = this.cN++;
    const c = this.cCols;
    const o = k * C_COLS;
    c[o] = sectionId;
    c[o + 1] = startSym;
    c[o + 2] = numSym;
    c[o + 3] = startPrb;
    c[o + 4] = numPrb;
    c[o + 5] = rb;
    c[o + 6] = type;
    c[o + 7] = reMask;
    this.cIndex[k] = index;
    this.cTs[k] = ts;
  }

  addU(sectionId: number, sym: number, startPrb: number, numPrb: number, rb: number, index: number, ts: bigint): void {
    if (this.uN === this.uSectionId.length) this.growU();
    const k = this.uN++;
    this.uSectionId[k] = sectionId;
    this.uSym[k] = sym;
    this.uStartPrb[k] = startPrb;
    this.uNumPrb[k] = numPrb;
    this.uRb[k] = rb;
    this.uIndex[k] = index;
    this.uTs[k] = ts;
  }

  /** Removes pending U-plane section k, keeping arrival order. */
  removeU(k: number): void {
    const n = --this.uN;
    this.uSectionId.copyWithin(k, k + 1, n + 1);
    this.uSym.copyWithin(k, k + 1, n + 1);
    this.uStartPrb.copyWithin(k, k + 1, n + 1);
    this.uNumPrb.copyWithin(k, k + 1, n + 1);
    this.uRb.copyWithin(k, k + 1, n + 1);
    this.uIndex.copyWithin(k, k + 1, n + 1);
    this.uTs.copyWithin(k, k + 1, n + 1);
  }

  /** Records U-plane data on `sym` for the envelope (symbols ≥ 16 are ignored). */
  touch(sym: number, startPrb: number, endPrb: number): void {
    if (sym < 0 || sym >= 16) return;
    if (startPrb < this.env[sym]!) this.env[sym] = startPrb;
    if (endPrb > this.env[16 + sym]!) this.env[16 + sym] = endPrb;
  }

  /** True when C-plane section k's symbols and PRBs overlap any U-plane data received in the slot. */
  cTouched(k: number): boolean {
    const s0 = this.cStartSym(k);
    const s1 = Math.min(16, s0 + this.cNumSym(k));
    const p0 = this.cStartPrb(k);
    const p1 = p0 + (this.cNumPrb(k) - 1) * (this.cRb(k) ? 2 : 1) + 1;
    for (let s = s0; s < s1; s++) if (this.env[16 + s]! > p0 && this.env[s]! < p1) return true;
    return false;
  }

  /**
   * Index of a C-plane section coupling U-plane section (sectionId, sym, PRBs), or -1. Callers only ask
   * whether one exists, so the scan starts at the section found last time and wraps around: a slot's
   * U-plane sections largely follow the order of its C-plane sections (the 300 MB fh_ks shape, 14 C-plane
   * sections per slot: 3.8 sections examined per look-up instead of 8.4 from the first; issue 14).
   */
  findC(sectionId: number, sym: number, startPrb: number, numPrb: number, rb: number): number {
    const n = this.cN;
    for (let i = 0, k = this.lastFound; i < n; i++, k++) {
      if (k >= n) k = 0;
      const cid = this.cSectionId(k);
      if (cid !== sectionId && sectionId !== SECTION_ID_ANY && cid !== SECTION_ID_ANY) continue;
      const s0 = this.cStartSym(k);
      if (sym < s0 || sym >= s0 + this.cNumSym(k)) continue;
      if (prbSetCovers(this.cStartPrb(k), this.cNumPrb(k), this.cRb(k), startPrb, numPrb, rb)) {
        this.lastFound = k;
        return k;
      }
    }
    return -1;
  }

  /** Why pending U-plane section k found no C-plane section (for evidence). */
  reason(k: number): 'no_cplane' | 'no_section_id' | 'symbol_outside' | 'prbs_outside' {
    if (this.cN === 0) return 'no_cplane';
    const id = this.uSectionId[k]!;
    let sameId = false;
    let symOk = false;
    for (let c = 0; c < this.cN; c++) {
      const cid = this.cSectionId(c);
      if (cid !== id && id !== SECTION_ID_ANY && cid !== SECTION_ID_ANY) continue;
      sameId = true;
      const s0 = this.cStartSym(c);
      if (this.uSym[k]! >= s0 && this.uSym[k]! < s0 + this.cNumSym(c)) symOk = true;
    }
    if (!sameId) return 'no_section_id';
    return symOk ? 'prbs_outside' : 'symbol_outside';
  }

  private growC(): void {
    const n = this.cIndex.length * 2;
    const cols = new Int32Array(n * C_COLS);
    cols.set(this.cCols);
    this.cCols = cols;
    const index = new Float64Array(n);
    index.set(this.cIndex);
    this.cIndex = index;
    const ts = new BigInt64Array(n);
    ts.set(this.cTs);
    this.cTs = ts;
  }

  // C-plane section k's columns
  cSectionId(k: number): number {
    return this.cCols[k * C_COLS]!;
  }
  cStartSym(k: number): number {
    return this.cCols[k * C_COLS + 1]!;
  }
  cNumSym(k: number): number {
    return this.cCols[k * C_COLS + 2]!;
  }
  cStartPrb(k: number): number {
    return this.cCols[k * C_COLS + 3]!;
  }
  cNumPrb(k: number): number {
    return this.cCols[k * C_COLS + 4]!;
  }
  cRb(k: number): number {
    return this.cCols[k * C_COLS + 5]!;
  }
  cType(k: number): number {
    return this.cCols[k * C_COLS + 6]!;
  }
  cReMask(k: number): number {
    return this.cCols[k * C_COLS + 7]!;
  }

  private growU(): void {
    const n = Math.max(4, this.uSectionId.length * 2);
    const g = <T extends Int32Array | Uint8Array | Float64Array | BigInt64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.uSectionId = g(this.uSectionId, (m) => new Int32Array(m));
    this.uSym = g(this.uSym, (m) => new Int32Array(m));
    this.uStartPrb = g(this.uStartPrb, (m) => new Int32Array(m));
    this.uNumPrb = g(this.uNumPrb, (m) => new Int32Array(m));
    this.uRb = g(this.uRb, (m) => new Uint8Array(m));
    this.uIndex = g(this.uIndex, (m) => new Float64Array(m));
    this.uTs = g(this.uTs, (m) => new BigInt64Array(m));
  }
}
