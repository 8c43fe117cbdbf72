import { describe, expect, it } from 'vitest';
import { emptyScore, isoToNs, rates, scoreCapture, type TypeScore } from './detect-match.js';

const T = '2026-01-01T00:00:00.';

describe('bench:detect scoring', () => {
  it('parses ISO timestamps with nanoseconds', () => {
    expect(isoToNs('2026-01-01T00:00:00.000000001Z') - isoToNs('2026-01-01T00:00:00Z')).toBe(1n);
  });

  it('a label is found by the same packet or a time span within 2 ms; others of its type are false positives', () => {
    const scores = new Map<string, TypeScore>();
    scoreCapture(
      [
        { type: 'seq_gap', packet_index: 100, timestamp: `${T}100000000Z` },
        { type: 'traffic_gap', packet_index: 500, timestamp: `${T}300000000Z`, also: ['seq_gap'] },
      ],
      [
        { type: 'seq_gap', packet_index: 101, timestamp: `${T}101500000Z` },
        { type: 'seq_gap', packet_index: 400, timestamp: `${T}290000000Z` },
        { type: 'seq_gap', packet_index: 900, timestamp: `${T}900000000Z` },
        { type: 'traffic_gap', packet_index: 480, timestamp: `${T}295000000Z`, end_timestamp: `${T}299000000Z` },
        { type: 'window_stat_outlier', packet_index: 1, timestamp: `${T}000000000Z` },
      ],
      scores,
    );
    expect(scores.get('seq_gap')).toEqual({
      ...emptyScore(),
      labels: 1,
      found: 1,
      anomalies: 3,
      truePositives: 1,
      explained: 1,
      falsePositives: 1,
    });
    expect(rates(scores.get('seq_gap')!)).toEqual({ recall: 1, precision: 0.5 });
    expect(scores.get('traffic_gap')).toMatchObject({ found: 1, truePositives: 1 });
    expect(scores.has('window_stat_outlier')).toBe(false);
    expect(rates(emptyScore())).toEqual({ recall: null, precision: null });
  });
});

describe('bench:detect scoring with two O-RUs reusing eAxC ids', () => {
  const label = {
    type: 'seq_gap',
    packet_index: 100,
    timestamp: `${T}100000000Z`,
    flow: { eaxc: 0, src_mac: '02:0d:00:00:00:01', dst_mac: '02:0a:00:00:00:02', vlan: 100 },
  };
  const at = { type: 'seq_gap', packet_index: 100, timestamp: `${T}100000000Z` };

  it('finds a label only by an anomaly naming the same radio (MACs and VLAN)', () => {
    const right = { ...at, flow: { eaxc: 0, src_mac: '02:0d:00:00:00:01', dst_mac: '02:0a:00:00:00:02', vlan: 100 } };
    const otherRadio = {
      ...at,
      flow: { eaxc: 0, src_mac: '02:0d:00:00:00:01', dst_mac: '02:0a:00:00:00:01', vlan: 100 },
    };
    const noLink = { ...at, flow: { eaxc: 0 } };
    for (const [anomaly, found] of [
      [right, 1],
      [otherRadio, 0],
      [noLink, 0],
    ] as const) {
      const scores = new Map<string, TypeScore>();
      scoreCapture([label], [anomaly], scores, { requireLink: true });
      expect(scores.get('seq_gap')).toMatchObject({ found, truePositives: found, falsePositives: 1 - found });
    }
    // without requireLink (one radio) the time match alone counts
    const scores = new Map<string, TypeScore>();
    scoreCapture([label], [noLink], scores);
    expect(scores.get('seq_gap')).toMatchObject({ found: 1, truePositives: 1 });
  });

  it('does not ask a timing label for a link', () => {
    const ptp = {
      type: 'ptp_sync_gap',
      packet_index: 5,
      timestamp: `${T}100000000Z`,
      flow: { plane: 's', src_mac: '02:9c:00:00:00:fe' },
    };
    const scores = new Map<string, TypeScore>();
    scoreCapture([ptp], [{ ...ptp, flow: {} }], scores, { requireLink: true });
    expect(scores.get('ptp_sync_gap')).toMatchObject({ found: 1, truePositives: 1 });
  });
});
