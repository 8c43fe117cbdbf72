import { ByteWriter, utf8 } from './byte-writer.js';

/** An option TLV for {@link PcapngBuilder}: code and raw value (padding is added). */
export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

export interface SectionSpec {
  byteOrder?: 'le' | 'be';
  comment?: string;
  hardware?: string;
  /** Section length field; default -1 (unknown). */
  sectionLength?: bigint;
  versionMajor?: number;
}

export interface InterfaceSpec {
  linkType?: number;
  snapLen?: number;
  /** Raw if_tsresol byte: k → 10^-k s; 0x80|k → 2^-k s. Omitted: default µs. */
  tsresol?: number;
  /** if_tsoffset seconds. */
  tsoffset?: bigint;
  name?: string;
  comment?: string;
}

export interface PacketSpec {
  interfaceId?: number;
  /** Timestamp in the interface's units (written as high/low 32-bit halves). */
  ts: bigint;
  data: Uint8Array;
  origLen?: number;
  comment?: string;
  /** Hostile fixtures: captured-length field value regardless of `data`. */
  capLen?: number;
  /** Extra EPB options (e.g. epb_flags 2, epb_dropcount 4), written after the comment. */
  options?: PcapngOption[];
  /** OPB drops count field. */
  drops?: number;
}

/**
 * Builds pcapng files block by block (draft-ietf-opsawg-pcapng). Each `section()` starts an SHB in
 * its own byte order; later blocks use that order. `block()` writes any block type with a raw body,
 * and `raw()` appends arbitrary bytes, for hostile fixtures.
 */
export class PcapngBuilder {
  private readonly parts: Uint8Array[] = [];
  private le = true;

  private writeBlock(type: number, body: (w: ByteWriter) => void, options: PcapngOption[] = []): this {
    const w = new ByteWriter(this.le);
    w.u32(type); // block type
    w.u32(0); // block total length (patched below)
    body(w); // block body
    if (options.length > 0) {
      for (const o of options) {
        w.u16(o.code); // option code
        w.u16(o.value.length); // option length (unpadded)
        w.bytes(o.value).pad(4); // value, padded to 32 bits
      }
      w.u16(0).u16(0); // opt_endofopt
    }
    w.pad(4);
    w.u32(w.length + 4); // trailing block total length
    w.patchU32(4, w.length);
    this.parts.push(w.toBytes());
    return this;
  }

  section(spec: SectionSpec = {}): this {
    this.le = spec.byteOrder !== 'be';
    const opts: PcapngOption[] = [];
    if (spec.comment !== undefined) opts.push({ code: 1, value: utf8(spec.comment) });
    if (spec.hardware !== undefined) opts.push({ code: 2, value: utf8(spec.hardware) });
    return this.writeBlock(
      0x0a0d0d0a,
      (w) => {
        w.u32(0x1a2b3c4d); // byte-order magic, in section byte order
        w.u16(spec.versionMajor ?? 1); // major version
        w.u16(0); // minor version
        w.u64(spec.sectionLength ?? -1n); // section length (-1: not given)
      },
      opts,
    );
  }

  interface(spec: InterfaceSpec = {}): this {
    const opts: PcapngOption[] = [];
    if (spec.comment !== undefined) opts.push({ code: 1, value: utf8(spec.comment) });
    if (spec.name !== undefined) opts.push({ code: 2, value: utf8(spec.name) });
    if (spec.tsresol !== undefined) opts.push({ code: 9, value: Uint8Array.of(spec.tsresol) });
    if (spec.tsoffset !== undefined) {
      const v = new ByteWriter(this.le).u64(spec.tsoffset).toBytes();
      opts.push({ code: 14, value: v });
    }
    return this.writeBlock(
      0x00000001,
      (w) => {
        w.u16(spec.linkType ?? 1); // LinkType
        w.u16(0); // reserved
        w.u32(spec.snapLen ?? 0); // SnapLen (0: no limit)
      },
      opts,
    );
  }

  /** Enhanced Packet Block (type 6). */
  epb(p: PacketSpec): this {
    const opts: PcapngOption[] = p.comment !== undefined ? [{ code: 1, value: utf8(p.comment) }] : [];
    opts.push(...(p.options ?? []));
    return this.writeBlock(
      0x00000006,
      (w) => {
        w.u32(p.interfaceId ?? 0); // interface id
        w.u32(Number(p.ts >> 32n)); // timestamp (high)
        w.u32(Number(p.ts & 0xffffffffn)); // timestamp (low)
        w.u32(p.capLen ?? p.data.length); // captured packet length
        w.u32(p.origLen ?? p.data.length); // original packet length
        w.bytes(p.data).pad(4); // packet data, padded to 32 bits
      },
      opts,
    );
  }

  /** Obsolete Packet Block (type 2): 16-bit interface id and drops count. */
  opb(p: PacketSpec): this {
    return this.writeBlock(0x00000002, (w) => {
      w.u16(p.interfaceId ?? 0); // interface id
      w.u16(p.drops ?? 0); // drops count
      w.u32(Number(p.ts >> 32n)); // timestamp (high)
      w.u32(Number(p.ts & 0xffffffffn)); // timestamp (low)
      w.u32(p.capLen ?? p.data.length); // captured length
      w.u32(p.origLen ?? p.data.length); // original length
      w.bytes(p.data).pad(4); // packet data
    });
  }

  /** Simple Packet Block (type 3): no timestamp, interface 0, snaplen of interface 0 applies. */
  spb(data: Uint8Array, origLen = data.length): this {
    return this.writeBlock(0x00000003, (w) => {
      w.u32(origLen); // original packet length
      w.bytes(data).pad(4); // packet data
    });
  }

  /** Any block with a raw body (NRB 4, ISB 5, DSB 0x0A, custom 0xBAD, …). */
  block(type: number, body: Uint8Array = new Uint8Array(0)): this {
    return this.writeBlock(type, (w) => {
      w.bytes(body).pad(4);
    });
  }

  /** Raw bytes (hostile fixtures). */
  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  /** Current byte order's writer for hand-made blocks. */
  writer(): ByteWriter {
    return new ByteWriter(this.le);
  }

  build(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
