import { z } from 'zod';

/** Sources of findings (anomalies.md). */
export const ANOMALY_SOURCES = ['fronthaul', 'timing', 'ue'] as const;
export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export const ANOMALY_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;

/** UTC with exactly nine fractional digits, e.g. 2026-11-26T03:11:54.123456789Z (interfaces.md). */
export const NanoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/, 'UTC timestamp with 9 decimals');

const Mac = z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

/** Flow key of a finding: only the keys that apply are present. */
export const FlowKey = z.object({
  eaxc: z.number().int().min(0).max(65535).optional(),
  du_port: z.number().int().min(0).optional(),
  band_sector: z.number().int().min(0).optional(),
  cc: z.number().int().min(0).optional(),
  ru_port: z.number().int().min(0).optional(),
  plane: z.enum(['c', 'u', 's']).optional(),
  direction: z.enum(['dl', 'ul']).optional(),
  src_mac: Mac.optional(),
  dst_mac: Mac.optional(),
  vlan: z.number().int().min(0).max(4095).optional(),
  ptp_port: z.string().optional(),
});
export type FlowKey = z.infer<typeof FlowKey>;

/** Radio position (fronthaul) or cell/UE identity (UE-side findings). */
export const RadioKey = z.object({
  frame_id: z.number().int().min(0).max(255).optional(),
  subframe_id: z.number().int().min(0).max(9).optional(),
  slot_id: z.number().int().min(0).max(63).optional(),
  symbol_id: z.number().int().min(0).max(63).optional(),
  cell: z.string().optional(),
  pci: z.number().int().min(0).max(1007).optional(),
  earfcn: z.number().int().min(0).optional(),
  arfcn: z.number().int().min(0).optional(),
  rnti: z.number().int().min(0).optional(),
});
export type RadioKey = z.infer<typeof RadioKey>;

/** One finding: the object of `l1t analyze --format jsonl`, of the API and of the store (anomaly.schema.json). */
export const Anomaly = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z][a-z0-9_]*$/),
  source: z.enum(ANOMALY_SOURCES),
  severity: z.enum(SEVERITIES),
  confidence: z.number().min(0).max(1),
  timestamp: NanoTimestamp,
  end_timestamp: NanoTimestamp.optional(),
  file: z.string(),
  packet_index: z.number().int().min(1),
  packet_count: z.number().int().min(1),
  flow: FlowKey.optional(),
  radio: RadioKey.optional(),
  description: z.string().min(1),
  evidence: z.record(z.string(), z.unknown()),
  packet_context: z.array(z.record(z.string(), z.unknown())).optional(),
  session_id: z.string().optional(),
  file_id: z.string().optional(),
  status: z.enum(ANOMALY_STATUSES).optional(),
});
export type Anomaly = z.infer<typeof Anomaly>;
export type AnomalySource = (typeof ANOMALY_SOURCES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];

/** A KPI sample emitted by detectors (stored in ClickHouse `metrics`). */
export const Metric = z.object({
  timestamp: NanoTimestamp,
  session_id: z.string(),
  file_id: z.string(),
  source: z.enum(ANOMALY_SOURCES),
  name: z.string().min(1),
  labels: z.record(z.string(), z.string()),
  value: z.number(),
});
export type Metric = z.infer<typeof Metric>;

/** A finding as a detector produces it: the pipeline adds id, file and session keys. */
export type AnomalyDraft = Omit<Anomaly, 'id' | 'file' | 'file_id' | 'session_id'>;
/** A KPI sample as a detector produces it: the pipeline adds file and session keys. */
export type MetricDraft = Omit<Metric, 'session_id' | 'file_id'>;
