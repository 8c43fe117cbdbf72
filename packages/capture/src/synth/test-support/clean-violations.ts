import { DEFAULT_WINDOWS_US } from '../fronthaul-config.js';
import type { Decoded } from './synth-reader.js';
import { expectedAirNs } from './synth-reader.js';

export interface CleanRules {
  /** Uncompressed IQ: no BFP exponents to check. */
  uncompressed?: boolean;
  /** Timestamps may go back by this much (ns) between frames of different pcapng interfaces. */
  backSlackNs?: bigint;
  /**
   * tail 'cut': the capture stopped at this time (Unix ns) mid-flight, so a C-plane message sent within the
   * windows' reach of it (1.3 ms: largest C-plane advance + UL U-plane delay) may miss its U-plane.
   */
  cutEndNs?: bigint;
}

/**
 * Every rule of fronthaul.md that a clean capture must satisfy; returns the violations. `pkts`: one entry
 * per O-RAN message (decodeAll gives several per frame with concatenation: C = 1 on all but the last).
 * Flows are keyed by O-RU link (the O-RU's MAC and the VLAN) + eAxC + plane + direction, so captures with
 * several O-RUs reusing eAxC ids are judged per radio.
 */
export function cleanViolations(
  pkts: Decoded[],
  mu: number,
  nrb: number,
  iqWidth: number,
  rules: CleanRules = {},
): string[] {
  const bad: string[] = [];
  const seq = new Map<string, number>();
  const w = DEFAULT_WINDOWS_US;
  const cplanes = new Map<string, bigint>();
  const uplanes = new Map<string, number>();
  const slack = rules.backSlackNs ?? 0n;
  let prevTs = 0n;
  for (const p of pkts) {
    if (p.tsNs + slack < prevTs) bad.push(`${p.index}: timestamp goes back`);
    if (p.tsNs > prevTs) prevTs = p.tsNs;
    if (p.kind !== 'u' && p.kind !== 'c') continue;
    const dir = p.dl ? 'dl' : 'ul';
    // the O-RU end of the link: destination of what the O-DU sends, source of UL U-plane
    const ru = `${p.kind === 'u' && !p.dl ? p.srcMac : p.dstMac}@${p.vlan}`;
    const key = `${ru}/${p.kind}/${dir}/${p.eaxc}`;
    const last = seq.get(key);
    if (last !== undefined && p.seq !== ((last + 1) & 0xff)) bad.push(`${p.index}: ${key} seq ${last} → ${p.seq}`);
    seq.set(key, p.seq ?? 0);
    if (p.eBit !== 1) bad.push(`${p.index}: E bit`);
    const more = (p.messages ?? 1) - 1 > (p.message ?? 0) ? 1 : 0;
    if (p.ecpriRevisionByte !== (0x10 | more)) bad.push(`${p.index}: eCPRI revision/reserved/C`);
    if ((p.ecpriSize ?? 0) + 22 > p.len) bad.push(`${p.index}: payload size beyond frame`);
    const air = expectedAirNs(mu, p.frameId ?? 0, p.subframeId ?? 0, p.slotId ?? 0, p.symbolId ?? 0, p.tsNs);
    const deltaUs = Number(p.tsNs - air) / 1000; // > 0: after air time
    const win = p.kind === 'c' ? (p.dl ? w.dl_cplane : w.ul_cplane) : p.dl ? w.dl_uplane : w.ul_uplane;
    const ok =
      p.kind === 'u' && !p.dl ? deltaUs >= win[0] && deltaUs <= win[1] : -deltaUs >= win[0] && -deltaUs <= win[1];
    if (!ok) bad.push(`${p.index}: ${key} outside window (${deltaUs.toFixed(1)} µs from air time)`);
    if ((p.startPrb ?? 0) + (p.numPrb ?? 0) > nrb) bad.push(`${p.index}: PRB out of range`);
    if ((p.slotId ?? 0) >= 1 << mu) bad.push(`${p.index}: slotId ${p.slotId} beyond μ = ${mu}`);
    const slot = `${ru}/${dir}/${p.eaxc}/${p.frameId}/${p.subframeId}/${p.slotId}`;
    if (p.kind === 'c') {
      if (p.dl && p.udCompHdr !== 0) bad.push(`${p.index}: DL udCompHdr ≠ 0`);
      if (!p.dl && p.udCompHdr !== 0 && p.udCompHdr !== ((iqWidth << 4) | 1)) bad.push(`${p.index}: UL udCompHdr`);
      cplanes.set(slot, p.tsNs);
    } else {
      if (!cplanes.has(slot) && p.dl) bad.push(`${p.index}: DL U-plane before/without its C-plane`);
      uplanes.set(slot, (uplanes.get(slot) ?? 0) + 1);
      if (!rules.uncompressed)
        for (const e of p.exponents ?? []) if (e >= 16 - iqWidth) bad.push(`${p.index}: exponent ${e} (clipping)`);
      if ((p.prbData ?? new Uint8Array()).every((b) => b === 0)) bad.push(`${p.index}: all-zero PRBs`);
    }
  }
  const reach = rules.cutEndNs === undefined ? undefined : rules.cutEndNs - 1_300_000n;
  for (const [s, t] of cplanes)
    if (!uplanes.has(s) && (reach === undefined || t < reach)) bad.push(`C-plane ${s} without U-plane`);
  for (const s of uplanes.keys()) if (!cplanes.has(s)) bad.push(`U-plane ${s} without C-plane`);
  return bad;
}
