/**
 * Byte builders of the LTE uplink power-control and RACH-trigger logs (0xB16E, 0xB16F, 0xB061), field by
 * field as the decoders read them (decoders/lte-power-control.ts, decoders/lte-mac-rach-trigger.ts). Used by
 * their fixture tests and by the pipeline's tests; kept apart from diag-bodies.ts so each stays readable.
 */
import { ByteWriter } from '../../bytes/byte-writer.js';

/** One 0xB16E record's values (dBm, dB; `tpc` is the raw 5-bit field, `fi` signed). */
export interface PuschPowerRecordRaw {
  cellIndex?: number;
  sfn: number;
  subframe: number;
  txPowerDbm: number;
  dciFormat: number;
  txType: number;
  tpcFrozen?: boolean;
  numRb: number;
  tbSize: number;
  pathLossDb: number;
  fi: number;
  tpc: number;
  actualTxPowerDbm: number;
  /** v25 only. */
  maxPowerDbm?: number;
}

/** One 0xB16F record's values (`tpc` is the raw 6-bit field, `gi` signed). */
export interface PucchPowerRecordRaw {
  sfn: number;
  subframe: number;
  txPowerDbm: number;
  dciFormat: number;
  pucchFormat: number;
  nHarq: number;
  tpc: number;
  nCqi: number;
  pathLossDb: number;
  gi: number;
  actualTxPowerDbm: number;
}

/** The common header of both power-control logs: version u8 | reserved u16 | record count u8. */
function header(version: number, count: number): ByteWriter {
  return new ByteWriter(true).u8(version).u16(0).u8(count);
}

/** 0xB16E LTE PUSCH Power Control body, version 4, 5 or 25: 12-byte records. */
export function puschPowerControlBody(version: 4 | 5 | 25, records: readonly PuschPowerRecordRaw[]): Uint8Array {
  const w = header(version, records.length);
  for (const r of records) {
    const power = r.txPowerDbm & 0xff; // int8
    if (version === 25)
      // cell index 0–2 | SFN 3–12 | subframe 13–16 | Tx power 17–24 | DCI format 25–28 | Tx type 29–30 | TPC frozen 31
      w.u32(
        ((r.cellIndex ?? 0) |
          (r.sfn << 3) |
          (r.subframe << 13) |
          (power << 17) |
          (r.dciFormat << 25) |
          (r.txType << 29) |
          ((r.tpcFrozen ? 1 : 0) << 31)) >>>
          0,
      );
    // SFN 0–9 | subframe 10–13 | Tx power 14–21 | DCI format 22–25 | Tx type 26–27
    else w.u32((r.sfn | (r.subframe << 10) | (power << 14) | (r.dciFormat << 22) | (r.txType << 26)) >>> 0);
    const fi = r.fi & 0x3ff; // 10-bit two's complement
    const actual = r.actualTxPowerDbm & 0xff;
    if (version === 4) {
      w.u32((r.tbSize | (r.pathLossDb << 14) | (fi << 22)) >>> 0); // TB size 0–13 | path loss 14–21 | F(i) 22–31
      w.u32((r.tpc | (actual << 5)) >>> 0); // TPC 0–4 | actual Tx power 5–12
    } else {
      w.u32((r.numRb | (r.tbSize << 8) | (r.pathLossDb << 22)) >>> 0); // RBs 0–7 | TB size 8–21 | path loss 22–29
      // F(i) 0–9 | TPC 10–14 | actual Tx power 15–22 | (v25) max power 23–30
      w.u32((fi | (r.tpc << 10) | (actual << 15) | (version === 25 ? ((r.maxPowerDbm ?? 0) & 0xff) << 23 : 0)) >>> 0);
    }
  }
  return w.toBytes();
}

/** 0xB16F LTE PUCCH Power Control body, version 4 (7-bit path loss) or 24 (8-bit): 12-byte records. */
export function pucchPowerControlBody(version: 4 | 24, records: readonly PucchPowerRecordRaw[]): Uint8Array {
  const w = header(version, records.length);
  for (const r of records) {
    // SFN 0–9 | subframe 10–13 | Tx power 14–21 | DCI format 22–25 | PUCCH format 26–28 | N_HARQ 29
    w.u32(
      (r.sfn |
        (r.subframe << 10) |
        ((r.txPowerDbm & 0xff) << 14) |
        (r.dciFormat << 22) |
        (r.pucchFormat << 26) |
        (r.nHarq << 29)) >>>
        0,
    );
    w.u32((r.tpc | (r.nCqi << 6) | (r.pathLossDb << 11)) >>> 0); // TPC 0–5 | N_CQI 6–10 | path loss 11–
    w.u16(r.gi & 0xffff); // g(i), int16
    w.u8(r.actualTxPowerDbm & 0xff); // actual Tx power, int8
    w.u8(0); // reserved
  }
  return w.toBytes();
}

/** The values of a 0xB061 RACH reason sub-packet (id 5). */
export interface RachReasonRaw {
  reason: number;
  contention?: number;
  preamble: number;
  msg3Size: number;
  group: number;
  radioConditionDb: number;
  cRnti: number;
  cellIndex?: number;
}

/** The values of a 0xB061 RACH config sub-packet (id 3) this repository decodes. */
export interface RachConfigRaw {
  /** Raw byte of the preamble initial power (v2/v4: the dBm value + 256) or the v5 u16 index. */
  initialPowerRaw: number;
  rampingStepDb: number;
  preambleTransMax: number;
  contentionTimerMs: number;
  pmaxDbm: number;
}

/** A sub-packet: id u8 | version u8 | size u16 (header included) | body. */
function subPacket(id: number, version: number, body: Uint8Array): Uint8Array {
  return new ByteWriter(true)
    .u8(id)
    .u8(version)
    .u16(4 + body.length)
    .bytes(body)
    .toBytes();
}

function rachConfig(version: 2 | 4 | 5, c: RachConfigRaw): Uint8Array {
  const s = new ByteWriter(true);
  if (version === 4) s.u8(0).u8(1).u8(0); // sub id | one active cell | cell id 0
  if (version === 5)
    s.u16(c.initialPowerRaw); // preamble initial power index (−120 + 2·x dBm)
  else s.u8(c.initialPowerRaw).u8(0); // preamble initial power (x − 256 dBm) | reserved
  s.u8(c.rampingStepDb); // power ramping step
  s.u8(0).u8(0); // RA index 1, 2
  s.u8(c.preambleTransMax); // preamble trans max
  s.u16(c.contentionTimerMs); // contention resolution timer
  s.u16(56); // message size group A
  s.u8(0); // power offset group B
  s.u16(c.pmaxDbm & 0xffff); // P-Max, int16
  s.u16(0); // delta preamble Msg3
  s.u8(3).u8(13).u16(22); // PRACH config | CS zone length | root sequence index
  if (version === 2)
    s.u8(2).u16(0); // PRACH frequency offset: 3 bytes in v2 (MobileInsight), not decoded
  else s.u8(2); // PRACH frequency offset: 1 byte in v4/v5
  s.u8(0).u8(4).u8(10); // high speed flag | max Msg3 HARQ tx | RA response window
  if (version === 5) s.u8(0); // PRACH config R13 absent
  return s.toBytes();
}

function rachReason(version: 1 | 2, r: RachReasonRaw): Uint8Array {
  const s = new ByteWriter(true);
  if (version === 2) s.u8(0).u8(r.cellIndex ?? 0); // sub id | cell id
  s.u8(r.reason); // RACH reason
  s.bytes([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]); // machine (UE contention resolution) identity, 6 bytes
  s.u8(version === 2 ? (r.contention ?? 1) : 0); // v2: contention | v1: reserved
  s.u8(r.preamble); // preamble
  s.u8(0xff); // preamble RA mask
  s.u8(r.msg3Size); // Msg3 size
  s.u8(r.group); // group chosen
  s.u8(r.radioConditionDb); // radio condition (dB)
  s.u16(r.cRnti); // C-RNTI
  return s.toBytes();
}

/** 0xB061 LTE MAC RACH Trigger body: packet version 1, an optional config sub-packet, then the reason sub-packet. */
export function rachTriggerBody(
  reasonVersion: 1 | 2,
  reason: RachReasonRaw,
  config?: { version: 2 | 4 | 5; values: RachConfigRaw },
): Uint8Array {
  const subs = [
    ...(config ? [subPacket(3, config.version, rachConfig(config.version, config.values))] : []),
    subPacket(5, reasonVersion, rachReason(reasonVersion, reason)),
  ];
  const w = new ByteWriter(true).u8(1).u8(subs.length).u16(0); // packet version 1 | sub-packet count | reserved
  for (const s of subs) w.bytes(s);
  return w.toBytes();
}
