/** Helpers shared by the `l1t decode` field builders (allocating: not for the hot path). */

export type Fields = Record<string, unknown>;

export function macString(v: number): string {
  let s = '';
  for (let shift = 40; shift >= 0; shift -= 8) {
    const b = Math.floor(v / 2 ** shift) % 256;
    s += (shift === 40 ? '' : ':') + b.toString(16).padStart(2, '0');
  }
  return s;
}

/** `frame.time_epoch` as tshark prints it: seconds with 9 decimals. */
export function timeEpochString(tsNs: bigint): string {
  const neg = tsNs < 0n;
  const abs = neg ? -tsNs : tsNs;
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}`;
}

export function put(f: Fields, key: string, v: unknown): void {
  const prev = f[key];
  if (prev === undefined) f[key] = v;
  else if (Array.isArray(prev) && (prev as unknown[] & { multi?: true }).multi) (prev as unknown[]).push(v);
  else {
    const arr = [prev, v] as unknown[] & { multi?: true };
    arr.multi = true;
    f[key] = arr;
  }
}

export function bigintValue(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Drops the marker that tells repeated-field arrays from array values. */
export function unmark(f: Fields): Fields {
  for (const k of Object.keys(f)) {
    const v = f[k];
    if (Array.isArray(v)) delete (v as { multi?: true }).multi;
  }
  return f;
}
