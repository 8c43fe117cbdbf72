import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Anomaly } from '@l1t/contracts';

/**
 * `l1t analyze --format json` prints one document, `JSON.stringify(doc, null, 2)`. Built as one string, the
 * 26 MB document of the 4 GB PTP bench shape (7,121 findings) took a two-byte string of 52 MB (its text holds
 * characters beyond Latin-1: '→', '—'), V8's parts of it while stringifying and a UTF-8 copy for the write,
 * on top of the findings kept as objects (45 MB of heap for 23 MB of their text): peak RSS 320 MB where
 * --format jsonl peaks at 171 MB (issue 14). Here the findings wait as the UTF-8 of their text in the
 * document, and the document goes out in pieces whose concatenation is exactly JSON.stringify(doc, null, 2);
 * the findings' bytes are written as they are kept (no second copy of them is made).
 */

/** What comes before each element of a member array (ECMA-262 SerializeJSONArray, gap "  ", depth 2). */
const ELEMENT_SEPARATOR = ',\n    ';

/**
 * `v` as an element of a document's member array, preceded by its separator: ',\n    ' and
 * JSON.stringify(v, null, 2) with its lines indented to that depth (JSON text has no raw line feed inside
 * strings, so every line feed is one between tokens). The first element is written without the comma.
 */
export function documentElementText(v: unknown): string {
  const json = (JSON.stringify(v, null, 2) as string | undefined) ?? 'null';
  return ELEMENT_SEPARATOR + json.replaceAll('\n', '\n    ');
}

/** A document member given one element at a time, each as the UTF-8 of its {@link documentElementText}. */
export class JsonElements {
  constructor(readonly elements: Iterable<Uint8Array>) {}
}

/**
 * Writes `doc` as JSON.stringify(doc, null, 2) would, its {@link JsonElements} members element by element:
 * elements that follow one another in the same buffer go out in one write. Members are in the document's
 * key order; those JSON.stringify leaves out (undefined, functions) are left out.
 */
export async function writeJsonDocument(
  doc: Record<string, unknown>,
  write: (piece: string | Uint8Array) => Promise<void>,
): Promise<void> {
  // consecutive element bytes of one buffer, not yet written
  let run: Uint8Array | undefined;
  const flushRun = async (): Promise<void> => {
    if (run) await write(run);
    run = undefined;
  };
  const putBytes = async (bytes: Uint8Array): Promise<void> => {
    if (run && run.buffer === bytes.buffer && run.byteOffset + run.byteLength === bytes.byteOffset)
      run = new Uint8Array(run.buffer, run.byteOffset, run.byteLength + bytes.byteLength);
    else {
      await flushRun();
      run = bytes;
    }
  };
  const put = async (text: string): Promise<void> => {
    await flushRun();
    await write(text);
  };
  // ECMA-262 SerializeJSONObject with gap "  ": members on their own lines one level in, '{}' when none;
  // a nested value's own lines gain the indent of its depth.
  let members = 0;
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    const head = (members === 0 ? '{\n  ' : ',\n  ') + JSON.stringify(key) + ': ';
    if (value instanceof JsonElements) {
      // SerializeJSONArray: '[]' when empty, else one element a line one level further in
      let first = true;
      for (const element of value.elements) {
        if (first) {
          await put(head + '[');
          await putBytes(element.subarray(1)); // without the comma of ELEMENT_SEPARATOR
        } else await putBytes(element);
        first = false;
      }
      await put(first ? head + '[]' : '\n  ]');
      members++;
      continue;
    }
    const json = JSON.stringify(value, null, 2) as string | undefined;
    if (json === undefined) continue;
    await put(head + json.replaceAll('\n', '\n  '));
    members++;
  }
  await put(members === 0 ? '{}' : '\n}');
}

/** Largest slab of kept UTF-8 text: one allocation per several hundred findings, not one per finding. */
const SLAB_BYTES = 1 << 20;

/**
 * One file's findings for the json document, kept as the UTF-8 of their {@link documentElementText} with
 * only what orders them (timestamp, packet index), and given back in time order as those bytes.
 *
 * The text goes into slabs (4 KB first, growing with what the file gathered up to 1 MB: a run over many
 * files with few findings each keeps no megabyte per file); a full slab is deflated (zlib level 1: the 24 MB
 * of the 4 GB PTP shape's findings keep 1.8 MB, ~0.05 CPU-s). In time order each slab is inflated once, when
 * its first finding is written, and dropped after its last one: findings come close to time order (one out
 * of order in 7,121 there), so a slab or two are inflated at a time; in no order at all, every slab at most.
 * The inflated slabs are external memory that V8 frees only at its next collection, which the writing phase
 * (few heap objects) seldom brings: RSS rose 154 -> 191 MB while the 4 GB shape's findings were written.
 */
export class GatheredAnomalies {
  private readonly items: { timestamp: string; packetIndex: number; slab: number; start: number; end: number }[] = [];
  /** Deflated slabs; the last one, being filled, is `open`. */
  private readonly slabs: Uint8Array[] = [];
  private open = Buffer.allocUnsafe(0);
  private used = 0;
  private total = 0;

  add(a: Anomaly): void {
    const text = documentElementText(a);
    const n = Buffer.byteLength(text, 'utf8');
    if (n > this.open.length - this.used) {
      if (this.used > 0) this.slabs.push(deflateRawSync(this.open.subarray(0, this.used), { level: 1 }));
      this.open = Buffer.allocUnsafe(Math.max(n, Math.min(SLAB_BYTES, Math.max(4096, this.total))));
      this.used = 0;
    }
    this.open.write(text, this.used, 'utf8');
    this.items.push({
      timestamp: a.timestamp,
      packetIndex: a.packet_index,
      slab: this.slabs.length,
      start: this.used,
      end: this.used + n,
    });
    this.used += n;
    this.total += n;
  }

  /** UTF-8 bytes of the findings' text (as written; fewer are kept, deflated). */
  get bytes(): number {
    return this.total;
  }

  /** Bytes kept for them now. */
  get keptBytes(): number {
    return this.slabs.reduce((n, s) => n + s.byteLength, 0) + this.open.byteLength;
  }

  /** In time order (ties by packet index, then as they came), each as the UTF-8 of its documentElementText. */
  *inTimeOrder(): Generator<Uint8Array> {
    const items = this.items;
    items.sort((x, y) =>
      x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : x.packetIndex - y.packetIndex,
    );
    const left = new Array<number>(this.slabs.length + 1).fill(0);
    for (const item of items) left[item.slab]!++;
    const inflated = new Map<number, Uint8Array>();
    for (const item of items) {
      let bytes = item.slab === this.slabs.length ? this.open : inflated.get(item.slab);
      if (!bytes) inflated.set(item.slab, (bytes = inflateRawSync(this.slabs[item.slab]!)));
      if (--left[item.slab]! === 0) inflated.delete(item.slab);
      yield bytes.subarray(item.start, item.end);
    }
  }
}
