import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import type { DetectorDefinition } from '../framework/detector.js';
import { DETECTORS } from '../registry.js';
import { detectFile } from './test-support/detect-helpers.js';

/**
 * Issue 14 (PTP-only traffic): the driver hands a valid PTP message only to the detectors whose
 * `ptpMessageTypes` name its messageType. That is an optimisation, never a change of result: a detector
 * declares only the types it reads, state included. Here every registered detector runs once as declared and
 * once with its declaration removed (every PTP packet reaches it, as before the lists per type), over the real
 * PTP captures of ../shared/samples, in relative and absolute timing mode: findings, metrics, counters and
 * warnings must be deep-equal. A declaration that leaves out a type the detector uses fails here.
 */
const shared = requireSharedDir('samples');
const FILES = [
  's-plane_security/15min_announce_attack.pcap',
  's-plane_security/2024-10-08-announce_attack_1.pcap',
  's-plane_security/2024-10-08-sync_attack_1.pcap',
  's-plane_security/2024-10-08-sync_attack_singlestep_1.pcap',
  's-plane_security/prod_successful_announce_attack_ptp.pcap',
  'ptp-analyzer/ptp_example.pcap',
  'nDPI/ptpv2.pcap',
];
const PROFILES: Profile[] = [{ name: 'relative' }, { name: 'absolute', timing: { mode: 'absolute' } } as Profile];

/** The registry with every detector's `ptpMessageTypes` removed after creation. */
const undeclared: DetectorDefinition[] = DETECTORS.map((def) => ({
  ...def,
  create: (ctx) => {
    const d = def.create(ctx);
    (d as { ptpMessageTypes?: readonly number[] }).ptpMessageTypes = undefined;
    return d;
  },
}));

describe.runIf(shared.available)('PTP dispatch per messageType', () => {
  it('some PTP detectors declare their message types (the lists per type are in use)', () => {
    const declared = DETECTORS.map((def) => def.create({ profile: undefined, thresholds: {} as never })).filter(
      (d) => d.ptpMessageTypes !== undefined,
    );
    expect(declared.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of FILES)
    for (const profile of PROFILES)
      it(`${file} (${profile.name}): same findings, metrics and counters as without the lists`, () => {
        const path = `${shared.path}/${file}`;
        const a = detectFile(path, DETECTORS, { profile });
        const b = detectFile(path, undeclared, { profile });
        expect(a.anomalies.length + a.metrics.length).toBeGreaterThan(file.includes('s-plane') ? 0 : -1);
        expect(a.anomalies).toEqual(b.anomalies);
        expect(a.metrics).toEqual(b.metrics);
        expect(a.counters).toEqual(b.counters);
        expect(a.warnings).toEqual(b.warnings);
      }, 60_000);
});
