import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB975 NR5G ML1 Serving Cell Beam Management (little-endian; MobileInsight
 * nr_ml1_serving_cell_beam_mngt.h, version 2.1 only; SCAT lists the code as a stub without a layout):
 *
 *   0 minor version u16 | 2 major version u16 (keyed major << 16 | minor: 2.1 = 131073) | 4 PCI u16
 *   | 6 reserved u16 | 8 serving cell SSB periodicity (ms) u8 | 9 serving beam SSB index u8 (upper nibble:
 *   MobileInsight reports (x >> 12) | (x >> 4), which for one byte is x >> 4) | 10 reserved u16
 *   | 12 filtered RSRP s32 | 16 filtered RSRQ s32 | 20 8 reserved bytes | 28 frequency offset u32
 *   | 32 time offset u32 | 36 detected beams u8 | 37 3 reserved bytes
 *   | 40 per detected beam (16 bytes): Tx beam index u16 | reserved u16 | filtered RSRP s32 | RSRQ s32
 *     | 4 reserved bytes
 *
 * RSRP/RSRQ: MobileInsight converts the word read as a signed integer with a polynomial fit
 * (0.0078·x − 0.0003), i.e. x / 128: a signed Q.7 value, decoded here as x / 128 dB(m).
 *
 * What the layout does NOT hold: a beam failure instance (BFI) counter or a beam failure / recovery event.
 * The record says which SSB beam serves and how strong it and the other detected beams are; beam failure
 * itself is read from the RACH the MAC triggers for recovery (0xB889 reason beam failure, TS 38.321 §5.17).
 * No real sample carries this code: the layout is MobileInsight's, checked against the fixtures only.
 */

export const NR_ML1_BEAM_MGMT = 0xb975;
const HEADER = 40;
const BEAM = 16;

const q7 = (b: Uint8Array, o: number): number => (u32(b, o) | 0) / 128;

const v21: DiagVersionDecoder = (b) => {
  if (b.length < HEADER)
    throw new DiagDecodeError(b.length, `the ${HEADER}-byte header needs more than ${b.length} bytes`);
  const n = u8(b, 36);
  if (b.length < HEADER + n * BEAM)
    throw new DiagDecodeError(36, `${n} detected beams of ${BEAM} bytes do not fit a ${b.length}-byte body`);
  const beamIndex: number[] = [];
  const beamRsrp: number[] = [];
  const beamRsrq: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = HEADER + i * BEAM;
    beamIndex.push(u16(b, o));
    beamRsrp.push(q7(b, o + 4));
    beamRsrq.push(q7(b, o + 8));
  }
  return {
    pci: u16(b, 4),
    ssb_periodicity_ms: u8(b, 8),
    serving_ssb_index: u8(b, 9) >> 4,
    rsrp: q7(b, 12),
    rsrq: q7(b, 16),
    frequency_offset: u32(b, 28),
    time_offset: u32(b, 32),
    detected_beams: n,
    beam_index: beamIndex,
    beam_rsrp: beamRsrp,
    beam_rsrq: beamRsrq,
  };
};

export const nrMl1BeamMgmt: DiagLogDecoder = {
  logCode: NR_ML1_BEAM_MGMT,
  name: 'NR5G ML1 Serving Cell Beam Management',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([[(2 << 16) | 1, v21]]),
};
