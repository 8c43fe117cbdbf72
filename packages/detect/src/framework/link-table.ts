import { formatMac, type DecodedPacket } from '@l1t/capture';

/**
 * Small integer ids of the Ethernet links seen in a capture: outer VLAN id + the unordered pair of MAC
 * addresses (so the DL and UL of one DU↔RU link share an id). Two O-RUs behind one capture point reuse
 * the same eAxC ids; a per-flow state keyed by eAxC alone would mix their sequence spaces. Link 0 is the
 * first one seen; flows of later links get a `|vlan=…|macs=…` suffix in their names.
 *
 * Lookup on the hot path reads 12 bytes and one Map entry (no allocation once a link is known).
 */
export class LinkTable {
  private readonly byHash = new Map<number, number>();
  /** Per link: VLAN (-1 none) and the 12 MAC bytes (lower MAC first). */
  private readonly vlans: number[] = [];
  private readonly macs: Uint8Array[] = [];
  private readonly suffixes: string[] = [];
  /** The link of the last lookup: a capture's packets come link after link, so it is checked first. */
  private last = -1;
  /** Links beyond this are folded into the last one (hostile captures cannot grow memory). */
  constructor(private readonly maxLinks = 256) {}

  get size(): number {
    return this.vlans.length;
  }

  /** Link id of the packet (0 when it has no Ethernet addresses). */
  linkOf(p: DecodedPacket): number {
    const l = p.link;
    const d = p.data;
    const vlan = l.vlanIds.length > 0 ? l.vlanIds[0]! : -1;
    const s = l.srcMacOffset;
    const t = l.dstMacOffset;
    if (s < 0 || t < 0 || s + 6 > d.length || t + 6 > d.length) return this.lookup(vlan, d, -1, -1);
    // Order the pair so that both directions of a link give the same key.
    let first = s;
    let second = t;
    for (let i = 0; i < 6; i++) {
      const a = d[s + i]!;
      const b = d[t + i]!;
      if (a !== b) {
        if (a > b) {
          first = t;
          second = s;
        }
        break;
      }
    }
    return this.lookup(vlan, d, first, second);
  }

  /** `''` for link 0, else `|vlan=V|macs=lo-hi`. */
  suffix(link: number): string {
    return this.suffixes[link] ?? '';
  }

  private lookup(vlan: number, d: Uint8Array, a: number, b: number): number {
    // A link's VLAN and MACs are unique among the links (a new one is added only when none matches), so the
    // last link, when it matches, is the one the hash or the scan would find — without building the hash, a
    // double beyond the small-integer range that was boxed for the Map look-up (16 bytes per packet).
    const last = this.last;
    if (last >= 0 && this.same(last, vlan, d, a, b)) return last;
    const id = this.find(vlan, d, a, b);
    this.last = id;
    return id;
  }

  private find(vlan: number, d: Uint8Array, a: number, b: number): number {
    // 13 bits VLAN+1, 20 low bits of each MAC: < 2^53, exact as a double.
    let h = vlan + 1;
    if (a >= 0) {
      h = h * 0x100000 + (((d[a + 3]! & 0xf) << 16) | (d[a + 4]! << 8) | d[a + 5]!);
      h = h * 0x100000 + (((d[b + 3]! & 0xf) << 16) | (d[b + 4]! << 8) | d[b + 5]!);
    }
    const hit = this.byHash.get(h);
    if (hit !== undefined && this.same(hit, vlan, d, a, b)) return hit;
    for (let i = 0; i < this.vlans.length; i++) if (this.same(i, vlan, d, a, b)) return i;
    if (this.vlans.length >= this.maxLinks) return this.maxLinks - 1;
    const id = this.vlans.length;
    const m = new Uint8Array(12);
    if (a >= 0) {
      m.set(d.subarray(a, a + 6), 0);
      m.set(d.subarray(b, b + 6), 6);
    }
    this.vlans.push(vlan);
    this.macs.push(m);
    const macText = a >= 0 ? `${formatMac(d, a)}-${formatMac(d, b)}` : 'none';
    this.suffixes.push(id === 0 ? '' : `|vlan=${vlan < 0 ? 'none' : vlan}|macs=${macText}`);
    if (!this.byHash.has(h)) this.byHash.set(h, id);
    return id;
  }

  private same(id: number, vlan: number, d: Uint8Array, a: number, b: number): boolean {
    if (this.vlans[id] !== vlan) return false;
    const m = this.macs[id]!;
    if (a < 0) {
      for (let i = 0; i < 12; i++) if (m[i] !== 0) return false;
      return true;
    }
    for (let i = 0; i < 6; i++) if (m[i] !== d[a + i] || m[6 + i] !== d[b + i]) return false;
    return true;
  }
}
