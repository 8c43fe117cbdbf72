import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../registry.js';
import { synthDetect } from './test-support/detect-helpers.js';

/**
 * The capture-side PTP faults of `l1t synth fronthaul` (issue #15) through every PTP detector in absolute
 * timing mode: each is found at its label, and nothing else is reported but what the label's `also` allows.
 * The frames were checked with tshark 4.0 on a generated capture (seed 7, 0.8 s): the Follow_Up with
 * preciseOriginTimestamp nanoseconds 1316163404, the rival port 029c00fffe0000c1 announcing grandmaster
 * 029c00fffe0000c2 (second Announce at the label), the Sync with messageLength 256 ("Message length goes
 * past the end of the packet"), a Follow_Up origin 100 ms behind its Sync, Syncs 15.6 ms apart from the
 * rate label on. The kinds added later (seed 1, 0.5 s, nrb 24, one eAxC each way, tshark 4.0): the kind=tlv
 * Announce has messageLength 76 and tshark reports "Malformed Packet: PTP" on it; the kind=clock_class
 * Announce has grandmasterClockClass 1 and nothing else changed.
 */
const PTP = DETECTORS.filter((d) => d.name.startsWith('ptp-'));
const config = { nrb: 24, eaxc: { dl: [0], ul: [0] } };

describe('synthetic capture-side PTP faults', () => {
  it.each([
    ['ptp_competing_masters@0.2', 0.8],
    ['ptp_malformed@0.2', 0.5],
    ['ptp_malformed@0.2:kind=length', 0.5],
    ['ptp_malformed@0.2:kind=clock_class', 0.5],
    ['ptp_malformed@0.2:kind=clock_class,class=250', 0.5],
    ['ptp_malformed@0.2:kind=tlv', 0.5],
    ['ptp_message_rate@0.2', 1.6],
    ['ptp_stale_timestamp@0.2', 0.8],
  ])(
    '%s is found at its label, with nothing unexplained',
    (spec, durationS) => {
      const run = synthDetect(spec, PTP, {
        config: { ...config, durationS },
        profile: { timing: { mode: 'absolute' } },
        computeIq: false,
      });
      expect(run.labels).toHaveLength(1);
      const label = run.labels[0]!;
      const found = run.result.anomalies.filter((a) => a.type === label.type);
      expect(found).toHaveLength(1);
      const a = found[0]!;
      const inSpan = a.timestamp <= label.timestamp && label.timestamp <= (a.end_timestamp ?? a.timestamp);
      expect(a.packet_index === label.packet_index || inSpan).toBe(true);
      const others = run.result.anomalies.filter((x) => x.type !== label.type);
      for (const o of others) {
        expect(label.also ?? []).toContain(o.type);
        expect(o.packet_index).toBe(label.packet_index);
      }
    },
    60_000,
  );
});
