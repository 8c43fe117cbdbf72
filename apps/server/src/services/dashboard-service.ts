import type { AnomalyQuery, AnomalySummary, FullAnomalyStore, FullMetadataStore } from '@l1t/store';
import { buildAnomalyWhere, type ClickHouseExecutor } from '@l1t/store';

const WEEK_MS = 7 * 86_400_000;

export interface DashboardCard {
  key: 'anomalies' | 'sessions' | 'files' | 'detection_rate';
  label: string;
  /** What the card counts, in a sentence (shown under its label). */
  description: string;
  value: number;
  previous: number;
  /** Relative change in percent against the previous week; null when the previous week was 0. */
  change_pct: number | null;
  unit?: '%';
}

export interface DashboardSummary {
  window: { from: string; to: string; previous_from: string };
  cards: DashboardCard[];
  total: number;
  first?: string;
  last?: string;
  trend: AnomalySummary['trend'];
  bucket_ms: number;
  by_type: AnomalySummary['byType'];
  by_severity: Record<string, number>;
  by_source: Record<string, number>;
  by_file: AnomalySummary['byFile'];
  /** Anomalies per hour of day (UTC, 0–23) and type. */
  heatmap: { types: string[]; cells: { hour: number; type: string; count: number }[] };
  /** Per radio link (MAC pair as sorted, VLAN) and eAxC, plane, direction: the same eAxC of two O-RUs stays apart. */
  top_flows: {
    eaxc: number | null;
    plane: string | null;
    direction: string | null;
    link: string | null;
    count: number;
    types: string[];
  }[];
  /** The same type on the same flow in more than one file: a problem that comes back. */
  recurring: { type: string; eaxc: number | null; files: number; count: number; first: string; last: string }[];
}

export interface DashboardFilter {
  sessionId?: string;
  fileId?: string;
  source?: string[];
  severity?: string[];
  type?: string[];
  from?: string;
  to?: string;
  bucketMs?: number;
}

/** Metadata store with the files cards' counts (DrizzleMetadataStore.countDoneFilesByWeek). */
export type DashboardMetadataStore = FullMetadataStore & {
  countDoneFilesByWeek(
    endMs: number,
    weekMs: number,
    sessionId?: string,
  ): Promise<{ files: [number, number]; withFindings: [number, number] }>;
};

/** Anomaly store with the executor the dashboard's extra aggregates run on (the ClickHouse store exposes it). */
export type DashboardAnomalyStore = FullAnomalyStore & { executor: ClickHouseExecutor; database: string };

const pct = (value: number, previous: number): number | null =>
  previous === 0 ? null : Math.round(((value - previous) / previous) * 1000) / 10;

const card = (
  key: DashboardCard['key'],
  label: string,
  description: string,
  value: number,
  previous: number,
  unit?: '%',
): DashboardCard => ({
  key,
  label,
  description,
  value,
  previous,
  change_pct: pct(value, previous),
  ...(unit ? { unit } : {}),
});

/** Dashboard data (`GET /api/dashboard/summary`): counts from ClickHouse, sessions and files from both stores. */
export class DashboardService {
  constructor(
    private readonly anomalies: DashboardAnomalyStore,
    private readonly metadata: DashboardMetadataStore,
  ) {}

  async summary(f: DashboardFilter, signal?: AbortSignal): Promise<DashboardSummary> {
    const base: AnomalyQuery = {
      ...(f.sessionId ? { sessionId: f.sessionId } : {}),
      ...(f.fileId ? { fileId: f.fileId } : {}),
      ...(f.source?.length ? { source: f.source } : {}),
      ...(f.severity?.length ? { severity: f.severity } : {}),
      ...(f.type?.length ? { type: f.type } : {}),
    };
    const ranged: AnomalyQuery = { ...base, ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) };
    const end = f.to ? Date.parse(f.to) : Date.now();
    const weekFrom = new Date(end - WEEK_MS).toISOString();
    const prevFrom = new Date(end - 2 * WEEK_MS).toISOString();
    const endIso = new Date(end).toISOString();

    const [summary, heat, flows, recurring, cards2, totalBefore] = await Promise.all([
      this.anomalies.summarizeAnomalies(
        ranged,
        { topTypes: 20, topFiles: 10, ...(f.bucketMs ? { bucketMs: f.bucketMs } : {}) },
        signal,
      ),
      this.aggregate<{ hour: number; type: string; n: string }>(
        ranged,
        'SELECT toHour(toStartOfHour(timestamp)) AS hour, type, count() AS n FROM __T__ __W__ GROUP BY hour, type ORDER BY hour, type',
        {},
        signal,
      ),
      this.aggregate<{
        eaxc: number | null;
        plane: string | null;
        direction: string | null;
        link: string | null;
        n: string;
        types: string[];
      }>(
        ranged,
        // The link is the MAC pair in sorted order (DL and UL of one O-RU swap source and destination) and VLAN.
        `SELECT eaxc, plane, direction,
                if(isNull(src_mac) AND isNull(dst_mac), NULL,
                   concat(least(ifNull(src_mac, ''), ifNull(dst_mac, '')), ' ↔ ',
                          greatest(ifNull(src_mac, ''), ifNull(dst_mac, '')),
                          if(isNull(vlan), '', concat(' VLAN ', toString(vlan))))) AS link,
                sum(c) AS n,
                arraySlice(arrayMap(x -> x.2, arrayReverseSort(x -> x.1, groupArray((c, type)))), 1, 8) AS types
         FROM (SELECT eaxc, plane, direction, src_mac, dst_mac, vlan, type, count() AS c FROM __T__ __W__
               GROUP BY eaxc, plane, direction, src_mac, dst_mac, vlan, type)
         GROUP BY eaxc, plane, direction, link ORDER BY n DESC LIMIT 10`,
        {},
        signal,
      ),
      this.aggregate<{ type: string; eaxc: number | null; files: string; n: string; first: string; last: string }>(
        ranged,
        `SELECT type, eaxc, count() AS files, sum(c) AS n, toString(min(f)) AS first, toString(max(l)) AS last
         FROM (SELECT type, eaxc, file_id, count() AS c, min(timestamp) AS f, max(timestamp) AS l FROM __T__ __W__
               GROUP BY type, eaxc, file_id)
         GROUP BY type, eaxc HAVING files > 1 ORDER BY files DESC, n DESC LIMIT 10`,
        {},
        signal,
      ),
      this.metaCards(end, f.sessionId),
      // The anomalies card is the dashboard's (and the table's) total for the same filter, so the numbers on
      // one screen agree; its change is against the total as it stood a week earlier (rows carry their insert
      // time in µs as `version`: a re-analysed file's rows count as new, as its files card does). Without a `to`
      // the instant is taken to the whole minute, so that the query repeats and the embedded store's result
      // cache can answer it. Counted per `version` first: the p_versions projection (ClickHouse migration 0006)
      // answers that from per-write counts, where countIf(version <= …) read every row's `version`.
      this.aggregate<{ before: string }>(
        ranged,
        `SELECT sum(c) AS before FROM (SELECT version, count() AS c FROM __T__ __W__ GROUP BY version)
         WHERE version <= {before_us:UInt64}`,
        { before_us: ((f.to ? end : Math.floor(end / 60_000) * 60_000) - WEEK_MS) * 1000 },
        signal,
      ),
    ]);
    const types = summary.byType.slice(0, 12).map((t) => t.type);
    const typeSet = new Set(types);
    return {
      window: { from: weekFrom, to: endIso, previous_from: prevFrom },
      cards: [
        card(
          'anomalies',
          'Total anomalies',
          'findings stored for these filters; the change compares with what was stored a week earlier',
          summary.total,
          Number(totalBefore[0]?.before ?? 0),
        ),
        card(
          'sessions',
          'Sessions analysed',
          'analysis sessions started in the last 7 days',
          cards2.sessions[0],
          cards2.sessions[1],
        ),
        card(
          'files',
          'Files processed',
          'files whose analysis ended in the last 7 days',
          cards2.files[0],
          cards2.files[1],
        ),
        // Formerly "Detection rate" (issue 16: unexplained): the share of files with at least one finding.
        card(
          'detection_rate',
          'Files with findings',
          'share of the files analysed in the last 7 days with at least one finding',
          cards2.rate[0],
          cards2.rate[1],
          '%',
        ),
      ],
      total: summary.total,
      ...(summary.first ? { first: summary.first } : {}),
      ...(summary.last ? { last: summary.last } : {}),
      trend: summary.trend,
      bucket_ms: summary.bucketMs,
      by_type: summary.byType,
      by_severity: summary.bySeverity,
      by_source: summary.bySource,
      by_file: summary.byFile,
      heatmap: {
        types,
        cells: heat
          .filter((c) => typeSet.has(c.type))
          .map((c) => ({ hour: Number(c.hour), type: c.type, count: Number(c.n) })),
      },
      top_flows: flows.map((r) => ({
        eaxc: r.eaxc,
        plane: r.plane,
        direction: r.direction,
        link: r.link,
        count: Number(r.n),
        types: r.types,
      })),
      recurring: recurring.map((r) => ({
        type: r.type,
        eaxc: r.eaxc,
        files: Number(r.files),
        count: Number(r.n),
        first: r.first,
        last: r.last,
      })),
    };
  }

  /**
   * Runs an aggregate over the anomalies matching `q` with the store's own bound WHERE (no interpolated values).
   * Without FINAL, like every anomaly read of the ClickHouse store (no write leaves two rows of one id: see
   * ClickHouseAnomalyStore). Each query groups first by keys of the `p_counts` / `p_flows` projections
   * (ClickHouse migration 0002: the hour, the flow, the file), so that ClickHouse answers it from thousands
   * of pre-aggregated rows rather than millions when no time range is given.
   */
  private async aggregate<T>(
    q: AnomalyQuery,
    sql: string,
    extra: Record<string, number>,
    signal?: AbortSignal,
  ): Promise<T[]> {
    const where = buildAnomalyWhere(q);
    if (!where) return [];
    const text = sql.replace('__T__', `${this.anomalies.database}.anomalies`).replace('__W__', where.clause);
    return this.anomalies.executor.query<T>(text, { ...where.params, ...extra }, signal);
  }

  /**
   * The other cards count analysis activity by when it happened (captures are often analysed long after they
   * were taken): sessions started, files finished and the share of finished files with findings, this week
   * (ending at `to` or now) and the week before.
   */
  private async metaCards(
    end: number,
    sessionId?: string,
  ): Promise<{
    sessions: [number, number];
    files: [number, number];
    rate: [number, number];
  }> {
    const [allSessions, files] = await Promise.all([
      this.anomalies.listSessions(10_000, 0),
      this.metadata.countDoneFilesByWeek(end, WEEK_MS, sessionId),
    ]);
    const sessions = sessionId ? allSessions.filter((x) => x.id === sessionId) : allSessions;
    const week = (t: string | null | undefined): 0 | 1 | undefined => {
      if (!t) return undefined;
      const ms = Date.parse(t);
      if (ms > end) return undefined;
      if (ms > end - WEEK_MS) return 0;
      if (ms > end - 2 * WEEK_MS) return 1;
      return undefined;
    };
    const s: [number, number] = [0, 0];
    for (const x of sessions) {
      const w = week(x.started_at);
      if (w !== undefined) s[w]++;
    }
    // Counted by the metadata store (finished_at, else created_at, in the same two windows).
    const fl = files.files;
    const hit = files.withFindings;
    const rate = (i: 0 | 1) => (fl[i] ? Math.round((hit[i] / fl[i]) * 1000) / 10 : 0);
    return { sessions: s, files: fl, rate: [rate(0), rate(1)] };
  }
}
