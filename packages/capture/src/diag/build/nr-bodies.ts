import { ByteWriter } from '../../bytes/byte-writer.js';

/*
 * Byte builders of the NR MAC/ML1 log packets (layouts and sources: the decoder of each code in
 * ../decoders). Shared by the decoders' fixture tests and `l1t synth ue`, so the generator writes exactly
 * the layouts the decoders read. One comment per field.
 */

/** A signed Q.7 word (dB(m) × 128), as 0xB975 carries RSRP/RSRQ. */
const q7 = (v: number): number => Math.round(v * 128) | 0;

export interface NrBeamMgmtRaw {
  pci: number;
  ssbIndex: number;
  rsrp: number;
  rsrq: number;
  beams: readonly { index: number; rsrp: number; rsrq: number }[];
}

/** 0xB975 NR5G ML1 Serving Cell Beam Management, version 2.1. */
export function nrBeamMgmtBody(r: NrBeamMgmtRaw): Uint8Array {
  const w = new ByteWriter(true);
  w.u16(1).u16(2); // minor | major version
  w.u16(r.pci).u16(0); // PCI | reserved
  w.u8(20); // SSB periodicity of the serving cell (ms)
  w.u8((r.ssbIndex & 0x0f) << 4); // serving beam SSB index in the upper nibble
  w.u16(0); // reserved
  w.u32(q7(r.rsrp)).u32(q7(r.rsrq)); // filtered RSRP | RSRQ
  w.u32(0).u32(0); // 8 reserved bytes
  w.u32(3).u32(7); // frequency offset | time offset
  w.u8(r.beams.length).u8(0).u16(0); // detected beams | 3 reserved
  for (const b of r.beams) {
    w.u16(b.index).u16(0); // Tx beam index | reserved
    w.u32(q7(b.rsrp)).u32(q7(b.rsrq)); // filtered RSRP | RSRQ
    w.u32(0); // reserved
  }
  return w.toBytes();
}

export interface NrRachTriggerRaw {
  cRnti: number;
  /** 0 connection request, 1 radio link failure, 2 handover, 3 UL data arrival, 6 beam failure. */
  reason: number;
  carrier?: number;
  /** 0 contention free, 1 DL MAC CE, 2 UL grant, 3 PDCCH C-RNTI. */
  contention: number;
}

/** 0xB889 NR5G MAC RACH Trigger, version 2.1 (30 bytes). */
export function nrRachTriggerBody(r: NrRachTriggerRaw): Uint8Array {
  const w = new ByteWriter(true);
  w.u16(1).u16(2); // minor | major version
  w.u8(0).u16(0); // sleep | reserved
  w.u8(0).u8(1); // DL dynamic config change | DL config
  w.u8(0x21); // UL config 1 (bits 0–3) | ML1 state change 2 (bits 4–7)
  w.u16(0).u16(0x00ff); // reserved | log fields change mask
  w.u8(0).u8(1); // subscription id | records
  w.u16(r.cRnti); // C-RNTI
  w.u8(r.reason)
    .u8(r.carrier ?? 0)
    .u8(0); // RACH reason | carrier id | first active UL BWP
  w.u8(r.contention).u8(0).u8(7); // RACH contention | RA id | Msg3 size
  w.bytes([7, 0, 0, 0, 0, 0]); // Msg3 list
  return w.toBytes();
}

export interface NrRachAttemptRaw {
  attempt: number;
  ssb: number;
  /** 0 success, 1 Msg2 RA timer expired … 7 aborted (decoder's list). */
  result: number;
  /** 0 contention free, 1 DL MAC CE, 2 UL grant, 3 PDCCH C-RNTI. */
  contention: number;
  /** Bit 0 Msg1, 1 Msg2, 2 Msg3, 3 Msg4. */
  mask: number;
  raId: number;
  raRnti: number;
  tcRnti: number;
  ta: number;
  grantBytes: number;
  cRnti: number;
}

/** 0xB88A NR5G MAC RACH Attempt, version 2.7 or 3.5. */
export function nrRachAttemptBody(version: '2.7' | '3.5', r: NrRachAttemptRaw): Uint8Array {
  const v35 = version === '3.5';
  const w = new ByteWriter(true);
  const sfn = (frame: number, slot: number): void =>
    void w
      .u16(frame & 0x3ff)
      .u8(slot)
      .u8(1); // SFN/subframe | slot | SCS 30 kHz
  if (v35) {
    w.u16(5).u16(3); // minor | major version
    w.u32(0); // reserved
    w.u16(r.attempt).u8(r.ssb).u8(0xff).u8(0).u8(0); // attempt | SSB id | CSI-RS id | reserved | carrier id
    w.u8(r.result).u8(r.contention).u8(r.mask).u8(3).u8(1); // result | contention | mask | Msg1 SCS | UL BWP SCS
    w.u8(0).u8(0).u8(0).u16(0); // 5 reserved bytes
  } else {
    w.u16(7).u16(2); // minor | major version
    w.bytes([0, 0, 0, 0, 1, 0x21]); // sleep, 2 reserved, DL dynamic config change, DL config, UL config / ML1 state
    w.u16(0).u16(0x00ff); // reserved | log fields change mask
    w.u8(0).u8(1); // subscription id | records
    w.u16(r.attempt).u8(r.ssb).u8(0xff).u8(0); // attempt | SSB id | CSI-RS id | carrier id
    w.u8(r.result).u8(r.contention).u8(r.mask).u8(3).u8(1); // result | contention | mask | Msg1 SCS | UL BWP SCS
    w.u16(0); // reserved
  }
  if (r.mask & 1) {
    sfn(100, 3); // Msg1 sent
    if (v35) {
      w.u8(0).u8(0).u16(159); // symbol start | preamble format | PRACH config
      w.u16(1).u8(r.raId).u8(0); // u-root | RA id | FDM
      w.u16(0).u16(13).u16(r.raRnti).u16(100); // cyclic shift | N_CS | RA-RNTI | path loss
    } else {
      w.u8(0).u8(159).u8(0).u8(r.raId); // symbol start | PRACH config | preamble format | RA id
      w.u16(0).u16(1).u16(0).u16(r.raRnti); // FDM | u-root | cyclic shift | RA-RNTI
    }
    sfn(100, 5); // RAR window start
    sfn(101, 5); // RAR window end
    w.u32(0); // backoff duration
    if (v35) w.u32(0); // reserved
  }
  if (r.mask & 2) {
    sfn(100, 9); // Msg2 received
    w.u16(0).u16(r.tcRnti).u16(r.ta).u8(0).u8(1); // max backoff | T-RNTI | TA | RAPID result | SCS
    if (v35) w.u32(0).u32(0).u32(r.raId); // reserved | reserved | RAPID received
  }
  if (r.mask & 4) {
    sfn(101, 3); // Msg3 sent
    w.u32(0x12345).u16(r.grantBytes).u8(0).u8(1); // grant | grant bytes | HARQ id | SCS
    w.bytes(new Uint8Array(12)); // first 12 bytes of the MAC PDU
  }
  if (r.mask & 8) {
    sfn(102, 0); // Msg4 received
    sfn(101, 4); // contention resolution start
    sfn(102, 0); // contention resolution end
    w.u16(r.cRnti).u16(0); // C-RNTI | reserved
  }
  return w.toBytes();
}

/** 0xB8DD NR5G LL1 FW Serving FTL, version 7 (92 bytes). */
export function nrServingFtlBody(r: {
  cellId: number;
  trs: boolean;
  carrier: number;
  snrRaw: readonly number[];
}): Uint8Array {
  const w = new ByteWriter(true);
  w.u32(7); // version
  w.u8(0); // reserved
  w.u16((r.cellId & 0x3ff) << 6); // cell id in bits 6–15
  w.u8(r.trs ? 1 : 0); // SSB (0) or TRS (1)
  w.u8(r.carrier).u16(0).u8(0); // carrier index | reserved | HST mode
  w.bytes(new Uint8Array(64)); // reserved
  for (let i = 0; i < 4; i++) w.u32(r.snrRaw[i] ?? 0); // FTL SNR raw × 4
  return w.toBytes();
}

export interface NrUlTbStatsRaw {
  newTxBytes: number;
  retxBytes: number;
  newTxTbs: number;
  retxTbs: number;
  phrReports: number;
  phrSum: number;
  totalPower: number;
  ulschScheduled: number;
  ulschNotScheduled: number;
  pcmax: number;
}

/** 0xB881 NR5G MAC UL TB Stats, version 2.0 (92-byte records) or 2.1 (96-byte records). */
export function nrUlTbStatsBody(minor: 0 | 1, records: readonly NrUlTbStatsRaw[]): Uint8Array {
  const w = new ByteWriter(true);
  w.u16(minor).u16(2); // minor | major version
  w.bytes([0, 0, 0, 0, 1, 0x21]); // sleep, beam change, signal change, DL dynamic config change, DL config, UL config / ML1 state
  w.u16(0).u16(0x00ff).u8(0).u8(records.length); // reserved | log fields change mask | reserved | records
  w.u32(0); // 4 reserved bytes
  for (const r of records) {
    w.u64(BigInt(r.newTxBytes)).u64(BigInt(r.retxBytes)); // new-Tx bytes | reTx bytes
    w.u64(20n * BigInt(r.newTxTbs)).u64(50n * BigInt(r.newTxTbs)); // MCS sum | PRB sum
    w.u64(BigInt(r.phrSum)); // PHR sum
    if (minor === 1)
      w.u64(BigInt(r.totalPower)); // total power (u64 in 2.1)
    else w.u32(r.totalPower); // total power (u32 in 2.0)
    w.u32(r.newTxTbs).u32(r.retxTbs); // new-Tx TBs | reTx TBs
    if (minor === 0) w.u32(1); // DTX (2.0 only)
    w.u32(3).u32(6).u32(4).u32(40); // RI count | RI sum | CQI count | CQI sum
    w.u32(r.phrReports).u32(2); // PHR count | TPC accumulation
    w.u32(r.ulschScheduled).u32(r.ulschNotScheduled); // UL-SCH scheduled | not scheduled
    w.u16(r.pcmax).u16(0); // Pcmax | flush gap count
    if (minor === 1) w.u32(0); // reserved
  }
  return w.toBytes();
}

export interface NrUlGrantRaw {
  carrier: number;
  symbols: number;
  harqId: number;
  mcs: number;
  rbStart: number;
  rbs: number;
  tbSize: number;
}

/**
 * 0xB883 NR5G MAC UL Physical Channel Schedule Report, version 2.8: one record per slot, each with carriers
 * that carry a PUSCH grant and optionally PUCCH / SRS (their 20 bytes left zero).
 */
export function nrUlScheduleBody(
  records: readonly {
    frame: number;
    slot: number;
    carriers: readonly { pusch?: NrUlGrantRaw; pucch?: boolean; srs?: boolean; carrier?: number }[];
  }[],
): Uint8Array {
  const w = new ByteWriter(true);
  w.u16(8).u16(2); // minor | major version
  w.bytes([0, 0, 0, 0, 1, 1]); // sleep, beam change, signal change, DL dynamic config change, DL config, UL config
  w.u16(0).u16(0x00ff).u8(0).u8(records.length); // reserved | log fields change mask | reserved | records
  for (const r of records) {
    w.u8(r.slot).u8(1).u16(r.frame).u8(r.carriers.length).u8(0).u16(0); // slot | numerology | frame | carriers | 3 reserved
    for (const c of r.carriers) {
      const id = c.pusch?.carrier ?? c.carrier ?? 0;
      w.u16((id & 0x0f) | (c.pusch ? 0x80 : 0) | (c.pucch ? 0x100 : 0) | (c.srs ? 0x200 : 0)).u16(0); // channel mask | reserved
      if (c.pusch) {
        const g = c.pusch;
        // bits: 5–8 symbols, 9–12 HARQ id, 13–17 MCS, 24–31 first RB, 32–40 RBs, 42–55 TB size
        let lo = (g.symbols & 0xf) << 5;
        lo |= (g.harqId & 0xf) << 9;
        lo |= (g.mcs & 0x1f) << 13;
        lo |= (g.rbStart & 0xff) << 24;
        const hi = (g.rbs & 0x1ff) | ((g.tbSize & 0x3fff) << 10);
        w.u32(lo).u32(hi); // bits 0–31 | bits 32–63
        w.bytes(new Uint8Array(32)); // bits 64–319 (code rate and the rest: not read)
      }
      if (c.pucch) w.bytes(new Uint8Array(20)); // PUCCH (not read)
      if (c.srs) w.bytes(new Uint8Array(20)); // SRS (not read)
    }
  }
  return w.toBytes();
}

export interface NrRrcConfigCcRaw {
  ccId: number;
  pci: number;
  dlArfcn: number;
  /** 0: no UL carrier. */
  ulArfcn: number;
  /** Written in 0.A, 2.0 and 3.3 only. */
  ssbArfcn: number;
  band: number;
  /** 0 invalid, 1 sub-6, 2 mmW. */
  bandType: number;
  /** Bandwidth codes (the decoder's map of its version). */
  dlBw: number;
  ulBw: number;
}

export interface NrRrcConfigRaw {
  /** 0.8 = 8, 0.A = 10, 2.0 = 2 << 16, 3.3 = 3 << 16 | 3. */
  version: number;
  /** 3.3 only: the NR CGI word. */
  nrCgi?: bigint;
  state: number;
  configStatus: number;
  /** 0 invalid, 1 NSA, 2 SA, 3 NR-DC (3.3). */
  mode: number;
  srbs: number;
  drbs: number;
  lteBands: readonly number[];
  groupBands: readonly number[];
  ccs: readonly NrRrcConfigCcRaw[];
  /** 3.3 only: NR-DC SCG groups and CCs, after the MCG ones. */
  scgGroupBands?: readonly number[];
  scgCcs?: readonly NrRrcConfigCcRaw[];
  rbIds: readonly number[];
}

/** 0xB825 NR5G RRC Configuration Info, version 0.8, 0.A, 2.0 or 3.3. */
export function nrRrcConfigBody(r: NrRrcConfigRaw): Uint8Array {
  const v33 = r.version === ((3 << 16) | 3);
  const ssb = r.version !== 8;
  const w = new ByteWriter(true);
  w.u32(r.version); // minor | major version
  if (v33) w.u64(r.nrCgi ?? 0n); // NR CGI
  w.u8(r.state).u8(r.configStatus).u8(r.mode); // RRC state | config status | connectivity mode
  w.u8(r.srbs).u8(r.drbs); // active SRBs | active DRBs
  for (let i = 0; i < 6; i++) w.u32(0); // MN/SN DRB ids of MCG, SCG, split bearers
  w.u8(r.lteBands.length); // LTE bands
  for (let i = 0; i < 12; i++) w.u16(r.lteBands[i] ?? 0); // 12 LTE band slots
  const scgGroups = r.scgGroupBands ?? [];
  const scgCcs = r.scgCcs ?? [];
  w.u8(r.groupBands.length); // contiguous CC groups
  if (v33) w.u8(scgGroups.length); // NR-DC SCG contiguous CC groups
  w.u8(r.ccs.length); // active CCs
  if (v33) w.u8(scgCcs.length); // NR-DC SCG active CCs
  w.u8(r.rbIds.length); // active radio bearers
  for (const band of [...r.groupBands, ...scgGroups]) w.u16(band).u8(1).u8(1); // band | 2 class/flag bytes
  for (const c of [...r.ccs, ...scgCcs]) {
    w.u8(c.ccId).u16(c.pci); // CC id | PCI
    w.u32(c.dlArfcn).u32(c.ulArfcn); // DL | UL NR-ARFCN
    if (ssb) w.u32(c.ssbArfcn); // SSB NR-ARFCN
    w.u16(c.band).u8(c.bandType); // band | band type
    w.u8(c.dlBw).u8(c.ulBw); // DL | UL bandwidth code
    if (v33) w.u8(1); // SCS code (not read)
    w.u8(4).u8(1); // DL | UL max MIMO (not read)
  }
  for (const id of r.rbIds) w.u8(id).bytes(new Uint8Array(RB_REST)); // RB id | 17 bytes of bearer config (not read)
  return w.toBytes();
}

/** A radio bearer entry is 18 bytes: its id, then 17 the decoder skips. */
const RB_REST = 17;
