import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { Anomaly, ANOMALY_CATALOGUE, loadConfig, parseProfile } from './index.js';

const shared = requireSharedDir('reference/schemas');

const example = {
  id: '7d1f6c1e-3c4b-4f57-9a52-5f0b7d0f7b11',
  type: 'seq_gap',
  source: 'fronthaul',
  severity: 'major',
  confidence: 0.98,
  timestamp: '2026-11-26T03:11:54.123456789Z',
  end_timestamp: '2026-11-26T03:11:54.125000000Z',
  file: 'captures/du1.pcap',
  packet_index: 1234,
  packet_count: 3,
  flow: { eaxc: 1, du_port: 0, band_sector: 0, cc: 0, ru_port: 1, plane: 'u', direction: 'dl', vlan: 3 },
  radio: { frame_id: 12, subframe_id: 3, slot_id: 1, symbol_id: 7 },
  description: '2 U-plane packets missing on eAxC 1 DL (seq 41 → 44)',
  evidence: { expected_seq: 42, got_seq: 44, missing: 2 },
};

describe('contracts', () => {
  it.runIf(shared.available)('accepts exactly what the published JSON Schemas accept', () => {
    const ajv = new Ajv2020({ strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const anomalySchema = JSON.parse(readFileSync(`${shared.path}/anomaly.schema.json`, 'utf8'));
    const profileSchema = JSON.parse(readFileSync(`${shared.path}/profile.schema.json`, 'utf8'));
    expect(ajv.validate(anomalySchema, example)).toBe(true);
    expect(Anomaly.safeParse(example).success).toBe(true);
    const bad = { ...example, timestamp: '2026-11-26T03:11:54Z' };
    expect(ajv.validate(anomalySchema, bad)).toBe(false);
    expect(Anomaly.safeParse(bad).success).toBe(false);
    const profile = {
      name: 'lab',
      scs_khz: 30,
      nrb: 273,
      uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
      timing: { mode: 'absolute', windows_us: { dl_uplane: [50, 400] } },
    };
    expect(ajv.validate(profileSchema, profile)).toBe(true);
    expect(parseProfile(profile).nrb).toBe(273);
  });

  it('names an unknown profile key in the error', () => {
    expect(() => parseProfile({ timing: { mode: 'absolute', windwos_us: {} } })).toThrow(/timing\.windwos_us/);
    expect(() => parseProfile({ eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 5 } })).toThrow(/16/);
  });

  it('defaults to embedded stores and names the variable of a bad value', () => {
    const c = loadConfig({});
    expect(c.clickhouse.kind).toBe('embedded');
    expect(c.postgres.kind).toBe('embedded');
    expect(c.port).toBe(5000);
    expect(c.auth).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).auth).toBe(true);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    const s = loadConfig({ CLICKHOUSE_HOST: 'ch', DATABASE_URL: 'postgres://u:p@db/x' });
    expect(s.clickhouse).toMatchObject({ kind: 'http', url: 'http://ch:8123' });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('lists every catalogue type once', () => {
    const names = ANOMALY_CATALOGUE.map((e) => e.type);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('window_stat_outlier');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', async () => {
    const { redactUrl } = await import('./index.js');
    expect(redactUrl('postgres://u:s3cret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(redactUrl('http://ch:8123')).toBe('http://ch:8123');
  });
});
