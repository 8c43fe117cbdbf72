import { randomUUID } from 'node:crypto';
import type { Anomaly, Metric } from '@l1t/contracts';

/** A fronthaul anomaly with every optional field set (round-trip tests). */
export function fullAnomaly(over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: randomUUID(),
    type: 'seq_gap',
    source: 'fronthaul',
    severity: 'major',
    confidence: 0.98,
    timestamp: '2026-11-26T03:11:54.123456789Z',
    end_timestamp: '2026-11-26T03:11:54.125000001Z',
    file: 'captures/du1.pcap',
    packet_index: 1234,
    packet_count: 3,
    flow: {
      eaxc: 1,
      du_port: 0,
      band_sector: 0,
      cc: 0,
      ru_port: 1,
      plane: 'u',
      direction: 'dl',
      src_mac: '00:11:22:33:44:55',
      dst_mac: 'aa:bb:cc:dd:ee:ff',
      vlan: 3,
      ptp_port: 'ptp-1',
    },
    radio: { frame_id: 12, subframe_id: 3, slot_id: 1, symbol_id: 7 },
    description: '2 U-plane packets missing on eAxC 1 DL (seq 41 → 44)',
    evidence: {
      expected_seq: 42,
      got_seq: 44,
      missing: 2,
      last_before: { packet_index: 1233, ts: '2026-11-26T03:11:54.100000000Z' },
      list: [1, 'two', null, true],
    },
    packet_context: [
      { 'frame.number': 1233, 'ecpri.type': 0 },
      { 'frame.number': 1234, 'oran_fh_cus.sequence_id': 44 },
    ],
    session_id: 'session-a',
    file_id: 'file-a',
    ...over,
  };
}

/** A UE-side anomaly: cell/RNTI radio keys, no flow, no end timestamp, no packet context. */
export function ueAnomaly(over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: randomUUID(),
    type: 'rlf',
    source: 'ue',
    severity: 'critical',
    confidence: 0.5,
    timestamp: '2026-11-26T03:12:00.000000001Z',
    file: 'logs/ue.qmdl',
    packet_index: 1,
    packet_count: 1,
    radio: { cell: '310-260-1234', pci: 1007, earfcn: 262143, arfcn: 620000, rnti: 65535 },
    description: 'radio link failure',
    evidence: {},
    ...over,
  };
}

export function metric(over: Partial<Metric> = {}): Metric {
  return {
    timestamp: '2026-11-26T03:11:54.000000001Z',
    session_id: 'session-a',
    file_id: 'file-a',
    source: 'fronthaul',
    name: 'uplane_packets',
    labels: { eaxc: '1', direction: 'dl' },
    value: 1234.5,
    ...over,
  };
}

/** Values that break naive SQL building: quotes, comment markers, backslashes, control and non-ASCII characters. */
export const HOSTILE = [
  `'; DROP TABLE x; --`,
  `\\'; DROP TABLE anomalies; --`,
  `"}{'\\N\t\n\r\\0`,
  'ünïcödé 無線 📡 {x:String}',
];
