import {
  macTbBody,
  nrSearcherMeasBody,
  pdschStatBody,
  perBits,
  rachAttemptBody,
  rlmReportBody,
  rrcOtaBody,
  scmrBody,
  scmrMulti,
  servCellInfoBody,
  type ScmrCellRaw,
} from '../../diag/build/diag-bodies.js';
import { puschPowerControlBody } from '../../diag/build/diag-bodies-ul-power.js';
import { diagLogPacket, dlfRecord, hdlcFrame } from '../../diag/build/diag-frames.js';
import { nrBeamMgmtBody, nrRachAttemptBody, nrRachTriggerBody } from '../../diag/build/nr-bodies.js';
import { LTE_MAC_RACH_ATTEMPT } from '../../diag/decoders/lte-mac-rach-attempt.js';
import { LTE_MAC_DL_TRANSPORT_BLOCK, LTE_MAC_UL_TRANSPORT_BLOCK } from '../../diag/decoders/lte-mac-transport-block.js';
import { LTE_ML1_RLM_REPORT } from '../../diag/decoders/lte-ml1-rlm-report.js';
import { LTE_ML1_SCELL_MEAS_RESPONSE } from '../../diag/decoders/lte-ml1-scell-meas-response.js';
import { LTE_PDSCH_STAT_INDICATION } from '../../diag/decoders/lte-pdsch-stat-indication.js';
import { LTE_PUSCH_POWER_CONTROL } from '../../diag/decoders/lte-power-control.js';
import { LTE_RRC_SERV_CELL_INFO } from '../../diag/decoders/lte-rrc-cell-info.js';
import { LTE_RRC_OTA } from '../../diag/decoders/lte-rrc-ota.js';
import { NR_MAC_RACH_ATTEMPT } from '../../diag/decoders/nr-mac-rach-attempt.js';
import { NR_MAC_RACH_TRIGGER } from '../../diag/decoders/nr-mac-rach-trigger.js';
import { NR_ML1_BEAM_MGMT } from '../../diag/decoders/nr-ml1-beam-mgmt.js';
import { NR_ML1_SEARCHER_MEAS } from '../../diag/decoders/nr-ml1-searcher-meas.js';
import { DEFAULT_UTC_GPS_OFFSET_S, diagTimeToUtcNs, formatUtcNs } from '../../diag/diag-time.js';
import { Prng } from '../prng.js';
import type { UeFaultSpec, UeFaultType } from './ue-fault-spec.js';

/**
 * `l1t synth ue`: a Qualcomm DIAG log of one LTE UE on one serving cell, with faults injected and the
 * ground truth beside it. Every record is built with the builders the decoders' own fixtures use
 * (diag/build), so the generator writes exactly the layouts the decoders read:
 *
 * - 0xB193 serving cell measurement (sub-packet 25 v36) every 40 ms: RSRP/RSRQ/RSSI/SNR per chain;
 * - 0xB173 PDSCH stat (v24) every 1 ms: one TB on HARQ process t mod 8, ~1 % initial NACKs, each
 *   NACKed TB retransmitted 8 ms later (RV 0, 2, 3, 1) until its CRC passes or 4 transmissions;
 * - 0xB16E PUSCH power control (v25: PUSCH Tx power, Pcmax 23 dBm) and 0xB064 MAC UL TB (v1) with a power
 *   headroom report every 10 ms, from one headroom draw; 0xB063 MAC DL TB (v2) with a timing
 *   advance command every 500 ms; 0xB062 RACH attempt (v2) at the start (the RAR sets N_TA);
 * - 0xB18A RLM report every 100 ms; 0xB0C2 serving cell info at the start; 0xB0C0 RRC OTA (v15) for
 *   re-establishments;
 * - the NR (EN-DC) leg: 0xB97F searcher measurement (v2.7) and 0xB975 serving beam report (v2.1) every
 *   100 ms, without drawing from the PRNG (the LTE records are the same with or without it); a beam failure
 *   adds a 0xB889 RACH trigger (reason beam failure) and a contention-free 0xB88A attempt (v3.5) that
 *   recovers on another SSB.
 *
 * Clean logs carry no fault by construction (noise ±0.3 dB, retransmissions pass, TA commands ±1). Each
 * label names the record where the fault becomes observable (its 1-based index as the reader counts
 * records) with its timestamp as the reader converts it, and the cell keys.
 */
export interface UeSynthConfig {
  durationS: number;
  format: 'qmdl' | 'dlf';
  earfcn?: number;
  pci?: number;
  /** Log start, Unix seconds (default 2026-01-15T10:00:00Z). */
  startUnixS?: number;
}

/** One ground-truth line, the fronthaul labels' shape (synth-events.ts FaultLabel) with UE keys. */
export interface UeFaultLabel {
  type: UeFaultType;
  source: 'ue';
  packet_index: number;
  timestamp: string;
  packet_count: number;
  flow: Record<string, string | number>;
  /** LTE cell (`EARFCN/PCI`, earfcn) or, for beam_failure, the NR cell (`NR-ARFCN/PCI`, arfcn). */
  radio: { cell: string; pci: number; earfcn?: number; arfcn?: number };
  params: Record<string, number>;
  spec: string;
  also?: string[];
}

export interface UeSynthResult {
  bytes: Uint8Array;
  labels: UeFaultLabel[];
  stats: { records: number; bytes: number; perCode: Record<string, number> };
}

const GPS_EPOCH_UNIX_S = 315_964_800;
const DEFAULT_START_UNIX_S = 1_768_471_200; // 2026-01-15T10:00:00Z
const RV_CYCLE = [0, 2, 3, 1];
const MAX_TX = 4;
/** Default lengths (s) of the sustained faults. */
const DURATION: Partial<Record<UeFaultType, number>> = {
  rsrp_low: 1.5,
  rsrp_drop: 1,
  sinr_drop: 1,
  rx_imbalance: 1.5,
  bler_high: 2,
  ul_power_limited: 2,
  out_of_sync: 0.3,
};
const C_RNTI = 0x4601;
const NTA0 = 100;
/** Configured maximum output power of the UE (power class 3, TS 36.101 §6.2.2). */
const PCMAX_DBM = 23;
/** The NR (EN-DC) leg: one n78 cell, its serving SSB beam, the C-RNTI on it, N_TA of its RAR. */
const NR_ARFCN = 632628;
const NR_PCI = 501;
const NR_SSB = 3;
const NR_RECOVERY_SSB = 6;
const NR_C_RNTI = 0x5a11;
const NR_TA = 120;

interface Rec {
  us: number;
  code: number;
  body: Uint8Array;
  label?: UeFaultSpec | undefined;
  /** The record is of the NR leg (its label names the NR cell). */
  nr?: boolean;
}

const dbmRaw = (dbm: number, offset: number, scale: number): number => Math.round((dbm + offset) * scale);

/** Generates the whole log in memory (a UE log is small: ~1,150 records per second of radio time). */
export function synthUe(config: UeSynthConfig, faults: readonly UeFaultSpec[], seed: number): UeSynthResult {
  const earfcn = config.earfcn ?? 1825;
  const pci = config.pci ?? 73;
  const durMs = Math.round(config.durationS * 1000);
  for (const f of faults)
    if (!(f.at >= 0 && f.at * 1000 < durMs - 50))
      throw new RangeError(`${f.type}@${f.at}: the log is ${config.durationS} s long (a fault must start inside it)`);
  const rng = new Prng(seed);
  const recs: Rec[] = [];
  const add = (us: number, code: number, body: Uint8Array, label?: UeFaultSpec, nr = false): void => {
    recs.push({ us, code, body, label, ...(nr ? { nr } : {}) });
  };
  const of = (type: UeFaultType): UeFaultSpec[] => faults.filter((f) => f.type === type);
  const startMs = (f: UeFaultSpec): number => Math.round(f.at * 1000);
  const endMs = (f: UeFaultSpec): number =>
    startMs(f) + Math.round((f.params?.duration ?? DURATION[f.type] ?? 0) * 1000);
  /** The fault of `type` whose window holds `t`, and whether `t` is the first such record (its label). */
  const labelled = new Set<UeFaultSpec>();
  const active = (type: UeFaultType, t: number): UeFaultSpec | undefined =>
    of(type).find((f) => t >= startMs(f) && t < endMs(f));
  const firstOf = (f: UeFaultSpec | undefined): UeFaultSpec | undefined => {
    if (!f || labelled.has(f)) return undefined;
    labelled.add(f);
    return f;
  };

  // start: serving cell info, then the initial random access (the RAR sets N_TA)
  add(
    1000,
    LTE_RRC_SERV_CELL_INFO,
    servCellInfoBody(3, {
      pci,
      dl: earfcn,
      ul: earfcn + 18000,
      bwRb: 100,
      cellId: 0x1a2b3c,
      tac: 1,
      band: 3,
      mcc: 1,
      mncDigits: 2,
      mnc: 1,
    }),
  );
  add(5000, LTE_MAC_RACH_ATTEMPT, rachBody(1, true, NTA0));

  // timing advance commands (every 500 ms, ±1) and the injected jumps; N_TA at any time for later RARs
  const taCommands: { t: number; delta: number; label?: UeFaultSpec }[] = [];
  for (let t = 500; t < durMs; t += 500) taCommands.push({ t, delta: rng.int(3) - 1 });
  for (const f of of('timing_advance_jump')) taCommands.push({ t: startMs(f), delta: f.params?.step ?? 20, label: f });
  taCommands.sort((a, b) => a.t - b.t);
  const ntaAt = (t: number): number => NTA0 + taCommands.filter((c) => c.t < t).reduce((n, c) => n + c.delta, 0);
  for (const c of taCommands) {
    const ta = Math.max(0, Math.min(63, 31 + c.delta));
    add(c.t * 1000 + 700, LTE_MAC_DL_TRANSPORT_BLOCK, macTb(true, c.t, [29, ta]), c.label);
  }

  // random access failures: a failed attempt (no RAR), then a successful one 20 ms later
  for (const f of of('rach_failure')) {
    const t = startMs(f);
    add(t * 1000 + 800, LTE_MAC_RACH_ATTEMPT, rachBody(1, false, 0), f);
    add((t + 20) * 1000 + 800, LTE_MAC_RACH_ATTEMPT, rachBody(2, true, ntaAt(t + 20)));
  }

  // radio link failure: RRCConnectionReestablishmentRequest (otherFailure), answered 30 ms later
  for (const f of of('radio_link_failure')) {
    const t = startMs(f);
    const req = perBits([
      [0, 1], // UL-CCCH c1
      [0, 1], // rrcConnectionReestablishmentRequest
      [0, 1], // criticalExtensions r8
      [C_RNTI, 16], // ue-Identity c-RNTI
      [pci, 9], // physCellId
      [0xabcd, 16], // shortMAC-I
      [2, 2], // reestablishmentCause otherFailure
      [0, 2], // spare
    ]);
    const ans = perBits([
      [0, 1], // DL-CCCH c1
      [0, 2], // rrcConnectionReestablishment
      [0, 5], // rrc-TransactionIdentifier, criticalExtensions …
    ]);
    add(t * 1000 + 900, LTE_RRC_OTA, rrc(t, 8, req), f);
    add((t + 30) * 1000 + 900, LTE_RRC_OTA, rrc(t + 30, 6, ans));
  }

  // serving cell measurements every 40 ms
  for (let t = 0; t < durMs; t += 40) {
    const n = (): number => (rng.float() - 0.5) * 0.6;
    let r0 = -95 + n();
    let r1 = -96 + n();
    let s0 = 15 + n();
    let s1 = 14 + n();
    let label: UeFaultSpec | undefined;
    for (const f of of('rsrp_low')) {
      const T = startMs(f);
      if (t >= T - 3000 && t < T) {
        const d = (-19 * (t - (T - 3000))) / 3000; // slow ramp to −114 dBm: < 4 dB per 500 ms, no drop
        r0 += d;
        r1 += d;
      }
    }
    const low = active('rsrp_low', t);
    if (low) {
      r0 = -119 + n();
      r1 = -120 + n();
      label ??= firstOf(low);
    }
    const drop = active('rsrp_drop', t);
    if (drop) {
      r0 -= 13;
      r1 -= 13;
      label ??= firstOf(drop);
    }
    const sinr = active('sinr_drop', t);
    if (sinr) {
      s0 -= 13;
      s1 -= 13;
      label ??= firstOf(sinr);
    }
    const imb = active('rx_imbalance', t);
    if (imb) {
      r1 -= 10;
      label ??= firstOf(imb);
    }
    const rsrpRx: [number, number] = [dbmRaw(r0, 180, 16), dbmRaw(r1, 180, 16)];
    const cell: ScmrCellRaw = {
      pci,
      sfn: Math.floor(t / 10) % 1024,
      subframe: t % 10,
      rsrpRx,
      rsrp: Math.max(...rsrpRx), // the combined value is the best chain's (as in the real logs)
      rsrqRx: [dbmRaw(-10, 30, 16), dbmRaw(-10.5, 30, 16)],
      rsrq: dbmRaw(-10, 30, 16),
      rssiRx: [dbmRaw(-65, 110, 16), dbmRaw(-66, 110, 16)],
      rssi: dbmRaw(-65, 110, 16),
      snrRx: [dbmRaw(s0, 20, 10), dbmRaw(s1, 20, 10)],
    };
    add(t * 1000, LTE_ML1_SCELL_MEAS_RESPONSE, scmrBody(36, scmrMulti(36, earfcn, [cell])), label);
  }

  // PDSCH: one TB per ms on HARQ process t mod 8
  const procs = Array.from({ length: 8 }, () => ({ pending: false, tx: 0, failsLeft: 0, ndi: 0 }));
  let newInFault = 0;
  const maxRetx = of('harq_failure').filter((f) => !f.params?.nacks);
  const bursts = of('harq_failure').filter((f) => (f.params?.nacks ?? 0) > 0);
  const giveUp = new Map<number, UeFaultSpec>(); // process → fault whose TB fails every transmission
  for (let t = 0; t < durMs; t++) {
    const p = t % 8;
    const st = procs[p]!;
    let crcPass: boolean;
    let rv = 0;
    let retx = false;
    let label: UeFaultSpec | undefined;
    if (st.pending) {
      retx = true;
      rv = RV_CYCLE[st.tx % 4]!;
      crcPass = st.failsLeft <= 0;
      if (!crcPass) st.failsLeft--;
      st.tx++;
      if (crcPass || st.tx >= MAX_TX) {
        st.pending = false;
        if (!crcPass) {
          label = giveUp.get(p); // the NACK on the last transmission
          giveUp.delete(p);
        }
      }
    } else {
      st.ndi ^= 1;
      let fails = rng.float() < 0.01 ? 1 : 0;
      const f = maxRetx.find((x) => !labelled.has(x) && ![...giveUp.values()].includes(x) && t >= startMs(x));
      if (f) {
        fails = MAX_TX;
        giveUp.set(p, f);
        labelled.add(f);
      }
      const burst = bursts.find((x) => t >= startMs(x) && t < startMs(x) + x.params!.nacks!);
      if (burst) {
        fails = 1;
        label = firstOf(burst);
      }
      const bler = active('bler_high', t);
      if (bler) {
        fails = newInFault++ % 4 === 0 ? 1 : fails === MAX_TX ? MAX_TX : 0; // 25 % of initial TBs, no runs
        if (fails) label ??= firstOf(bler);
      }
      crcPass = fails === 0;
      if (!crcPass) {
        st.pending = true;
        st.tx = 1;
        st.failsLeft = fails - 1;
      }
    }
    const body = pdschStatBody(24, [
      {
        sfn: Math.floor(t / 10) % 4096,
        subframe: t % 10,
        layers: 1,
        cellIndex: 0,
        tbs: [
          {
            harqId: p,
            rv,
            ndi: st.ndi,
            crcPass,
            rntiType: 0, // C-RNTI
            recombined: retx,
            tbSize: 1500,
            mcs: 20,
            numRb: 50,
          },
        ],
      },
    ]);
    add(t * 1000 + 200, LTE_PDSCH_STAT_INDICATION, body, label);
  }

  // UL transmissions every 10 ms: the PUSCH power control record of the transmission (0xB16E v25), then its
  // transport block with a power headroom report (0xB064). Both follow from the one PRNG draw of the headroom
  // level, so adding the power record changed no other record's values.
  for (let t = 0; t < durMs; t += 10) {
    const limited = active('ul_power_limited', t);
    const level = limited ? 22 : 40 + rng.int(7); // PH = level − 23 dB: −1 dB (at Pcmax) or 17…23 dB
    add(t * 1000 + 450, LTE_PUSCH_POWER_CONTROL, puschPower(t, level - 23), firstOf(limited));
    add(t * 1000 + 500, LTE_MAC_UL_TRANSPORT_BLOCK, macTb(false, t, [26, level]));
  }

  // radio link monitoring every 100 ms; out-of-sync indications in the fault window
  for (let t = 0; t < durMs; t += 100) {
    const oos = active('out_of_sync', t);
    const k = oos ? Math.floor((t - startMs(oos)) / 100) + 1 : 0;
    const body = rlmReportBody([
      {
        sfn: Math.floor(t / 10) % 1024,
        subframe: t % 10,
        oosBler: oos ? Math.round((40 * 32768) / 100) : 0,
        isBler: oos ? 0 : Math.round((1 * 32768) / 100),
        oosCount: Math.min(31, k),
        isCount: oos ? 0 : 1,
        t310: oos ? 1 : 0,
      },
    ]);
    add(t * 1000 + 300, LTE_ML1_RLM_REPORT, body, firstOf(oos));
  }

  // NR leg: measurement and serving beam every 100 ms; a beam failure fades the serving beam for 200 ms,
  // then the MAC declares it (0xB889 reason 6) and recovers on SSB 6 by contention-free random access
  for (let t = 0; t < durMs; t += 100) {
    const wobble = ((t / 100) % 5) * 0.1 - 0.2; // deterministic ±0.2 dB: no PRNG draw
    const f = of('beam_failure').find((x) => t >= startMs(x) - 200 && t < startMs(x) + 5);
    const recovered = of('beam_failure').some((x) => t >= startMs(x) + 5);
    const rsrp = f ? -112 + wobble : -88 + wobble;
    const ssb = recovered ? NR_RECOVERY_SSB : NR_SSB;
    const meas = nrSearcherMeasBody(7, [
      {
        arfcn: NR_ARFCN,
        servingPci: NR_PCI,
        cells: [{ pci: NR_PCI, rsrp, rsrq: -11, beams: [{ ssb, rsrpRx: [rsrp, rsrp - 1] }] }],
      },
    ]);
    add(t * 1000 + 600, NR_ML1_SEARCHER_MEAS, meas, undefined, true);
    const beams = [{ index: ssb, rsrp, rsrq: -11 }];
    add(
      t * 1000 + 650,
      NR_ML1_BEAM_MGMT,
      nrBeamMgmtBody({ pci: NR_PCI, ssbIndex: ssb, rsrp, rsrq: -11, beams }),
      undefined,
      true,
    );
  }
  for (const f of of('beam_failure')) {
    const t = startMs(f);
    add(
      t * 1000 + 850,
      NR_MAC_RACH_TRIGGER,
      nrRachTriggerBody({ cRnti: NR_C_RNTI, reason: 6, contention: 0 }),
      f,
      true,
    );
    const attempt = nrRachAttemptBody('3.5', {
      attempt: 1,
      ssb: NR_RECOVERY_SSB,
      result: 0, // success
      contention: 0, // contention free (the beamFailureRecoveryConfig's dedicated preamble)
      mask: 3, // Msg1, Msg2
      raId: 52,
      raRnti: 0x10f,
      tcRnti: NR_C_RNTI,
      ta: NR_TA,
      grantBytes: 0,
      cRnti: NR_C_RNTI,
    });
    add((t + 5) * 1000 + 850, NR_MAC_RACH_ATTEMPT, attempt, undefined, true);
  }

  return serialise(recs, config, { earfcn, pci });

  function rachBody(attempt: number, ok: boolean, ta: number): Uint8Array {
    return rachAttemptBody(2, {
      attempt,
      result: ok ? 0 : 1, // 0 success, 1 Msg2 failure (no RAR)
      contention: 1,
      mask: ok ? 7 : 1, // Msg1–3 / Msg1 only
      preamble: 10 + attempt,
      ta,
      tcRnti: C_RNTI,
      grant: 7,
      harqId: 0,
    });
  }

  /**
   * The 0xB16E v25 record of a PUSCH transmission whose power headroom is `ph` dB. TS 36.213 §5.1.1.1:
   * P_PUSCH = min(Pcmax, 10·log10(M) + P0 + α·PL + f(i)), here M = 10 RBs, P0 = −117 dBm, α = 1 and the path
   * loss of the serving cell's RSRP (15 dBm reference signal − (−95 dBm) = 110 dB), so the closed-loop state
   * f(i) carries the required power: Pcmax − ph. At Pcmax (ph < 0, the fault: uplink interference at the
   * eNB answered by TPC up commands) the power is Pcmax and the +3 dB commands are not accumulated (TPC frozen).
   */
  function puschPower(t: number, ph: number): Uint8Array {
    const required = PCMAX_DBM - ph;
    const atMax = required >= PCMAX_DBM;
    const power = Math.min(PCMAX_DBM, required);
    return puschPowerControlBody(25, [
      {
        sfn: Math.floor(t / 10) % 1024,
        subframe: t % 10,
        txPowerDbm: power,
        dciFormat: 0, // DCI format 0: the UL grant
        txType: 1, // dynamic
        tpcFrozen: atMax,
        numRb: 10,
        tbSize: 100, // the 0xB064 transport block's bytes
        pathLossDb: 110,
        fi: required - 10 + 117 - 110,
        tpc: atMax ? 3 : 0,
        actualTxPowerDbm: power,
        maxPowerDbm: PCMAX_DBM,
      },
    ]);
  }

  function macTb(downlink: boolean, t: number, header: number[]): Uint8Array {
    return macTbBody(downlink, downlink ? 2 : 1, [
      {
        sfn: Math.floor(t / 10) % 4096,
        subframe: t % 10,
        rntiType: 0,
        harqId: Math.floor(t / 10) % 8,
        bytes: downlink ? 200 : 100,
        padding: 0,
        header,
      },
    ]);
  }

  function rrc(t: number, pdu: number, msg: number[]): Uint8Array {
    return rrcOtaBody(15, { pci, earfcn, sfn: Math.floor(t / 10) % 1024, subframe: t % 10, pdu, msg });
  }
}

function serialise(recs: Rec[], config: UeSynthConfig, cell: { earfcn: number; pci: number }): UeSynthResult {
  recs.sort((a, b) => a.us - b.us); // stable: records of one instant keep their order
  const baseUs = ((config.startUnixS ?? DEFAULT_START_UNIX_S) - GPS_EPOCH_UNIX_S + DEFAULT_UTC_GPS_OFFSET_S) * 1e6;
  const parts: Uint8Array[] = [];
  const labels: UeFaultLabel[] = [];
  const perCode: Record<string, number> = {};
  let bytes = 0;
  recs.forEach((r, i) => {
    const total = baseUs + r.us;
    const ticks = Math.floor(total / 1250); // 1.25 ms ticks since the GPS epoch
    const fraction = Math.floor(((total % 1250) * 65536) / 1250);
    const ts = (BigInt(ticks) << 16n) | BigInt(fraction);
    const rec = config.format === 'dlf' ? dlfRecord(r.code, ts, r.body) : hdlcFrame(diagLogPacket(r.code, ts, r.body));
    parts.push(rec);
    bytes += rec.length;
    const code = `0x${r.code.toString(16).toUpperCase().padStart(4, '0')}`;
    perCode[code] = (perCode[code] ?? 0) + 1;
    const f = r.label;
    if (f) {
      const params: Record<string, number> = { ...f.params };
      const extra = Object.entries(params)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      labels.push({
        type: f.type,
        source: 'ue',
        packet_index: i + 1,
        timestamp: formatUtcNs(diagTimeToUtcNs(ticks, fraction, DEFAULT_UTC_GPS_OFFSET_S)),
        packet_count: 1,
        flow: {},
        radio: r.nr
          ? { cell: `${NR_ARFCN}/${NR_PCI}`, pci: NR_PCI, arfcn: NR_ARFCN }
          : { cell: `${cell.earfcn}/${cell.pci}`, pci: cell.pci, earfcn: cell.earfcn },
        params,
        spec: `${f.type}@${f.at}${extra ? `:${extra}` : ''}`,
      });
    }
  });
  const out = new Uint8Array(bytes);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  labels.sort((a, b) => a.packet_index - b.packet_index);
  return { bytes: out, labels, stats: { records: recs.length, bytes, perCode } };
}
