import type { DecodedPacket } from '@l1t/capture';

/**
 * Counts of what a capture carried, for the decode summary: eCPRI (O-RAN U-plane, C-plane, other message
 * types), PTP, everything else, and the O-RAN flows (eAxC × plane × direction) seen. Constant memory: the
 * flow set is a bitmap over the 2^18 possible flows.
 */
export class PacketTally {
  ecpri = 0;
  uplane = 0;
  cplane = 0;
  ecpriOther = 0;
  ptp = 0;
  other = 0;
  private readonly seen = new Uint8Array(1 << 15);
  private flowCount = 0;

  add(p: DecodedPacket): void {
    if (p.kind === 'ecpri') {
      this.ecpri++;
      if (p.hasOran) {
        const o = p.oran;
        if (o.plane === 'u') this.uplane++;
        else this.cplane++;
        const fi = (o.eaxc << 2) | (o.plane === 'c' ? 2 : 0) | (o.dataDirection & 1);
        const bit = 1 << (fi & 7);
        const byte = fi >> 3;
        if ((this.seen[byte]! & bit) === 0) {
          this.seen[byte] = this.seen[byte]! | bit;
          this.flowCount++;
        }
      } else {
        this.ecpriOther++;
      }
    } else if (p.kind === 'ptp') {
      this.ptp++;
    } else {
      this.other++;
    }
  }

  /** Summary keys (snake_case, JSON-able). */
  details(): Record<string, number> {
    return {
      ecpri_packets: this.ecpri,
      oran_uplane_packets: this.uplane,
      oran_cplane_packets: this.cplane,
      ecpri_other_packets: this.ecpriOther,
      ptp_packets: this.ptp,
      other_packets: this.other,
      flows: this.flowCount,
    };
  }
}
