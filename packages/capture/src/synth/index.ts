/**
 * Synthetic captures: streaming pcap/pcapng writers and the O-RAN fronthaul generator with fault
 * injection and ground-truth labels (`l1t synth fronthaul`). Pure: bytes out, no I/O.
 *
 * ```ts
 * const synth = synthFronthaul({ durationS: 2, format: 'pcapng' }, parseFaultSpec('seq_gap@1.5:eaxc=1,count=3'), 7);
 * for (let chunk = synth.next(); chunk; chunk = synth.next()) await sink.write(chunk); // bounded memory
 * for (const label of synth.labels) console.log(JSON.stringify(label)); // one JSON line per fault
 * // a traffic shape (traffic-shapes.ts) and the analysis profile that states what it carries:
 * const cfg = shapeConfig('concat', { durationS: 0.5 });
 * const profile = profileForSynth(resolveFronthaulConfig(cfg));
 * ```
 */
export type { CaptureRecordInput, CaptureWriter } from './capture-writer.js';
export { concatBytes, utf8Encode } from './capture-writer.js';
export type { PcapWriterOptions } from './pcap-writer.js';
export { createPcapWriter, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap-writer.js';
export type { PcapngWriterOptions } from './pcapng-writer.js';
export { createPcapngWriter } from './pcapng-writer.js';
export { writeCapture } from './write-capture.js';
export type { WriteCaptureOptions } from './write-capture.js';
export type { RadioPosition, RadioTimingOptions } from './radio-time.js';
export {
  DEFAULT_LEAP_SECONDS,
  GPS_EPOCH_UNIX_S,
  TAI_UTC_OFFSET_S,
  airTimeUnixNs,
  numerology,
  radioOriginUnixNs,
  radioPositionAt,
  subframeAt,
  symbolStartsNs,
  symbolStartsTc,
  symbolsPerSubframe,
} from './radio-time.js';
export type { CompMethod, IqFormat, SignalOptions } from './iq.js';
export {
  DEFAULT_SIGNAL,
  SAMPLES_PER_PRB,
  bfpExponent,
  compressCarrier,
  compressPrb,
  decompressPrb,
  generateSymbolSamples,
  prbBytes,
  udCompHdrByte,
} from './iq.js';
export type { FaultFlowSelector, FaultSpec, FaultType } from './fault-spec.js';
export { FRONTHAUL_FAULT_TYPES, FaultSpecError, formatFaultSpec, parseFaultSpec } from './fault-spec.js';
export type {
  CaptureInterface,
  EaxcBitsConfig,
  FronthaulConfig,
  FronthaulConfigInput,
  RuConfig,
  WindowUs,
  WindowsUs,
} from './fronthaul-config.js';
export {
  DEFAULT_FRONTHAUL_CONFIG,
  DEFAULT_START_TIME_NS,
  DEFAULT_WINDOWS_US,
  prbSplit,
  radios,
  resolveFronthaulConfig,
} from './fronthaul-config.js';
export type { SynthProfile, TrafficShape } from './traffic-shapes.js';
export { TRAFFIC_SHAPES, describeShape, isTrafficShape, profileForSynth, shapeConfig } from './traffic-shapes.js';
export type { FaultLabel } from './synth-events.js';
export type { FronthaulSynth, SynthStats } from './fronthaul-synth.js';
export { synthFronthaul } from './fronthaul-synth.js';
export { Prng } from './prng.js';
export { isoNs, joinEpochNs, splitEpochNs } from './timestamp.js';
export { UE_FAULT_TYPES, parseUeFaultSpec, type UeFaultSpec, type UeFaultType } from './ue/ue-fault-spec.js';
export { synthUe, type UeFaultLabel, type UeSynthConfig, type UeSynthResult } from './ue/ue-synth.js';
export {
  UE_EVENT_FAULT_TYPES,
  parseUeEventFaultSpec,
  synthUeEvents,
  type UeEventFaultSpec,
  type UeEventFaultType,
  type UeEventLabel,
  type UeEventSynthResult,
} from './ue/ue-event-synth.js';
export * from './linuxptp/index.js';
