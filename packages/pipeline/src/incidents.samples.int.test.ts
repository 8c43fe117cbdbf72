import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Incident, loadConfig } from '@l1t/contracts';
import { openStores, type FullAnomalyStore } from '@l1t/store';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile } from './analyze-file.js';
import { createStoreSink } from './store-sink.js';
import { fileInput } from './sources.js';

/**
 * Incidents on a real capture (issue 16): the production Announce attack of the s-plane_security samples
 * gives some 30 PTP findings on domain 24 for one rogue-grandmaster event; an engineer must read a few
 * incidents, not 30 rows. Produced by the store sink at the end of the file, stored in ClickHouse (chDB).
 */
const samples = requireSharedDir('samples');
const ATTACK = 's-plane_security/prod_successful_announce_attack_ptp.pcap';

describe.runIf(samples.available)('incidents of a real capture', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let store: FullAnomalyStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-incidents-'));
    stores = await openStores(loadConfig({ L1T_DATA_DIR: dir }));
    await stores.anomalies.migrate();
    store = stores.anomalies;
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns the production Announce attack into at most 3 incidents that hold every finding once', async () => {
    const path = join(samples.path, ATTACK);
    const kept = await analyzeFile(fileInput(path));
    expect(kept.anomalies.length).toBeGreaterThan(20);
    const result = await analyzeFile(fileInput(path), { sink: createStoreSink(store) });
    const { items, total } = await store.queryIncidents({ fileId: result.fileId });
    expect(total).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeLessThanOrEqual(3);
    for (const i of items) expect(() => Incident.parse(i)).not.toThrow();
    const members = items.flatMap((i) => i.finding_ids);
    expect(members.sort()).toEqual(kept.anomalies.map((a) => a.id).sort());
    // The grandmaster episode: the changes between the two grandmasters with their timeouts and gaps.
    const episode = items.reduce((a, b) => (b.finding_ids.length > a.finding_ids.length ? b : a));
    expect(episode.title).toMatch(/^Grandmaster flapping on PTP domain 24: \d+ changes between [23] grandmasters$/);
    expect(episode.types.ptp_gm_change).toBeGreaterThanOrEqual(2);
    expect(episode.types.ptp_announce_timeout).toBeGreaterThanOrEqual(2);
    expect(episode.types.ptp_sync_gap).toBeGreaterThanOrEqual(2);
    expect(episode.scope).toBe('PTP domain 24');
    expect(episode.file).toBe(result.name); // the name as analysed, as the findings carry it
    expect(await store.getIncident(episode.id)).toEqual(episode);
    expect((await store.queryIncidents({ findingId: episode.finding_ids[0]! })).items.map((i) => i.id)).toEqual([
      episode.id,
    ]);

    // A re-analysis replaces the incidents (same ids), never adds to them.
    await analyzeFile(fileInput(path), { sink: createStoreSink(store) });
    const again = await store.queryIncidents({ fileId: result.fileId });
    expect(again.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
  }, 120_000);
});
