import { EcpriPdu } from '../ecpri/ecpri-message.js';
import { createLinkLayers, type LinkLayers } from '../layers/link-layers.js';
import { OranMessage } from '../oran/oran-message.js';
import { PtpMessage } from '../ptp/ptp-message.js';
import { FindingList } from './findings.js';

/** What a frame carried, as far as the fronthaul decoders are concerned. */
export type PacketKind = 'ecpri' | 'ptp' | 'other';

/**
 * The one reusable decoded-packet object a {@link PacketDecoder} fills per call. Everything in it is
 * valid until the next `decode` call; `data` is a view of the caller's buffer, not a copy.
 *
 * ```
 * DecodedPacket
 *   index, tsNs, linkType, data, kind
 *   link      LinkLayers: MAC offsets, vlanIds/vlanPcps, ethertype, IP, UDP ports, payload offset
 *   ecpri     EcpriPdu: messages[0 .. count) — common header + type 0–7 fields (concatenation)
 *   hasOran / oran   OranMessage of the first eCPRI message of type 0 (U) or 2 (C) — with
 *                    concatenation, oranMessages[0 .. oranCount) holds one per such message:
 *                    eAxC parts, seq/E/subseq, direction, frame/subframe/slot/symbol,
 *                    U: uSections[0 .. sectionCount) + per-PRB arrays (exponent, dBFS, zero, clipped)
 *                    C: section type common fields + cSections[0 .. sectionCount) with extensions
 *   ptp       PtpMessage (when kind is 'ptp')
 *   findings  FindingList: ecpri_malformed / oran_malformed, items[0 .. count)
 * ```
 */
export class DecodedPacket {
  /** 1-based frame number, counted as Wireshark counts frames. */
  index = 0;
  /** Capture timestamp, ns since the Unix epoch (UTC). */
  tsNs = 0n;
  linkType = 0;
  data: Uint8Array = new Uint8Array(0);
  kind: PacketKind = 'other';
  /** Link, VLAN, IP and UDP headers (offsets into `data`), from `layers/`. */
  readonly link: LinkLayers = createLinkLayers();
  /** eCPRI messages of the PDU (`ecpri.messages[0 .. ecpri.count)`), when kind is 'ecpri'. */
  readonly ecpri = new EcpriPdu();
  /** True when `oran` holds the O-RAN decode of the first eCPRI message of type 0 or 2. */
  hasOran = false;
  /** O-RAN messages of the PDU, one per eCPRI message of type 0/2 (`oranMessages[0 .. oranCount)`). */
  readonly oranMessages: OranMessage[] = [new OranMessage()];
  oranCount = 0;
  /** The first O-RAN message (`oranMessages[0]`). */
  readonly oran: OranMessage = this.oranMessages[0]!;
  /** When kind is 'ptp'. */
  readonly ptp = new PtpMessage();
  /** `ecpri_malformed` / `oran_malformed` findings of this packet. */
  readonly findings = new FindingList();
}
