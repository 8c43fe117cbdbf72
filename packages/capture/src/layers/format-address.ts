/** `aa:bb:cc:dd:ee:ff` from the 6 bytes at `offset` (undefined when absent or out of range). */
export function formatMac(data: Uint8Array, offset: number): string | undefined {
  if (offset < 0 || offset + 6 > data.length) return undefined;
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + data[offset + i]!.toString(16).padStart(2, '0');
  return s;
}

/** Dotted IPv4 from the 4 bytes at `offset`. */
export function formatIpv4(data: Uint8Array, offset: number): string | undefined {
  if (offset < 0 || offset + 4 > data.length) return undefined;
  return `${data[offset]}.${data[offset + 1]}.${data[offset + 2]}.${data[offset + 3]}`;
}

/** IPv6 text in the RFC 5952 canonical form (longest zero run of ≥ 2 groups compressed, lower case). */
export function formatIpv6(data: Uint8Array, offset: number): string | undefined {
  if (offset < 0 || offset + 16 > data.length) return undefined;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((data[offset + 2 * i]! << 8) | data[offset + 2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]): string => a.map((v) => v.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** IPv4 or IPv6 text of the address at `offset`. */
export function formatIp(data: Uint8Array, offset: number, version: 0 | 4 | 6): string | undefined {
  return version === 4 ? formatIpv4(data, offset) : version === 6 ? formatIpv6(data, offset) : undefined;
}
