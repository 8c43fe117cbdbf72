import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { l1t } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-cli-'));
const base = (name: string, ext = 'pcap'): string[] => [
  'synth',
  'fronthaul',
  '--out',
  join(dir, `${name}.${ext}`),
  '--labels',
  join(dir, `${name}.jsonl`),
  '--duration',
  '0.05',
  '--nrb',
  '24',
];

describe('l1t synth fronthaul --shape', () => {
  it('writes the udp shape with a profile naming its eCPRI UDP port', async () => {
    const profile = join(dir, 'udp.json');
    const r = await l1t([...base('udp'), '--shape', 'udp', '--profile-out', profile]);
    expect(r.status).toBe(0);
    const p = parseProfile(JSON.parse(readFileSync(profile, 'utf8')));
    expect(p.ecpri_udp_ports).toEqual([50001]);
    expect(p.nrb).toBe(24);
    const bytes = readFileSync(join(dir, 'udp.pcap'));
    // first eCPRI frame: VLAN-tagged IPv4 (0x0800) → UDP to port 50001
    expect(bytes.readUInt16BE(24 + 16 + 16)).toBe(0x0800);
  });

  it('labels a fault of the second O-RU by its VLAN', async () => {
    const r = await l1t([...base('two-ru'), '--shape', 'two-ru-vlan', '--faults', 'seq_gap@0.02:ru=1']);
    expect(r.status).toBe(0);
    const labels = readFileSync(join(dir, 'two-ru.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(labels).toHaveLength(1);
    expect(labels[0].flow).toMatchObject({ vlan: 101, eaxc: 0 });
  });

  it('refuses an unknown shape, multi-interface into a .pcap, and an O-RU the shape lacks (exit 2)', async () => {
    expect((await l1t([...base('x'), '--shape', 'nope'])).stderr).toMatch(/--shape must be one of/);
    expect((await l1t([...base('y'), '--shape', 'multi-interface'])).status).toBe(2);
    const r = await l1t([...base('z'), '--faults', 'seq_gap@0.02:ru=1']);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/ru=1 is not configured/)]);
  });

  it('refuses a ptp_malformed kind it does not know and a clockClass Table 4 does not reserve (exit 2)', async () => {
    const kind = await l1t([...base('k'), '--faults', 'ptp_malformed@0.02:kind=foo']);
    expect([kind.status, kind.stderr]).toEqual([2, expect.stringMatching(/kind must be ns, length, clock_class, tlv/)]);
    const cls = await l1t([...base('c'), '--faults', 'ptp_malformed@0.02:kind=clock_class,class=6']);
    expect([cls.status, cls.stderr]).toEqual([2, expect.stringMatching(/class 6 is not a clockClass reserved/)]);
  });
});
