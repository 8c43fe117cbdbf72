/**
 * Where a reader splits the first chunk it is given (issues 13, 14). The chunk-end paths of a streaming
 * reader — no whole record left in the chunk, a record assembled across two chunks — are otherwise met first
 * at the end of the first 4 MiB chunk, after V8 has compiled the reader's loop (and the analyzer's drain()
 * that inlines it) without type feedback for them: each then deoptimises and is compiled again
 * (--trace-deopt on the bench:analyze and bench:diag inputs). Read as its first {@link FIRST_PART_BYTES} and
 * the rest (two views of the same bytes: the records and results are the same), those paths run within the
 * first few hundred records, while the loop is still interpreted.
 */
export const FIRST_PART_BYTES = 65_536;

/** The offset at which to split a reader's first chunk, or 0 when it is too short to be worth splitting. */
export function firstChunkSplit(chunkLength: number): number {
  return chunkLength > 2 * FIRST_PART_BYTES ? FIRST_PART_BYTES : 0;
}
