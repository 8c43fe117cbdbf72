import { describe, expect, it } from 'vitest';
import { ANOMALY_CATALOGUE, anomalyTypeInfo } from '@l1t/contracts';
import { DETECTORS, LINUXPTP_TYPES } from '@l1t/detect';

describe('the anomaly catalogue and the detectors', () => {
  // linuxptp log types come from LinuxptpDetection (log lines), not from a packet detector
  const detected = new Set([...DETECTORS.flatMap((d) => d.types), ...LINUXPTP_TYPES]);

  it('has a detector for every fronthaul and timing type of anomalies.md', () => {
    const missing = ANOMALY_CATALOGUE.filter((t) => t.source !== 'ue' && !detected.has(t.type)).map((t) => t.type);
    expect(missing).toEqual([]);
  });

  it('lists every type a detector reports, with the source the detector gives it', () => {
    for (const type of detected) expect(anomalyTypeInfo(type), type).toBeDefined();
  });

  it('documents every threshold option of every detector', () => {
    for (const d of DETECTORS) {
      expect(d.reference.length, d.name).toBeGreaterThan(0);
      for (const [type, options] of Object.entries(d.thresholds)) {
        expect(d.types, `${d.name} documents options of ${type}`).toContain(type);
        for (const o of options) expect(o.description.length, `${type}.${o.name}`).toBeGreaterThan(10);
      }
    }
  });
});
