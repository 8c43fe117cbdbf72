/**
 * An empty array in V8's generic elements kind (PACKED_ELEMENTS), for an array of objects that starts
 * empty: an empty literal `[]` starts as an array of small integers (PACKED_SMI_ELEMENTS) and changes kind at
 * its first object, which deoptimises the code compiled while it was still empty ('not a Smi' at the push,
 * then 'wrong map' where another array of the same literal still has the first kind; --trace-deopt on the
 * bench:analyze fh_ks shape: SequenceFlow.observe's holes, PacketContext.push's pending; issue 14). The
 * contents and every result are the same: only V8's representation of the empty array differs.
 */
export function objectArray<T extends object>(): T[] {
  const a: (T | undefined)[] = [undefined];
  a.length = 0;
  return a as T[];
}
