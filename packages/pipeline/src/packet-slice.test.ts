import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { anomalyPacketRange, readPacketSlice } from './packet-slice.js';

describe('anomalyPacketRange', () => {
  it('is the anomaly packet ± margin', () => {
    expect(anomalyPacketRange({ packet_index: 10, packet_count: 1, evidence: {} }, 5)).toEqual({
      first: 5,
      last: 15,
      clipped: false,
    });
    expect(anomalyPacketRange({ packet_index: 2, packet_count: 1, evidence: {} }, 5)).toEqual({
      first: 1,
      last: 7,
      clipped: false,
    });
  });

  it('reaches back to the last packet before an absence and forward to the end of a burst', () => {
    expect(
      anomalyPacketRange({ packet_index: 100, packet_count: 1, evidence: { last_packet_index: 90 } }, 2),
    ).toMatchObject({ first: 88, last: 102 });
    expect(
      anomalyPacketRange({ packet_index: 100, packet_count: 4, evidence: { end_packet_index: 400 } }, 0),
    ).toMatchObject({ first: 100, last: 400 });
  });

  it('clips to maxPackets', () => {
    expect(
      anomalyPacketRange({ packet_index: 100, packet_count: 4, evidence: { end_packet_index: 100_000 } }, 5, 50),
    ).toEqual({
      first: 95,
      last: 144,
      clipped: true,
    });
  });
});

describe('readPacketSlice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-slice-'));
  const path = join(dir, 'x.pcap');
  const bytes = buildPcap({
    packets: Array.from({ length: 50 }, (_, i) => ({
      tsSec: 1_790_000_000 + i,
      tsFrac: i,
      data: new Uint8Array(60).fill(i),
    })),
  });
  writeFileSync(path, bytes);

  it('copies exactly the frames of the range, in order', async () => {
    const s = await readPacketSlice(path, { first: 10, last: 14 });
    expect(s.map((p) => p.index)).toEqual([10, 11, 12, 13, 14]);
    expect(s[0]!.data[0]).toBe(9);
    expect(s[4]!.data[59]).toBe(13);
    expect(s[0]!.tsNs).toBe(1_790_000_009_000_009_000n);
  });

  it('stops at the end of the file and refuses a file whose size changed', async () => {
    expect((await readPacketSlice(path, { first: 48, last: 60 })).map((p) => p.index)).toEqual([48, 49, 50]);
    await expect(readPacketSlice(path, { first: 1, last: 2 }, { expectedSize: bytes.length + 1 })).rejects.toThrow(
      /changed since/,
    );
  });
});
