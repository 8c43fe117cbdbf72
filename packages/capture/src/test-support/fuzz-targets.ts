/**
 * Every reader and decoder of the package as a fuzz target: bytes in, everything drained, nothing kept.
 * Used by the property tests (`fuzz.property.test.ts`, fast-check) and by `npm run fuzz` (structured
 * mutation of the real samples). A target may throw only the typed capture errors, which carry where the
 * input went wrong (CaptureFormatError: byte offset and record); anything else is a defect (issue #17).
 */
import { CaptureFormatError } from '../bytes/capture-errors.js';
import { createPacketDecoder } from '../decode/packet-decoder.js';
import { DecodedPacket } from '../decode/decoded-packet.js';
import { DiagDecoderRegistry } from '../diag/decoders/registry.js';
import { DiagLogReader, type DiagContainer } from '../diag/diag-log-reader.js';
import { LINKTYPE_ETHERNET } from '../layers/link-types.js';
import { parseLinuxptpLine } from '../linuxptp/linuxptp-line.js';
import { createCaptureReader } from '../reader/create-capture-reader.js';
import { sniffFormat, SNIFF_HEAD_BYTES } from '../sniff/sniff-format.js';
import { UeEventReader } from '../uelog/ue-event-reader.js';

export interface FuzzTarget {
  name: string;
  /** Which sniffed formats of real samples seed this target's mutations. */
  seeds: readonly string[];
  run(bytes: Uint8Array): void;
}

/** True for the errors a reader may answer bad input with: typed and located. */
export function isLocatedCaptureError(err: unknown): boolean {
  return err instanceof CaptureFormatError && Number.isInteger(err.byteOffset) && err.byteOffset >= 0;
}

/** Splits input into a few chunks, as a stream arrives, so chunk-boundary code is exercised too. */
function chunks(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 8) return [bytes];
  const a = bytes.length % 7 === 0 ? 1 : Math.floor(bytes.length / 3);
  const b = Math.floor((bytes.length * 2) / 3);
  return [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
}

function runCapture(format: 'pcap' | 'pcapng', bytes: Uint8Array): void {
  const reader = createCaptureReader(format);
  const decoder = createPacketDecoder();
  const out = new DecodedPacket();
  let index = 0;
  const drain = () => {
    for (let r = reader.next(); r; r = reader.next()) {
      if (r.kind === 'packet') decoder.decode(r.linkType, r.data, r.tsNs, index++, out);
    }
  };
  for (const c of chunks(bytes)) {
    reader.append(c);
    drain();
  }
  reader.end();
  drain();
}

/** The log packets' decoders run too: a mutated real record reaches the (code, version) layouts. */
const DIAG_DECODERS = new DiagDecoderRegistry();

function runDiag(container: DiagContainer, bytes: Uint8Array): void {
  const reader = new DiagLogReader(container);
  const drain = () => {
    for (let r = reader.next(); r; r = reader.next())
      if (r.kind === 'log') DIAG_DECODERS.decode(r.packet.logCode, r.packet.body);
  };
  for (const c of chunks(bytes)) {
    reader.append(c);
    drain();
  }
  reader.end();
  drain();
}

/** One Ethernet frame through the packet decoder: eCPRI, O-RAN C/U-plane, PTP (findings, never throws). */
function runFrame(bytes: Uint8Array): void {
  createPacketDecoder().decode(LINKTYPE_ETHERNET, bytes, 0n, 0, new DecodedPacket());
}

/**
 * The decoder a real frame reaches ('ecpri' for eCPRI with its O-RAN C/U-plane payload, 'ptp', or 'other'),
 * so each frame decoder gets its own target seeded with its own frames: a mutation campaign then counts the
 * inputs each decoder actually received (issue #17: "≥ 10 M inputs per decoder").
 */
export function frameDecoderOf(bytes: Uint8Array): 'ecpri' | 'ptp' | 'other' {
  const out = new DecodedPacket();
  createPacketDecoder().decode(LINKTYPE_ETHERNET, bytes, 0n, 0, out);
  return out.kind === 'ecpri' || out.kind === 'ptp' ? out.kind : 'other';
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  { name: 'pcap', seeds: ['pcap'], run: (b) => runCapture('pcap', b) },
  { name: 'pcapng', seeds: ['pcapng'], run: (b) => runCapture('pcapng', b) },
  { name: 'ethernet-frame eCPRI + O-RAN C/U-plane', seeds: ['frame_ecpri'], run: runFrame },
  { name: 'ethernet-frame PTP', seeds: ['frame_ptp'], run: runFrame },
  { name: 'diag-hdlc', seeds: ['diag_hdlc'], run: (b) => runDiag('diag_hdlc', b) },
  { name: 'qmdl2', seeds: ['qmdl2'], run: (b) => runDiag('qmdl2', b) },
  { name: 'dlf', seeds: ['dlf'], run: (b) => runDiag('dlf', b) },
  {
    name: 'linuxptp-log',
    seeds: ['linuxptp_log'],
    run: (b) => {
      for (const line of new TextDecoder().decode(b).split('\n')) parseLinuxptpLine(line);
    },
  },
  {
    name: 'ue-event-log',
    seeds: ['ue_event_log'],
    run: (b) => {
      const reader = new UeEventReader(() => undefined);
      for (const c of chunks(b)) reader.push(c);
      reader.end();
    },
  },
  {
    name: 'sniff',
    seeds: ['pcap', 'pcapng', 'diag_hdlc', 'qmdl2', 'dlf'],
    run: (b) => void sniffFormat(b.subarray(0, SNIFF_HEAD_BYTES)),
  },
];

/** Runs a target; returns the unexpected error (not a located capture error), if any. */
export function runTarget(target: FuzzTarget, bytes: Uint8Array): unknown {
  try {
    target.run(bytes);
    return undefined;
  } catch (err) {
    return isLocatedCaptureError(err) ? undefined : err;
  }
}
