/**
 * Test helpers of the fronthaul IQ and timing detectors: synthetic captures through the detection,
 * real captures from shared/samples, a recording DetectContext and hand-filled decoded packets.
 */
import { readFileSync } from 'node:fs';
import { createCaptureReader, createPacketDecoder, DecodedPacket, type DecodeOptions } from '@l1t/capture';
import type { AnomalyDraft, MetricDraft, Profile } from '@l1t/contracts';
import {
  concatBytes,
  parseFaultSpec,
  synthFronthaul,
  type FaultLabel,
  type FronthaulConfigInput,
} from '../../../../capture/src/synth/index.js';
import { detectCapture } from '../../framework/detect-capture.js';
import { createFronthaulDetection } from '../../framework/fronthaul-detection.js';
import type { DetectionResult, DetectorDefinition, Occurrence, ResolvedThresholds } from '../../framework/detector.js';
import { ThresholdRegistry } from '../../framework/thresholds.js';
import type { DriverContext } from '../../framework/detector-driver.js';

export const SYNTH_DECODE: Partial<DecodeOptions> = { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 273 };

export interface SynthRun {
  result: DetectionResult;
  labels: readonly FaultLabel[];
  packets: number;
}

/** Generates a synthetic capture with `faults` (SPEC syntax) and runs `definitions` over it. */
export function synthDetect(
  faults: string,
  definitions: readonly DetectorDefinition[],
  options: { config?: FronthaulConfigInput; profile?: Profile; seed?: number; computeIq?: boolean } = {},
): SynthRun {
  const synth = synthFronthaul({ durationS: 0.5, ...options.config }, parseFaultSpec(faults), options.seed ?? 7);
  const bytes = concatBytes([...synth]);
  const result = detectCapture(bytes, 'pcap', {
    profile: options.profile,
    definitions,
    decode: { ...SYNTH_DECODE, computeIq: options.computeIq ?? true },
  });
  return { result, labels: synth.labels, packets: synth.stats.packets };
}

/**
 * Streams a capture file (pcap or pcapng by magic) through `createCaptureReader` in 1 MiB chunks, the
 * packet decoder and the detection of `definitions`.
 */
export function detectFile(
  path: string,
  definitions: readonly DetectorDefinition[],
  options: { profile?: Profile; decode?: Partial<DecodeOptions> } = {},
): DetectionResult {
  const bytes = new Uint8Array(readFileSync(path));
  const format = bytes[0] === 0x0a && bytes[1] === 0x0d ? 'pcapng' : 'pcap';
  const reader = createCaptureReader(format);
  const decoder = createPacketDecoder(options.decode ?? {});
  const det = createFronthaulDetection({ profile: options.profile, definitions });
  const p = new DecodedPacket();
  const drain = (): void => {
    for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
      if (rec.kind !== 'packet') continue;
      decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, p);
      det.onPacket(p);
    }
  };
  for (let o = 0; o < bytes.length; o += 1 << 20) {
    reader.append(bytes.subarray(o, Math.min(bytes.length, o + (1 << 20))));
    drain();
  }
  reader.end();
  drain();
  return det.finish();
}

export function ofType(result: DetectionResult, type: string): AnomalyDraft[] {
  return result.anomalies.filter((a) => a.type === type);
}

/** A DetectContext that records what detectors report. */
export interface RecordingContext extends DriverContext {
  readonly occurrences: Occurrence[];
  readonly metrics: MetricDraft[];
}

export function recordingContext(
  definitions: readonly DetectorDefinition[],
  profile?: Profile,
  overrides?: Record<string, Record<string, unknown>>,
): RecordingContext & { thresholds: ResolvedThresholds } {
  const thresholds = new ThresholdRegistry(definitions).resolve(overrides ?? profile?.thresholds);
  const occurrences: Occurrence[] = [];
  const metrics: MetricDraft[] = [];
  return {
    profile,
    thresholds,
    occurrences,
    metrics,
    report: (o) => occurrences.push(o),
    metric: (m) => metrics.push(m),
  };
}

/** A decoded packet filled by hand (fields the detectors read), for unit tests. */
export function emptyPacket(index: number, tsNs: bigint): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = tsNs;
  return p;
}

export interface UplaneSpec {
  eaxc?: number;
  dl?: boolean;
  frameId?: number;
  subframeId?: number;
  slotId?: number;
  symbolId?: number;
  /** PRBs with decoded IQ. */
  prbs?: number;
  zero?: number;
  clipped?: number;
  /** Power of every non-zero PRB. */
  dbfs?: number;
  /** udCompMeth: 1 BFP (default), 0 uncompressed. */
  method?: number;
  iqWidth?: number;
  widthInferred?: boolean;
}

/** A U-plane packet with one section whose per-PRB results are set as the decoder would. */
export function uplanePacket(p: DecodedPacket, index: number, tsNs: bigint, u: UplaneSpec = {}): DecodedPacket {
  p.index = index;
  p.tsNs = tsNs;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = 'u';
  o.headerComplete = true;
  o.eaxc = u.eaxc ?? 0;
  o.dataDirection = u.dl === false ? 0 : 1;
  o.frameId = u.frameId ?? 0;
  o.subframeId = u.subframeId ?? 0;
  o.slotId = u.slotId ?? 0;
  o.symbolId = u.symbolId ?? 0;
  o.inferred = u.widthInferred ? 1 : 0;
  const n = u.prbs ?? 100;
  const s = o.uSection(0);
  s.prbIndex = 0;
  s.nPrb = n;
  s.compMethod = u.method ?? 1;
  s.iqWidth = u.iqWidth ?? 9;
  s.iqSupported = true;
  o.sectionCount = 1;
  o.prbCount = n;
  o.ensurePrbCapacity(n);
  const zero = u.zero ?? 0;
  const clipped = u.clipped ?? 0;
  s.zeroPrbs = s.clippedPrbs = s.clippedSamples = 0;
  s.activePowerLin = 0;
  for (let k = 0; k < n; k++) {
    const isZero = k < zero;
    o.prbZero[k] = isZero ? 1 : 0;
    o.prbPowerDbfs[k] = isZero ? -Infinity : (u.dbfs ?? -20);
    o.prbClipped[k] = !isZero && k < zero + clipped ? 2 : 0;
    // the section totals the decoder computes beside the per-PRB values
    if (isZero) s.zeroPrbs++;
    else s.activePowerLin += 10 ** (o.prbPowerDbfs[k]! / 10);
    if (o.prbClipped[k]! > 0) {
      s.clippedPrbs++;
      s.clippedSamples += o.prbClipped[k]!;
    }
  }
  return p;
}

/** A C-plane packet header (no sections needed by the traffic detectors). */
export function cplanePacket(p: DecodedPacket, index: number, tsNs: bigint, u: UplaneSpec = {}): DecodedPacket {
  p.index = index;
  p.tsNs = tsNs;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = 'c';
  o.headerComplete = true;
  o.eaxc = u.eaxc ?? 0;
  o.dataDirection = u.dl === false ? 0 : 1;
  o.frameId = u.frameId ?? 0;
  o.subframeId = u.subframeId ?? 0;
  o.slotId = u.slotId ?? 0;
  o.symbolId = 0;
  o.sectionCount = 0;
  return p;
}

export interface PtpSpec {
  type: number;
  clock?: number;
  port?: number;
  domain?: number;
  seq?: number;
  logInterval?: number;
  twoStep?: boolean;
  tsSec?: number;
  tsNs?: number;
  correctionNs?: number;
  gm?: number;
  clockClass?: number;
  priority1?: number;
  priority2?: number;
  timescale?: boolean;
  utcOffset?: number;
  requestingClock?: number;
  requestingPort?: number;
}

/** A decoded PTP message (fields as `decodePtp` leaves them). */
export function ptpPacket(p: DecodedPacket, index: number, tsNs: bigint, s: PtpSpec): DecodedPacket {
  p.index = index;
  p.tsNs = tsNs;
  p.kind = 'ptp';
  p.hasOran = false;
  p.oranCount = 0;
  const m = p.ptp;
  m.valid = true;
  m.messageType = s.type;
  m.domainNumber = s.domain ?? 24;
  m.clockIdentityHi = 0x02000000;
  m.clockIdentityLo = s.clock ?? 1;
  m.sourcePort = s.port ?? 1;
  m.sequenceId = s.seq ?? 0;
  m.logMessageInterval = s.logInterval ?? (s.type === 0xb ? -3 : -4);
  m.twoStep = s.twoStep ?? false;
  m.ptpTimescale = s.timescale ?? true;
  const c = Math.round((s.correctionNs ?? 0) * 65536);
  m.correctionHi = Math.floor(c / 0x1_0000_0000);
  m.correctionLo = c - m.correctionHi * 0x1_0000_0000;
  m.timestampSec = s.tsSec ?? -1;
  m.timestampNs = s.tsNs ?? -1;
  m.requestingClockIdentityHi = 0x02000000;
  m.requestingClockIdentityLo = s.requestingClock ?? 0;
  m.requestingPort = s.requestingPort ?? -1;
  m.currentUtcOffset = s.utcOffset ?? 37;
  m.grandmasterIdentityHi = 0x6cadad00;
  m.grandmasterIdentityLo = s.gm ?? 1;
  m.clockClass = s.type === 0xb ? (s.clockClass ?? 6) : -1;
  m.grandmasterPriority1 = s.priority1 ?? 128;
  m.grandmasterPriority2 = s.priority2 ?? 128;
  m.clockAccuracy = 0x21;
  m.offsetScaledLogVariance = 0x4e5d;
  m.stepsRemoved = 1;
  m.timeSource = 0x20;
  m.senderSlot = -1; // as decodePtp leaves it: the driver sets it
  return p;
}

export const MS = 1_000_000n;
/** 2026-01-01T00:00:00Z in ns. */
export const T0 = 1_767_225_600_000_000_000n;
