import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewFile } from '../types.js';
import type { DrizzleMetadataStore } from '../postgres/drizzle-metadata-store.js';
import { schema } from '../postgres/schema.js';
import { POSTGRES_MIGRATIONS } from '../migrations/postgres/index.js';

export interface MetadataStoreHarness {
  /** Opens a store on a fresh, empty database. */
  open(): Promise<DrizzleMetadataStore>;
  /** A second, independent store (own connections) on the same database: a second pod. Servers only. */
  openAnother?(): Promise<DrizzleMetadataStore>;
  cleanup?(): Promise<void>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

export function newFile(over: Partial<NewFile> = {}): NewFile {
  const id = randomUUID();
  return {
    id,
    sessionId: null,
    name: `${id}.pcap`,
    path: `/data/${id}.pcap`,
    size: 1024,
    sha256: sha(id),
    format: 'pcap',
    formatDetail: null,
    ...over,
  };
}

/** The one case suite every `MetadataStore` implementation passes (PGlite, PostgreSQL server). */
export function metadataStoreSuite(name: string, harness: MetadataStoreHarness | undefined): void {
  describe.runIf(harness !== undefined)(`MetadataStore contract: ${name}`, () => {
    let store: DrizzleMetadataStore;
    let firstMigration: number[] = [];

    beforeAll(async () => {
      store = await harness!.open();
      firstMigration = await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await harness!.cleanup?.();
    });

    it('applies numbered migrations once and is idempotent afterwards', async () => {
      expect(firstMigration).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(await store.migrate()).toEqual([]);
      await store.ping();
      await store.ready();
    });

    it('has a Drizzle schema that matches the migrated tables column for column', async () => {
      for (const table of Object.values(schema) as PgTable[]) {
        const cfg = getTableConfig(table);
        const got = rows<{ column_name: string }>(
          await store.db.execute(
            sql`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${cfg.name}`,
          ),
        ).map((r) => r.column_name);
        expect(got.sort(), cfg.name).toEqual(cfg.columns.map((c) => c.name).sort());
      }
    });

    describe('files', () => {
      it('keeps a file page view per kind, replaces them all on the next analysis, serves one as JSON text', async () => {
        const f = await store.upsertFile(newFile());
        const grid = { name: 'u|dl|eaxc=1', power_dbfs: [-12.5, null], zero: [0, 14] };
        await store.putFileViews(f.id, { flows: { flows: [{ name: 'u|dl|eaxc=1' }] }, 'heatmap:u|dl|eaxc=1': grid });
        expect(await store.getFileView(f.id, 'heatmap:u|dl|eaxc=1')).toEqual(grid);
        expect(JSON.parse((await store.getFileViewText(f.id, 'heatmap:u|dl|eaxc=1'))!)).toEqual(grid);
        const gz = await store.getFileViewGzip(f.id, 'heatmap:u|dl|eaxc=1'); // stored as gzip (migration 0005)
        expect(JSON.parse(gunzipSync(gz!).toString('utf8'))).toEqual(grid);
        await store.putFileViews(f.id, { flows: { flows: [] } });
        expect(await store.getFileView(f.id, 'heatmap:u|dl|eaxc=1')).toBeUndefined();
        expect(await store.getFileView(f.id, 'flows')).toEqual({ flows: [] });
        expect(await store.getFileViewText(f.id, 'nothing')).toBeUndefined();
        expect(await store.getFileViewGzip(f.id, 'nothing')).toBeUndefined();
      });

      it('creates a file with defaults and answers the existing record for the same content', async () => {
        const f = newFile({ sessionId: 's1', formatDetail: 'pcapng LE' });
        const created = await store.upsertFile(f);
        expect(created).toMatchObject({
          id: f.id,
          session_id: 's1',
          name: f.name,
          path: f.path,
          size: 1024,
          sha256: f.sha256,
          format: 'pcap',
          format_detail: 'pcapng LE',
          status: 'queued',
          progress: 0,
          anomaly_count: 0,
          packet_count: 0,
          error: null,
          warning: null,
          started_at: null,
          finished_at: null,
          duration_ms: null,
        });
        expect(new Date(created.created_at).toISOString()).toBe(created.created_at);
        const again = await store.upsertFile({ ...f, id: randomUUID(), name: 'other-name.pcap' });
        expect(again).toEqual(created);
        expect(await store.getFileBySha256(f.sha256)).toEqual(created);
        expect(await store.getFile(f.id)).toEqual(created);
        expect(await store.getFile('missing')).toBeUndefined();
      });

      it('updates every field, leaving unspecified ones alone', async () => {
        const f = newFile();
        await store.upsertFile(f);
        await store.updateFile(f.id, {
          status: 'done',
          progress: 1,
          anomalyCount: 7,
          packetCount: 5_000_000_000,
          error: null,
          warning: 'truncated last record',
          startedAt: '2026-11-26T03:00:00.000Z',
          finishedAt: '2026-11-26T03:00:01.500Z',
          durationMs: 1500,
          sessionId: 'sx',
          format: 'pcapng',
          formatDetail: 'section LE',
          summary: { packets: 5, nested: { a: [1, 2] } },
        });
        await store.updateFile(f.id, { progress: 1 });
        expect(await store.getFile(f.id)).toMatchObject({
          status: 'done',
          progress: 1,
          anomaly_count: 7,
          packet_count: 5_000_000_000,
          warning: 'truncated last record',
          started_at: '2026-11-26T03:00:00.000Z',
          finished_at: '2026-11-26T03:00:01.500Z',
          duration_ms: 1500,
          session_id: 'sx',
          format: 'pcapng',
          format_detail: 'section LE',
        });
        expect(await store.getFileSummary(f.id)).toEqual({ packets: 5, nested: { a: [1, 2] } });
      });

      it('lists files by session and status with paging and a total', async () => {
        const session = `ls-${randomUUID()}`;
        const made = [];
        for (let i = 0; i < 5; i++) made.push(await store.upsertFile(newFile({ sessionId: session })));
        await store.updateFile(made[0]!.id, { status: 'failed', error: 'unrecognised format' });
        const all = await store.listFiles({ sessionId: session });
        expect(all.total).toBe(5);
        expect(new Set(all.items.map((f) => f.id))).toEqual(new Set(made.map((f) => f.id)));
        const failed = await store.listFiles({ sessionId: session, status: 'failed' });
        expect(failed.items.map((f) => f.error)).toEqual(['unrecognised format']);
        const page = await store.listFiles({ sessionId: session, limit: 2, offset: 2 });
        expect(page.total).toBe(5);
        expect(page.items.map((f) => f.id)).toEqual(all.items.slice(2, 4).map((f) => f.id));
      });
    });

    it('creates and finishes sessions', async () => {
      const id = `sess-${randomUUID()}`;
      await store.createSession({ id, name: 'night run', startedAt: '2026-11-26T01:00:00.000Z', createdBy: 'alice' });
      await store.finishSession(id, { status: 'partial', finishedAt: '2026-11-26T01:05:00.000Z', durationMs: 300000 });
      expect(await store.getSession(id)).toEqual({
        id,
        name: 'night run',
        status: 'partial',
        createdBy: 'alice',
        startedAt: '2026-11-26T01:00:00.000Z',
        finishedAt: '2026-11-26T01:05:00.000Z',
        durationMs: 300000,
      });
    });

    describe('job queue', () => {
      const backdate = (id: string) =>
        store.db.execute(sql`UPDATE analysis_jobs SET locked_at = now() - interval '1 day' WHERE id = ${id}`);
      const drain = async () => {
        // Leave no runnable job behind for the next test.
        for (let j = await store.claimJob('drain'); j; j = await store.claimJob('drain'))
          await store.completeJob(j.id, { ok: true });
      };
      beforeAll(drain);

      it('claims a job once, then completes it', async () => {
        const f = await store.upsertFile(newFile());
        const job = await store.enqueueJob(f.id, { profile: 'lab-du1' });
        expect(job).toMatchObject({ fileId: f.id, status: 'queued', attempts: 0, lockedBy: null, error: null });
        const claimed = await store.claimJob('w1');
        expect(claimed).toMatchObject({
          id: job.id,
          status: 'running',
          attempts: 1,
          lockedBy: 'w1',
          payload: { profile: 'lab-du1' },
        });
        expect(await store.claimJob('w2')).toBeUndefined();
        await store.completeJob(job.id, { ok: true });
        expect(await store.getJob(job.id)).toMatchObject({ status: 'done', lockedBy: null, error: null });
      });

      it('fails for good, or retries later with back-off while attempts remain', async () => {
        const a = await store.enqueueJob((await store.upsertFile(newFile())).id);
        await store.claimJob('w');
        await store.completeJob(a.id, { ok: false, error: 'corrupt header' });
        expect(await store.getJob(a.id)).toMatchObject({ status: 'failed', error: 'corrupt header' });

        const b = await store.enqueueJob((await store.upsertFile(newFile())).id);
        await store.claimJob('w');
        await store.completeJob(b.id, { ok: false, error: 'store busy', retry: true });
        const retried = await store.getJob(b.id);
        expect(retried).toMatchObject({ status: 'queued', attempts: 1, error: 'store busy', lockedBy: null });
        expect(Date.parse(retried!.runAfter)).toBeGreaterThan(Date.now());
        expect(await store.claimJob('w')).toBeUndefined(); // not due yet
        await store.db.execute(sql`UPDATE analysis_jobs SET run_after = now() WHERE id = ${b.id}`);
        expect(await store.claimJob('w')).toMatchObject({ id: b.id, attempts: 2 });
        await store.completeJob(b.id, { ok: true });
      });

      it('keeps a long job by renewing its lock, and tells a worker that lost it', async () => {
        const job = await store.enqueueJob((await store.upsertFile(newFile())).id);
        expect((await store.claimJob('slow'))?.id).toBe(job.id);
        await backdate(job.id);
        expect(await store.heartbeatJob(job.id, 'slow')).toBe(true);
        expect(await store.claimJob('other')).toBeUndefined(); // renewed: not stale any more
        expect(await store.heartbeatJob(job.id, 'other')).toBe(false);
        await backdate(job.id);
        expect((await store.claimJob('other'))?.id).toBe(job.id); // the slow worker died
        expect(await store.heartbeatJob(job.id, 'slow')).toBe(false);
        await store.completeJob(job.id, { ok: true });
      });

      it('reclaims a job whose lock is stale and fails it after the maximum attempts', async () => {
        const job = await store.enqueueJob((await store.upsertFile(newFile())).id);
        expect((await store.claimJob('dead-worker'))?.id).toBe(job.id);
        expect(await store.claimJob('w2')).toBeUndefined(); // a fresh lock is respected
        for (const [worker, attempt] of [
          ['w2', 2],
          ['w3', 3],
        ] as const) {
          await backdate(job.id);
          expect(await store.claimJob(worker)).toMatchObject({ id: job.id, lockedBy: worker, attempts: attempt });
        }
        await backdate(job.id);
        expect(await store.claimJob('w4')).toBeUndefined();
        expect(await store.getJob(job.id)).toMatchObject({
          status: 'failed',
          attempts: 3,
          error: expect.stringMatching(/lock expired/),
        });
      });

      it('never hands the same job to two concurrent claimers', async () => {
        const n = 24;
        const f = await store.upsertFile(newFile());
        const enqueued = new Set<string>();
        for (let i = 0; i < n; i++) enqueued.add((await store.enqueueJob(f.id, { i })).id);
        const claimed: string[] = [];
        const worker = async (name: string) => {
          for (let j = await store.claimJob(name); j; j = await store.claimJob(name)) {
            claimed.push(j.id);
            await store.completeJob(j.id, { ok: true });
          }
        };
        await Promise.all(Array.from({ length: 6 }, (_, i) => worker(`w${i}`)));
        expect(claimed).toHaveLength(n);
        expect(new Set(claimed)).toEqual(enqueued);
      });
    });

    it('records anomaly status changes with who, when and a note', async () => {
      const a = randomUUID();
      const b = randomUUID();
      await store.setAnomalyStatus({ anomalyId: a, status: 'acknowledged', note: 'looking', userId: 'alice' });
      await store.setAnomalyStatus({
        anomalyId: a,
        status: 'false_positive',
        note: `it's fine'; DROP TABLE files; --`,
      });
      await store.setAnomalyStatus({ anomalyId: b, status: 'resolved' });
      expect(await store.getAnomalyStatuses([a, b, randomUUID()])).toEqual({ [a]: 'false_positive', [b]: 'resolved' });
      expect(await store.getAnomalyStatuses([])).toEqual({});
      expect(await store.anomalyIdsWithStatus('false_positive')).toContain(a);
      expect(await store.anomalyIdsWithStatus('acknowledged')).not.toContain(a);
      const h = await store.statusHistory(a);
      expect(h.map(({ status, note, userId }) => ({ status, note, userId }))).toEqual([
        { status: 'acknowledged', note: 'looking', userId: 'alice' },
        { status: 'false_positive', note: `it's fine'; DROP TABLE files; --`, userId: null },
      ]);
      expect(Date.parse(h[0]!.at)).not.toBeNaN();
      expect((await store.listFiles({})).total).toBeGreaterThan(0);
    });

    it('stores settings, profiles and site models as JSON documents', async () => {
      expect(await store.getSetting('nope')).toBeUndefined();
      await store.putSetting('ui', { theme: 'dark', n: 1 });
      await store.putSetting('ui', { theme: 'light', list: [1, 'ü'] });
      expect(await store.getSetting('ui')).toEqual({ theme: 'light', list: [1, 'ü'] });
      await store.putSetting('flag', false);
      expect(await store.getSetting('flag')).toBe(false);
      await store.putProfile('lab-du1', { name: 'lab-du1', scs_khz: 30 });
      await store.putProfile('lab-du1', { name: 'lab-du1', scs_khz: 15 });
      expect(await store.getProfile('lab-du1')).toEqual({ name: 'lab-du1', scs_khz: 15 });
      expect((await store.listProfiles()).map((p) => p.name)).toContain('lab-du1');
      await store.putSiteModel({ site: 'lab', kind: 'iforest', model: { trees: [1, 2] }, trainedOnFiles: 3 });
      await store.putSiteModel({ site: 'lab', kind: 'iforest', model: { trees: [3] }, trainedOnFiles: 4 });
      expect(await store.getSiteModel('lab', 'iforest')).toMatchObject({ model: { trees: [3] }, trainedOnFiles: 4 });
      expect(await store.getSiteModel('lab', 'other')).toBeUndefined();
    });

    it('keeps users unique and finds users by unexpired token hashes only', async () => {
      const u = await store.createUser({ username: 'ann', passwordHash: 'scrypt$x', role: 'engineer' });
      await expect(store.createUser({ username: 'ann', passwordHash: 'y', role: 'viewer' })).rejects.toThrow();
      expect(await store.getUserByUsername('ann')).toMatchObject({
        id: u.id,
        role: 'engineer',
        passwordHash: 'scrypt$x',
      });
      expect(await store.getUser(u.id)).toMatchObject({ username: 'ann' });
      const t = await store.createApiToken({ userId: u.id, name: 'ci', tokenHash: sha('token-1') });
      expect(await store.findUserByTokenHash(sha('token-1'))).toEqual({
        userId: u.id,
        username: 'ann',
        role: 'engineer',
      });
      expect(await store.findUserByTokenHash(sha('unknown'))).toBeUndefined();
      await store.createApiToken({
        userId: u.id,
        name: 'old',
        tokenHash: sha('token-2'),
        expiresAt: '2020-01-01T00:00:00.000Z',
      });
      expect(await store.findUserByTokenHash(sha('token-2'))).toBeUndefined();
      await store.deleteApiToken(t.id);
      expect(await store.findUserByTokenHash(sha('token-1'))).toBeUndefined();
      expect((await store.listUsers()).map((x) => x.username)).toContain('ann');
    });

    it('caches one recommendation per anomaly, provider, model and prompt version', async () => {
      const key = { anomalyId: randomUUID(), provider: 'bedrock', model: 'amazon.nova-pro-v1:0', promptVersion: 'v1' };
      expect(await store.getRecommendation(key)).toBeUndefined();
      await store.putRecommendation({ ...key, text: 'first', usage: { inputTokens: 10 }, cost: 0.001 });
      await store.putRecommendation({
        ...key,
        text: 'second',
        usage: { inputTokens: 12, outputTokens: 3 },
        cost: null,
      });
      await store.putRecommendation({ ...key, promptVersion: 'v2', text: 'other prompt', usage: {}, cost: 0 });
      expect(await store.getRecommendation(key)).toMatchObject({
        ...key,
        text: 'second',
        usage: { inputTokens: 12, outputTokens: 3 },
        cost: null,
      });
      expect((await store.listRecommendations(key.anomalyId)).map((r) => r.promptVersion).sort()).toEqual(['v1', 'v2']);
    });

    it('searches knowledge documents by keyword, best match first', async () => {
      await store.upsertKnowledgeDocument({
        slug: 'seq-gap',
        title: 'Sequence gaps on an eAxC',
        anomalyType: 'seq_gap',
        body: 'Missing U-plane packets: check the switch buffers and the fronthaul links.',
        tags: ['fronthaul'],
      });
      await store.upsertKnowledgeDocument({
        slug: 'ptp',
        title: 'PTP sync loss',
        anomalyType: 'ptp_sync_gap',
        body: 'The grandmaster stopped sending Sync messages; links and switches may drop them.',
        tags: [],
      });
      await store.upsertKnowledgeDocument({
        slug: 'ptp',
        title: 'PTP synchronisation loss',
        anomalyType: 'ptp_sync_gap',
        body: 'The grandmaster stopped sending Sync messages; switches may drop them.',
        tags: ['timing'],
      });
      expect(await store.getKnowledgeDocument('ptp')).toMatchObject({
        title: 'PTP synchronisation loss',
        tags: ['timing'],
      });
      const hits = await store.searchKnowledge('missing packets eAxC');
      expect(hits[0]?.slug).toBe('seq-gap');
      expect(hits[0]!.rank).toBeGreaterThan(0);
      expect((await store.searchKnowledge('switches')).map((h) => h.slug).sort()).toEqual(['ptp', 'seq-gap']);
      expect((await store.searchKnowledge('switches', { anomalyType: 'ptp_sync_gap' })).map((h) => h.slug)).toEqual([
        'ptp',
      ]);
      for (const hostile of [`'; DROP TABLE knowledge_documents; --`, '"unterminated', '!!! & | :*', 'ünïcödé']) {
        await expect(store.searchKnowledge(hostile)).resolves.toBeInstanceOf(Array);
      }
    });

    it.runIf(harness?.openAnother !== undefined)(
      'lets several pods migrate at once: one applies, the others wait and find nothing to do',
      async () => {
        // The suite's own store already migrated; a new database would be needed to race the first apply, so
        // this checks that concurrent migrators under the advisory lock neither fail nor re-apply.
        const others = await Promise.all([harness!.openAnother!(), harness!.openAnother!(), harness!.openAnother!()]);
        try {
          expect(await Promise.all(others.map((s) => s.migrate()))).toEqual([[], [], []]);
        } finally {
          await Promise.all(others.map((s) => s.close()));
        }
      },
    );
  });
}
