import { hexCode } from '../diag-packet.js';
import { DiagDecodeError, type DiagFields, type DiagLogDecoder } from './diag-decoder.js';
import { lteMl1NcellMeas, lteMl1ScellMeasEval } from './lte-ml1-meas-eval.js';
import { lteMl1IntraFreqMeas } from './lte-ml1-intra-freq-meas.js';
import { lteMl1RlmReport } from './lte-ml1-rlm-report.js';
import { lteMl1ScellMeasResponse } from './lte-ml1-scell-meas-response.js';
import { ltePucchCsf, ltePuschCsf } from './lte-csf.js';
import { lteMacRachAttempt } from './lte-mac-rach-attempt.js';
import { lteMacRachTrigger } from './lte-mac-rach-trigger.js';
import { lteMacDlTransportBlock, lteMacUlTransportBlock } from './lte-mac-transport-block.js';
import { ltePdschDemapperConfig } from './lte-pdsch-demapper-config.js';
import { ltePdschStatIndication } from './lte-pdsch-stat-indication.js';
import { ltePuschTxReport } from './lte-pusch-tx-report.js';
import { ltePucchPowerControl, ltePuschPowerControl } from './lte-power-control.js';
import { lteRrcMib, lteRrcServCellInfo } from './lte-rrc-cell-info.js';
import { lteRrcOta } from './lte-rrc-ota.js';
import { nrLl1ServingFtl } from './nr-ll1-serving-ftl.js';
import { nrMacPdschStats } from './nr-mac-pdsch-stats.js';
import { nrMacRachAttempt } from './nr-mac-rach-attempt.js';
import { nrMacRachTrigger } from './nr-mac-rach-trigger.js';
import { nrMacUlSchedule } from './nr-mac-ul-schedule.js';
import { nrMacUlTbStats } from './nr-mac-ul-tb-stats.js';
import { nrMl1BeamMgmt } from './nr-ml1-beam-mgmt.js';
import { nrMl1SearcherMeas } from './nr-ml1-searcher-meas.js';
import { nrRrcMibInfo, nrRrcServCellInfo } from './nr-rrc-cell-info.js';
import { nrRrcConfigInfo } from './nr-rrc-config-info.js';
import { nrRrcOta } from './nr-rrc-ota.js';

/** Every log decoder, one per log code; each holds its verified versions. Add a version in its file. */
export const DIAG_LOG_DECODERS: readonly DiagLogDecoder[] = [
  lteMl1ScellMeasResponse,
  lteMl1ScellMeasEval,
  lteMl1NcellMeas,
  lteMl1RlmReport,
  ltePuschTxReport,
  ltePdschStatIndication,
  lteMacRachAttempt,
  lteMacDlTransportBlock,
  lteMacUlTransportBlock,
  lteRrcOta,
  lteRrcMib,
  lteRrcServCellInfo,
  nrRrcOta,
  nrMl1SearcherMeas,
  ltePucchCsf,
  ltePuschCsf,
  ltePdschDemapperConfig,
  lteMl1IntraFreqMeas,
  nrMacPdschStats,
  ltePuschPowerControl,
  ltePucchPowerControl,
  lteMacRachTrigger,
  nrMl1BeamMgmt,
  nrMacRachTrigger,
  nrMacRachAttempt,
  nrRrcMibInfo,
  nrRrcServCellInfo,
  nrRrcConfigInfo,
  nrLl1ServingFtl,
  nrMacUlTbStats,
  nrMacUlSchedule,
];

const BY_CODE: ReadonlyMap<number, DiagLogDecoder> = new Map(DIAG_LOG_DECODERS.map((d) => [d.logCode, d]));

/**
 * The outcome of decoding one log packet (reused by {@link DiagDecoderRegistry.decode}).
 * `decoded`: `fields` hold the values; `unknown`: no decoder for this (code, version) — counted, not an
 * error; `malformed`: the body does not fit its version's layout (`reason`).
 */
export interface DiagDecodeResult {
  status: 'decoded' | 'unknown' | 'malformed';
  logCode: number;
  /** The version read from the body (-1 when unreadable or the code has no decoder). */
  version: number;
  name: string | undefined;
  /**
   * Valid until the next record of the same log code is decoded: a decoder may refill one result object
   * and its arrays (0xB193 and 0xB0C0 do, lte-ml1-scell-meas-response.ts, lte-rrc-ota.ts) — copy what you
   * keep, arrays included (a shallow `{ ...fields }` still shares them), as with a DiagRecord.
   */
  fields: DiagFields | undefined;
  reason: string | undefined;
}

/** Looks up and runs the decoder of a log packet; never throws for a bad body. */
export class DiagDecoderRegistry {
  private readonly result: DiagDecodeResult = {
    status: 'unknown',
    logCode: 0,
    version: -1,
    name: undefined,
    fields: undefined,
    reason: undefined,
  };

  constructor(private readonly decoders: ReadonlyMap<number, DiagLogDecoder> = BY_CODE) {}

  /** The version a body of `logCode` declares (-1: no decoder for the code, or unreadable). */
  versionOf(logCode: number, body: Uint8Array): number {
    return this.decoders.get(logCode)?.version(body) ?? -1;
  }

  decode(logCode: number, body: Uint8Array): DiagDecodeResult {
    const r = this.result;
    const d = this.decoders.get(logCode);
    r.logCode = logCode;
    r.name = d?.name;
    r.fields = undefined;
    r.reason = undefined;
    r.version = d?.version(body) ?? -1;
    const v = d && r.version >= 0 ? d.versions.get(r.version) : undefined;
    if (!v) {
      r.status = 'unknown';
      return r;
    }
    try {
      r.fields = v(body);
      r.status = 'decoded';
    } catch (err) {
      if (!(err instanceof DiagDecodeError)) throw err;
      r.status = 'malformed';
      r.reason = `${hexCode(logCode)} version ${r.version}: ${err.message}`;
    }
    return r;
  }
}
