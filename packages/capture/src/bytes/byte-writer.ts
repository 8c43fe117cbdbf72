/**
 * Growable little/big-endian byte writer: test fixtures and the synthetic log generators (`l1t synth ue`)
 * build records field by field with it. Not for hot decode paths.
 */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  constructor(public littleEndian = true) {}

  get length(): number {
    return this.len;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.grow(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.grow(2);
    new DataView(this.buf.buffer).setUint16(this.len, v & 0xffff, this.littleEndian);
    this.len += 2;
    return this;
  }

  u32(v: number): this {
    this.grow(4);
    new DataView(this.buf.buffer).setUint32(this.len, v >>> 0, this.littleEndian);
    this.len += 4;
    return this;
  }

  u64(v: bigint): this {
    this.grow(8);
    new DataView(this.buf.buffer).setBigUint64(this.len, BigInt.asUintN(64, v), this.littleEndian);
    this.len += 8;
    return this;
  }

  bytes(b: Uint8Array | readonly number[]): this {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Zero bytes up to the next multiple of `n`. */
  pad(n: number): this {
    while (this.len % n !== 0) this.u8(0);
    return this;
  }

  /** Overwrites a u32 already written at `offset`. */
  patchU32(offset: number, v: number): this {
    new DataView(this.buf.buffer).setUint32(offset, v >>> 0, this.littleEndian);
    return this;
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
