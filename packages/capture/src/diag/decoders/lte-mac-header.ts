/*
 * The MAC control elements a UE's DIAG MAC transport-block logs carry in their "MAC header + CE" bytes
 * (TS 36.321 §6.1.2): R/F2/E/LCID sub-headers, each with an L field unless its LCID is a fixed-size control
 * element or it is the last sub-header; the control elements' payloads follow the sub-headers in the same
 * order, before any MAC SDU (§6.1.2: "MAC control elements are always placed before any MAC SDU").
 */

/** DL LCID 29: Timing Advance Command, 1 byte: TAG id (2 bits) | T_A (6 bits), TS 36.321 §6.1.3.5. */
const DL_TA_COMMAND = 29;
/** UL LCID 26: Power Headroom Report, 1 byte: R R | PH (6 bits), TS 36.321 §6.1.3.6. */
const UL_PHR = 26;

/** Payload sizes of the fixed-size control elements that come without an L field (TS 36.321 Tables 6.2.1-1/-2). */
const DL_FIXED: Readonly<Record<number, number>> = { 24: 4, 26: 0, 27: 1, 28: 6, 29: 1, 30: 0, 31: 0 };
const UL_FIXED: Readonly<Record<number, number>> = { 26: 1, 27: 2, 28: 1, 29: 1, 30: 3, 31: 0 };

export interface MacControlElements {
  /** T_A of the first Timing Advance Command (0…63, 31 = no change; N_TA += (T_A − 31)·16 Ts), or null. */
  taCommand: number | null;
  /** Power headroom of the first PHR in dB (PH level − 23, the level's lower bound, TS 36.133 §9.1.8.4), or null. */
  powerHeadroomDb: number | null;
}

/**
 * Reads the control elements of one MAC PDU header (`h`, as logged: possibly cut after the control
 * elements). A value whose bytes were not logged, or a header that does not parse, gives null — the rest
 * of the record is still decoded.
 */
export function macControlElements(h: Uint8Array, downlink: boolean): MacControlElements {
  const out: MacControlElements = { taCommand: null, powerHeadroomDb: null };
  const fixed = downlink ? DL_FIXED : UL_FIXED;
  const ces: [lcid: number, size: number][] = [];
  let pos = 0;
  for (let more = true; more && pos < h.length;) {
    const sub = h[pos++]!;
    more = (sub & 0x20) !== 0;
    const lcid = sub & 0x1f;
    const size = fixed[lcid];
    if (size !== undefined) {
      ces.push([lcid, size]);
      continue;
    }
    if (!more) break; // the last sub-header of a MAC SDU has no L field
    if (pos >= h.length) return out;
    pos += (h[pos]! & 0x80) !== 0 ? 2 : 1; // F = 1: 15-bit L, else 7-bit L
  }
  for (const [lcid, size] of ces) {
    if (pos + size > h.length) break;
    if (downlink && lcid === DL_TA_COMMAND && out.taCommand === null) out.taCommand = h[pos]! & 0x3f;
    if (!downlink && lcid === UL_PHR && out.powerHeadroomDb === null) out.powerHeadroomDb = (h[pos]! & 0x3f) - 23;
    pos += size;
  }
  return out;
}
