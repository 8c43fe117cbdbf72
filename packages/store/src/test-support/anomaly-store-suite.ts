import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly } from '@l1t/contracts';
import type { AnomalyStore, FullAnomalyStore } from '../types.js';
import { fullAnomaly, HOSTILE, metric, ueAnomaly } from './anomaly-fixtures.js';
import { CLICKHOUSE_MIGRATIONS } from '../migrations/clickhouse/index.js';

export interface AnomalyStoreHarness {
  /** Opens a store on a fresh, not yet migrated database. */
  open(database: string): Promise<AnomalyStore>;
  /** Removes what the suite created (drop the database on a real server). */
  cleanup?(store: AnomalyStore, database: string): Promise<void>;
}

const uid = () => randomUUID().slice(0, 8);

/** The one case suite every `AnomalyStore` implementation passes (chDB, HTTP to a real ClickHouse engine). */
export function anomalyStoreSuite(name: string, harness: AnomalyStoreHarness | undefined): void {
  describe.runIf(harness !== undefined)(`AnomalyStore contract: ${name}`, () => {
    let store: AnomalyStore;
    const database = `l1t_test_${uid()}`;
    let firstMigration: number[] = [];

    beforeAll(async () => {
      store = await harness!.open(database);
      firstMigration = await store.migrate();
    });
    afterAll(async () => {
      if (!store) return;
      await harness!.cleanup?.(store, database);
      await store.close();
    });

    it('applies numbered migrations once and is idempotent afterwards', async () => {
      expect(firstMigration).toEqual(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
      expect(await store.migrate()).toEqual([]);
      await store.ping();
    });

    it('round-trips every field of a fronthaul anomaly exactly', async () => {
      const a = fullAnomaly({ file_id: `f-${uid()}` });
      await store.insertAnomalies([a]);
      expect(await store.getAnomaly(a.id)).toEqual(a);
      const listed = await store.queryAnomalies({ fileId: a.file_id });
      expect(listed.total).toBe(1);
      const { packet_context: _omitted, ...withoutContext } = a;
      expect(listed.items[0]).toEqual(withoutContext);
    });

    it('keeps absent optional keys absent (not null) for a UE anomaly', async () => {
      const a = ueAnomaly();
      await store.insertAnomalies([a]);
      const got = await store.getAnomaly(a.id);
      expect(got).toEqual(a);
      for (const k of ['flow', 'end_timestamp', 'packet_context', 'session_id', 'file_id', 'status'])
        expect(got).not.toHaveProperty(k);
      expect(JSON.stringify(got)).not.toContain('null');
    });

    it('answers undefined for unknown or malformed ids', async () => {
      expect(await store.getAnomaly(randomUUID())).toBeUndefined();
      expect(await store.getAnomaly(`x' OR 1=1 --`)).toBeUndefined();
    });

    describe('queryAnomalies filters', () => {
      const file1 = `f1-${uid()}`;
      const file2 = `f2-${uid()}`;
      const session = `s-${uid()}`;
      const base = '2026-11-26T04:00:00.';
      const rows: Anomaly[] = [
        fullAnomaly({
          file_id: file1,
          session_id: session,
          type: 'seq_gap',
          severity: 'major',
          source: 'fronthaul',
          confidence: 0.9,
          packet_index: 10,
          timestamp: `${base}000000001Z`,
          flow: { eaxc: 1 },
          description: 'Missing U-plane packets',
        }),
        fullAnomaly({
          file_id: file1,
          session_id: session,
          type: 'late_cplane',
          severity: 'minor',
          source: 'timing',
          confidence: 0.5,
          packet_index: 20,
          timestamp: `${base}000000002Z`,
          flow: { eaxc: 2 },
          description: 'C-plane too late',
        }),
        fullAnomaly({
          file_id: file2,
          session_id: session,
          type: 'iq_zero',
          severity: 'critical',
          source: 'fronthaul',
          confidence: 0.7,
          packet_index: 5,
          timestamp: `${base}000000003Z`,
          flow: { eaxc: 1 },
          description: 'All-zero IQ',
        }),
        ueAnomaly({
          file_id: file2,
          session_id: session,
          type: 'rlf',
          severity: 'info',
          confidence: 0.1,
          packet_index: 30,
          timestamp: `${base}000000004Z`,
          description: 'radio link failure',
        }),
      ];
      const ids = (items: Anomaly[]) => items.map((a) => a.id);
      const [r0, r1, r2, r3] = rows as [Anomaly, Anomaly, Anomaly, Anomaly];

      beforeAll(async () => {
        await store.insertAnomalies(rows);
      });

      it('filters by file and by session', async () => {
        expect(ids((await store.queryAnomalies({ fileId: file1 })).items)).toEqual([r0.id, r1.id]);
        const bySession = await store.queryAnomalies({ sessionId: session });
        expect(bySession.total).toBe(4);
        expect(ids(bySession.items)).toEqual(ids(rows));
      });

      it('filters by type, severity and source lists', async () => {
        expect(ids((await store.queryAnomalies({ sessionId: session, type: ['iq_zero', 'rlf'] })).items)).toEqual([
          r2.id,
          r3.id,
        ]);
        expect(
          ids((await store.queryAnomalies({ sessionId: session, severity: ['critical', 'minor'] })).items),
        ).toEqual([r1.id, r2.id]);
        expect(ids((await store.queryAnomalies({ sessionId: session, source: ['timing', 'ue'] })).items)).toEqual([
          r1.id,
          r3.id,
        ]);
        expect((await store.queryAnomalies({ sessionId: session, type: ['nope'] })).total).toBe(0);
      });

      it('filters by time: from inclusive, to exclusive, to the nanosecond', async () => {
        const r = await store.queryAnomalies({
          sessionId: session,
          from: `${base}000000002Z`,
          to: `${base}000000004Z`,
        });
        expect(ids(r.items)).toEqual([r1.id, r2.id]);
      });

      it('filters by eAxC, by text (case-insensitive, description or type) and by ids', async () => {
        expect(ids((await store.queryAnomalies({ sessionId: session, eaxc: 1 })).items)).toEqual([r0.id, r2.id]);
        expect(ids((await store.queryAnomalies({ sessionId: session, q: 'u-PLANE' })).items)).toEqual([r0.id]);
        expect(ids((await store.queryAnomalies({ sessionId: session, q: 'late_c' })).items)).toEqual([r1.id]);
        expect(
          ids((await store.queryAnomalies({ sessionId: session, ids: [r3.id, r0.id, 'not-a-uuid'] })).items),
        ).toEqual([r0.id, r3.id]);
        expect(await store.queryAnomalies({ sessionId: session, ids: [] })).toEqual({ items: [], total: 0 });
        const excluded = await store.queryAnomalies({ sessionId: session, excludeIds: [r1.id, r2.id, 'junk'] });
        expect(ids(excluded.items)).toEqual([r0.id, r3.id]);
        expect(excluded.total).toBe(2);
      });

      it('sorts by every whitelisted key in both orders', async () => {
        const order = async (
          sort: 'timestamp' | 'severity' | 'type' | 'confidence' | 'packet_index',
          o: 'asc' | 'desc',
        ) => ids((await store.queryAnomalies({ sessionId: session, sort, order: o })).items);
        expect(await order('timestamp', 'desc')).toEqual([r3.id, r2.id, r1.id, r0.id]);
        expect(await order('severity', 'desc')).toEqual([r2.id, r0.id, r1.id, r3.id]);
        expect(await order('type', 'asc')).toEqual([r2.id, r1.id, r3.id, r0.id]);
        expect(await order('confidence', 'asc')).toEqual([r3.id, r1.id, r2.id, r0.id]);
        expect(await order('packet_index', 'desc')).toEqual([r3.id, r1.id, r0.id, r2.id]);
        // A sort key outside the whitelist falls back to time order instead of reaching the SQL.
        const hostile = await store.queryAnomalies({ sessionId: session, sort: 'id; DROP TABLE x' as 'type' });
        expect(ids(hostile.items)).toEqual(ids(rows));
      });

      it('pages with limit and offset and reports the total', async () => {
        const page = await store.queryAnomalies({ sessionId: session, limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(ids(page.items)).toEqual([r1.id, r2.id]);
        expect((await store.queryAnomalies({ sessionId: session, limit: 0 })).items).toEqual([]);
      });

      it('counts anomalies per file, zero for unknown files', async () => {
        expect(await store.countByFile([file1, file2, 'unknown'])).toEqual({ [file1]: 2, [file2]: 2, unknown: 0 });
        expect(await store.countByFile([])).toEqual({});
      });
    });

    it('summarises by severity, source, type, file and over time with the same filters', async () => {
      const session = `sum-${uid()}`;
      const t = (ms: string) => `2026-11-26T06:00:${ms}Z`;
      await store.insertAnomalies([
        fullAnomaly({
          session_id: session,
          file_id: 'fa',
          file: 'a.pcap',
          type: 'seq_gap',
          severity: 'major',
          timestamp: t('00.000000001'),
        }),
        fullAnomaly({
          session_id: session,
          file_id: 'fa',
          file: 'a.pcap',
          type: 'seq_gap',
          severity: 'critical',
          timestamp: t('00.400000000'),
        }),
        fullAnomaly({
          session_id: session,
          file_id: 'fb',
          file: 'b.pcap',
          type: 'late_cplane',
          severity: 'minor',
          source: 'timing',
          timestamp: t('05.100000000'),
        }),
        ueAnomaly({
          session_id: session,
          file_id: 'fb',
          file: 'b.qmdl',
          type: 'rlf',
          severity: 'info',
          timestamp: t('09.999999999'),
        }),
      ]);
      const s = (await (store as unknown as FullAnomalyStore).summarizeAnomalies(
        { sessionId: session },
        { bucketMs: 5_000 },
      ))!;
      expect(s).toMatchObject({
        total: 4,
        first: t('00.000000001'),
        last: t('09.999999999'),
        bySeverity: { major: 1, critical: 1, minor: 1, info: 1 },
        bySource: { fronthaul: 2, timing: 1, ue: 1 },
        byType: [
          { type: 'seq_gap', count: 2, worstSeverity: 'critical' },
          { type: 'late_cplane', count: 1, worstSeverity: 'minor' },
          { type: 'rlf', count: 1, worstSeverity: 'info' },
        ],
        bucketMs: 5_000,
        trend: [
          { bucket: t('00.000000000'), total: 2, bySeverity: { major: 1, critical: 1 } },
          { bucket: t('05.000000000'), total: 2, bySeverity: { minor: 1, info: 1 } },
        ],
      });
      expect(s.byFile.map((f) => [f.fileId, f.count])).toEqual([
        ['fa', 2],
        ['fb', 2],
      ]);
      const auto = await (store as unknown as FullAnomalyStore).summarizeAnomalies({
        sessionId: session,
        severity: ['critical', 'info'],
      });
      expect(auto.total).toBe(2);
      expect(auto.bucketMs).toBe(100); // ~10 s span → ≤ 120 buckets of 100 ms
      expect(auto.trend.reduce((n, p) => n + p.total, 0)).toBe(2);
      expect(
        await (store as unknown as FullAnomalyStore).summarizeAnomalies({ sessionId: 'nothing-here' }),
      ).toMatchObject({ total: 0, trend: [], byType: [] });
    });

    it('deletes every anomaly and metric of a file', async () => {
      const f = `del-${uid()}`;
      await store.replaceFileResults([f], [fullAnomaly({ file_id: f })], [metric({ file_id: f })]);
      await (store as unknown as FullAnomalyStore).deleteFileResults([f]);
      expect((await store.queryAnomalies({ fileId: f })).total).toBe(0);
      expect(await store.queryMetrics({ fileId: f })).toEqual([]);
    });

    it('appendAnomalies after deleteFileResults replaces a file batch by batch and keeps other files', async () => {
      const full = store as unknown as FullAnomalyStore;
      const f = `append-${uid()}`;
      const other = `append-other-${uid()}`;
      await store.replaceFileResults([other], [fullAnomaly({ file_id: other })], []);
      await store.replaceFileResults([f], [fullAnomaly({ file_id: f }), fullAnomaly({ file_id: f })], []);
      await full.deleteFileResults([f]);
      const batches = [0, 1, 2].map(() => [0, 1, 2].map(() => fullAnomaly({ file_id: f })));
      for (const b of batches) await full.appendAnomalies(b);
      const stored = await store.queryAnomalies({ fileId: f, limit: 100 });
      expect(stored.total).toBe(9);
      expect(new Set(stored.items.map((a) => a.id))).toEqual(new Set(batches.flat().map((a) => a.id)));
      expect((await store.queryAnomalies({ fileId: other })).total).toBe(1);
    });

    it('counts the anomalies stored per session, 0 for a session without any', async () => {
      const full = store as unknown as FullAnomalyStore;
      const [a, b, none] = [`cs-${uid()}`, `cs-${uid()}`, `cs-${uid()}`];
      const f = `cs-file-${uid()}`;
      await store.replaceFileResults(
        [f],
        [fullAnomaly({ file_id: f, session_id: a }), fullAnomaly({ file_id: f, session_id: a })],
        [],
      );
      const g = `cs-file-${uid()}`;
      await store.replaceFileResults([g], [fullAnomaly({ file_id: g, session_id: b })], []);
      expect(await full.countBySession([a, b, none])).toEqual({ [a]: 2, [b]: 1, [none]: 0 });
    });

    it('replaceFileResults twice leaves exactly one copy and keeps other files', async () => {
      const f = `re-${uid()}`;
      const other = `other-${uid()}`;
      const keep = fullAnomaly({ file_id: other });
      await store.insertAnomalies([keep]);
      const first = [fullAnomaly({ file_id: f }), ueAnomaly({ file_id: f })];
      const metrics = [metric({ file_id: f }), metric({ file_id: f, name: 'cplane_packets', value: 2 })];
      await store.replaceFileResults([f], first, metrics);
      // Re-analysis produces fresh ids (and here one fewer anomaly): the earlier rows must be gone.
      const second = [fullAnomaly({ file_id: f })];
      await store.replaceFileResults([f], second, metrics);
      await store.replaceFileResults([f], second, metrics);
      const r = await store.queryAnomalies({ fileId: f });
      expect(r.total).toBe(1);
      expect(r.items.map((a) => a.id)).toEqual([second[0]!.id]);
      expect(await store.queryMetrics({ fileId: f })).toHaveLength(2);
      expect((await store.queryAnomalies({ fileId: other })).total).toBe(1);
    });

    it('answers an anomaly inserted twice once', async () => {
      const a = fullAnomaly({ file_id: `dup-${uid()}` });
      await store.insertAnomalies([a]);
      await store.insertAnomalies([{ ...a, description: 'second write wins' }]);
      const r = await store.queryAnomalies({ fileId: a.file_id });
      expect(r.total).toBe(1);
      expect(r.items[0]!.description).toBe('second write wins');
    });

    it('stores and filters metrics with their labels', async () => {
      const f = `m-${uid()}`;
      const rows = [
        metric({ file_id: f, timestamp: '2026-11-26T05:00:00.000000001Z', value: 1 }),
        metric({ file_id: f, timestamp: '2026-11-26T05:00:00.000000002Z', value: -2.25, labels: {} }),
        metric({
          file_id: f,
          timestamp: '2026-11-26T05:00:00.000000003Z',
          name: 'other',
          source: 'ue',
          labels: { k: HOSTILE[0]! },
        }),
      ];
      await store.insertMetrics(rows);
      expect(await store.queryMetrics({ fileId: f })).toEqual(rows);
      expect(await store.queryMetrics({ fileId: f, name: 'other' })).toEqual([rows[2]]);
      const defaultName = rows[0]!.name;
      expect(await store.queryMetrics({ fileId: f, names: [defaultName, 'other'] })).toEqual(rows);
      expect(await store.queryMetrics({ fileId: f, names: ['other', 'absent'] })).toEqual([rows[2]]);
      expect(await store.queryMetrics({ fileId: f, names: [] })).toEqual([]);
      expect(
        await store.queryMetrics({
          fileId: f,
          from: '2026-11-26T05:00:00.000000002Z',
          to: '2026-11-26T05:00:00.000000003Z',
        }),
      ).toEqual([rows[1]]);
      expect(await store.queryMetrics({ fileId: f, sessionId: 'session-a', limit: 1 })).toHaveLength(1);
    });

    it('upserts sessions: the newest write wins, read with FINAL', async () => {
      const id = `sess-${uid()}`;
      const started = '2026-11-26T03:00:00.123Z';
      await store.upsertSession({
        id,
        name: 'lab run',
        status: 'running',
        files_processed: 0,
        files_failed: 0,
        anomalies_detected: 0,
        started_at: started,
        finished_at: null,
        duration_ms: null,
      });
      await store.upsertSession({
        id,
        name: 'lab run',
        status: 'done',
        files_processed: 3,
        files_failed: 1,
        anomalies_detected: 42,
        started_at: started,
        finished_at: '2026-11-26T03:00:05.000000001Z',
        duration_ms: 4877.5,
      });
      const s = await store.getSession(id);
      expect(s).toMatchObject({
        id,
        name: 'lab run',
        status: 'done',
        files_processed: 3,
        files_failed: 1,
        anomalies_detected: 42,
        started_at: started,
        finished_at: '2026-11-26T03:00:05.000000001Z',
        duration_ms: 4877.5,
      });
      expect(s?.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      expect((await store.listSessions(1000)).filter((x) => x.id === id)).toHaveLength(1);
      expect(await store.getSession('nope')).toBeUndefined();
    });

    it('binds hostile strings and unicode as values, never as SQL', async () => {
      const f = `h-${uid()}`;
      const rows = HOSTILE.map((h) =>
        fullAnomaly({
          file_id: f,
          session_id: h,
          file: h,
          type: h,
          description: `desc ${h}`,
          evidence: { [h]: h },
          flow: { ptp_port: h },
        }),
      );
      await store.insertAnomalies(rows);
      for (const a of rows) expect(await store.getAnomaly(a.id)).toEqual(a);
      for (const h of HOSTILE) {
        const r = await store.queryAnomalies({ fileId: f, type: [h], q: h, sessionId: h });
        expect(r.total).toBe(1);
        expect(r.items[0]!.file).toBe(h);
      }
      expect((await store.queryAnomalies({ fileId: HOSTILE[0] })).total).toBe(0);
      await store.replaceFileResults([HOSTILE[1]!], [], []);
      expect((await store.queryAnomalies({ fileId: f })).total).toBe(HOSTILE.length);
      await store.upsertSession({
        id: HOSTILE[0]!,
        name: HOSTILE[3]!,
        status: 'running',
        files_processed: 0,
        files_failed: 0,
        anomalies_detected: 0,
        started_at: '2026-11-26T03:00:00.000Z',
        finished_at: null,
        duration_ms: null,
      });
      expect((await store.getSession(HOSTILE[0]!))?.name).toBe(HOSTILE[3]);
    });

    it('rejects a query whose AbortSignal has fired', async () => {
      const ac = new AbortController();
      ac.abort();
      await expect(store.queryAnomalies({}, ac.signal)).rejects.toThrow();
    });
  });
}
