import type { DiagFields } from '@l1t/capture';
import type {
  PdschTbSample,
  PuschPowerSample,
  RachAttemptResult,
  RachAttemptSample,
  TimingAdvanceSample,
  UeCellRef,
} from '@l1t/detect';

/**
 * Decoded DIAG records → the UE link detectors' samples (ue-link-samples.ts in @l1t/detect), one function
 * per log code, field names as the decoders emit them (packages/capture/src/diag/decoders). `base` is what
 * the analyzer knows around the record: its time, index and the serving cell last measured.
 */
export interface SampleBase {
  tsNs: bigint;
  recordIndex: number;
  cell: UeCellRef | undefined;
}

/** RNTI types whose PDSCH carries the UE's own data: the transport blocks a BLER is about. */
const UE_DATA_RNTI = new Set(['C', 'SPS-C']);

/**
 * 0xB173 LTE PDSCH Stat Indication: one sample per transport block addressed to the UE (C-/SPS-C-RNTI;
 * broadcast SI/P/RA blocks are left out). A block soft-combined with an earlier copy (`did_recombining`) or
 * sent with RV ≠ 0 is a retransmission (TS 36.321 §5.3.2.2).
 */
export function pdschTbSamples(f: DiagFields, base: SampleBase, out: (s: PdschTbSample) => void): void {
  const rnti = f.rnti_type as readonly string[];
  const rv = f.rv as readonly number[];
  const recombined = f.did_recombining as readonly boolean[];
  for (let i = 0; i < rnti.length; i++) {
    if (!UE_DATA_RNTI.has(rnti[i]!)) continue;
    out({
      ...base,
      harqId: (f.harq_id as readonly number[])[i]!,
      rv: rv[i]!,
      isRetx: recombined[i]! || rv[i]! !== 0,
      crcPass: (f.crc_pass as readonly boolean[])[i]!,
      mcs: (f.mcs as readonly number[])[i]!,
    });
  }
}

/** 0xB064 LTE MAC UL Transport Block: one sample per power headroom report (PH = Pcmax − PUSCH power). */
export function puschPowerSamples(f: DiagFields, base: SampleBase, out: (s: PuschPowerSample) => void): void {
  for (const ph of f.power_headroom_db as readonly (number | null)[]) if (ph !== null) out({ ...base, headroomDb: ph });
}

/**
 * 0xB16E LTE PUSCH Power Control: one sample per record that carries Pcmax (version 25's max power), the
 * headroom being Pcmax − PUSCH Tx power (TS 36.213 §5.1.1.1: P_PUSCH = min(Pcmax, open/closed-loop power), so
 * 0 dB is a transmission at Pcmax). Versions 4 and 5 log no Pcmax: no sample (their power, TPC, path loss and
 * F(i) still reach the KPIs).
 */
export function puschPowerControlSamples(f: DiagFields, base: SampleBase, out: (s: PuschPowerSample) => void): void {
  const pcmax = f.pcmax_dbm as readonly (number | null)[];
  const power = f.pusch_tx_power_dbm as readonly number[];
  for (let i = 0; i < pcmax.length; i++) {
    const max = pcmax[i]!;
    if (max !== null) out({ ...base, headroomDb: max - power[i]!, txPowerDbm: power[i]!, pcmaxDbm: max });
  }
}

/** 0xB063 LTE MAC DL Transport Block: one relative update per Timing Advance Command (T_A − 31, TS 36.321 §6.1.3.5). */
export function taCommandSamples(f: DiagFields, base: SampleBase, out: (s: TimingAdvanceSample) => void): void {
  for (const ta of f.ta_command as readonly (number | null)[])
    if (ta !== null) out({ ...base, kind: 'relative', value: ta - 31 });
}

const RACH_RESULTS: Readonly<Record<string, RachAttemptResult>> = {
  success: 'success',
  msg2_failure: 'no_rar',
  msg4_ct_timer_expired: 'contention_lost',
  msg4_contention_lost: 'contention_lost',
};

/** 0xB062 LTE MAC RACH Attempt: the attempt, and the RAR's absolute timing advance when Msg2 came. */
export function rachSamples(
  f: DiagFields,
  base: SampleBase,
  onAttempt: (s: RachAttemptSample) => void,
  onTa: (s: TimingAdvanceSample) => void,
): void {
  const ta = f.timing_advance as number | null;
  onAttempt({
    ...base,
    result: RACH_RESULTS[f.rach_result as string] ?? 'failure',
    attempt: f.attempt as number,
    contention: f.contention_based ? 'contention_based' : 'contention_free',
    ...(f.preamble_index !== null ? { preamble: f.preamble_index as number } : {}),
    ...(ta !== null ? { rarTa: ta } : {}),
    // the RAR's temporary C-RNTI, the UE's C-RNTI once contention is resolved (TS 36.321 §5.1.5)
    ...(f.tc_rnti !== null ? { rnti: f.tc_rnti as number } : {}),
  });
  if (ta !== null) onTa({ ...base, kind: 'absolute', value: ta });
}
