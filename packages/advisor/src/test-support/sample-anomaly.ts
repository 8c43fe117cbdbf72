import type { Anomaly } from '@l1t/contracts';
import type { AdviceRequest } from '../types.js';

export function sampleAnomaly(over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: '00000000-0000-4000-8000-000000000042',
    type: 'seq_gap',
    source: 'fronthaul',
    severity: 'critical',
    confidence: 0.98,
    timestamp: '2026-11-26T03:11:54.123456789Z',
    file: 'captures/du1.pcap',
    packet_index: 1234,
    packet_count: 3,
    flow: { eaxc: 1, plane: 'u', direction: 'dl', vlan: 3 },
    radio: { frame_id: 12, subframe_id: 3, slot_id: 1, symbol_id: 7 },
    description: '2 U-plane packets missing on eAxC 1 DL (seq 41 → 44)',
    evidence: { expected_seq: 42, got_seq: 44, missing: 2 },
    ...over,
  };
}

export function sampleRequest(over: Partial<AdviceRequest> = {}): AdviceRequest {
  return {
    system: 'You are an expert.',
    user: 'What now?',
    anomaly: sampleAnomaly(),
    knowledge: [],
    maxTokens: 256,
    ...over,
  };
}
