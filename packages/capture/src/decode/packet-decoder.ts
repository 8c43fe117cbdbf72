import { parseLinkLayers } from '../layers/parse-link-layers.js';
import type { LinkLayerOptions } from '../layers/link-layers.js';
import { decodeOran } from '../oran/oran-decoder.js';
import { OranMessage } from '../oran/oran-message.js';
import { UplaneFormatCache } from '../oran/uplane.js';
import { decodePtp } from '../ptp/ptp-message.js';
import type { DecodedPacket } from './decoded-packet.js';
import { resolveDecodeOptions, type DecodeOptions } from './options.js';

export interface PacketDecoder {
  readonly options: DecodeOptions;
  /**
   * Decodes one frame into `out` (reused across calls; pass the same object every time) and
   * returns it. Hot path: no per-packet allocation (64-bit fields are kept as 32-bit halves with
   * bigint getters; section, extension and finding objects are pooled and grow only to a new maximum).
   * @param linkType LINKTYPE_* of the frame (1 = Ethernet)
   * @param data the captured bytes (a view is kept in `out.data`, never copied)
   * @param tsNs capture time, ns since the Unix epoch
   * @param index 1-based frame number
   */
  decode(linkType: number, data: Uint8Array, tsNs: bigint, index: number, out: DecodedPacket): DecodedPacket;
}

/** Creates a fronthaul packet decoder (Ethernet/VLAN/IP/UDP → eCPRI → O-RAN CUS, PTP). */
export function createPacketDecoder(options: Partial<DecodeOptions> = {}): PacketDecoder {
  const opts = resolveDecodeOptions(options);
  const cache = new UplaneFormatCache();
  const linkOptions: LinkLayerOptions = { ecpriUdpPorts: opts.ecpriUdpPorts };
  const heuristic = opts.ecpriUdpHeuristic === true;
  return {
    options: opts,
    decode(linkType, data, tsNs, index, out) {
      out.index = index;
      out.tsNs = tsNs;
      out.linkType = linkType;
      out.data = data;
      out.kind = 'other';
      out.hasOran = false;
      out.oranCount = 0;
      out.findings.reset();
      out.ecpri.count = 0;
      out.ptp.valid = false;
      const link = parseLinkLayers(linkType, data, out.link, linkOptions);
      const off = link.payloadOffset;
      const len = link.payloadLength;
      const isEcpri =
        link.payloadKind === 'ecpri' ||
        (heuristic && link.l4kind === 'udp' && link.payloadKind === 'other' && looksLikeEcpri(data, off, len));
      const isPtp = link.payloadKind === 'ptp';
      if (isEcpri) {
        out.kind = 'ecpri';
        out.ecpri.decode(data, off, len, out.findings);
        for (let i = 0; i < out.ecpri.count; i++) {
          const m = out.ecpri.messages[i]!;
          if (m.messageType !== 0 && m.messageType !== 2) continue;
          let o = out.oranMessages[out.oranCount];
          if (o === undefined) {
            o = new OranMessage();
            out.oranMessages.push(o);
          }
          decodeOran(
            data,
            m.payloadOffset,
            m.payloadAvailable,
            m.messageType === 0 ? 'u' : 'c',
            opts,
            cache,
            o,
            out.findings,
          );
          out.oranCount++;
          out.hasOran = true;
        }
      } else if (isPtp) {
        out.kind = 'ptp';
        decodePtp(data, off, len, out.ptp);
      }
      return out;
    },
  };
}

/**
 * eCPRI-over-UDP heuristic (opt-in): revision 1, reserved bits 0, message type 0–11, the declared
 * payload fits the datagram and — unless the C bit announces more messages — fills it up to at most
 * 3 padding bytes. (O-RAN payloadVersion is not required: pre-1.0 xRAN traffic carries 0.)
 */
export function looksLikeEcpri(d: Uint8Array, off: number, len: number): boolean {
  if (len < 8) return false;
  const b0 = d[off]!;
  if (b0 >> 4 !== 1 || (b0 & 0x0e) !== 0) return false;
  const type = d[off + 1]!;
  if (type > 11) return false;
  const size = (d[off + 2]! << 8) | d[off + 3]!;
  if (4 + size > len) return false;
  if ((b0 & 1) === 0 && len - (4 + size) > 3) return false;
  return true;
}
