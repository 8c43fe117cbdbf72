import { EcpriPdu } from '../ecpri/ecpri-message.js';
import { OranMessage } from '../oran/oran-message.js';
import { PtpMessage } from '../ptp/ptp-message.js';
import { FindingList } from './findings.js';
import type { LinkResult } from './link.js';

/** What a frame carried, as far as the fronthaul decoders are concerned. */
export type PacketKind = 'ecpri' | 'ptp' | 'other';

/**
 * The one reusable decoded-packet object a {@link PacketDecoder} fills per call. Everything in it is
 * valid until the next `decode` call; `data` is a view of the caller's buffer, not a copy.
 */
export class DecodedPacket implements LinkResult {
  /** 1-based frame number, counted as Wireshark counts frames. */
  index = 0;
  /** Capture timestamp, ns since the Unix epoch (UTC). */
  tsNs = 0n;
  linkType = 0;
  data: Uint8Array = new Uint8Array(0);
  kind: PacketKind = 'other';
  // Link / network / transport (see decode/link.ts)
  ethDst = -1;
  ethSrc = -1;
  etherType = -1;
  vlanCount = 0;
  readonly vlanIds: number[] = [];
  readonly vlanPcps: number[] = [];
  ipVersion = 0;
  ipProto = -1;
  udpSrcPort = -1;
  udpDstPort = -1;
  payloadOffset = 0;
  payloadLength = 0;
  /** eCPRI messages of the PDU (`ecpri.messages[0 .. ecpri.count)`), when kind is 'ecpri'. */
  readonly ecpri = new EcpriPdu();
  /** True when `oran` holds the O-RAN decode of the first eCPRI message of type 0 or 2. */
  hasOran = false;
  readonly oran = new OranMessage();
  /** When kind is 'ptp'. */
  readonly ptp = new PtpMessage();
  /** `ecpri_malformed` / `oran_malformed` findings of this packet. */
  readonly findings = new FindingList();
}
