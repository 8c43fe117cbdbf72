/**
 * `npm run bench:api` — proves the API's latency on a large store (issue 5, "Prove it"):
 *
 * 1. fills an embedded chDB store (a temporary L1T_DATA_DIR) with L1T_BENCH_ROWS anomalies (10 000 000) in
 *    SQL (`INSERT … SELECT … FROM numbers(N)`, in chunks): the catalogue's types, severities and sources,
 *    50 sessions, 2000 files, eAxC 0–15, timestamps over the last 30 days, evidence JSON. Like a real
 *    capture, each file has a fault profile (4 types on 4 of the 16 flows, over its hour of capture) rather
 *    than every type on every flow; severities vary per row. The sessions go to ClickHouse and the files
 *    to the metadata store (PGlite) as an analysis would leave them. The migrations' background mutations
 *    (MATERIALIZE of projections and indexes) are waited for before measuring;
 * 2. starts the real Express app (`createApp` on the real stores, auth off) on a loopback port and measures
 *    over HTTP, after a warm-up, p50/p95/p99 of `GET /api/anomalies` (typical filter/sort/page combinations,
 *    first and deep pages) and `GET /api/dashboard/summary` (with and without a session filter);
 * 3. reads the web bundle (apps/web/dist, built by `npm run build -w @l1t/web` when missing): the entry chunk
 *    referenced by index.html and its modulepreloads, gzipped with zlib.
 *
 * 4. analyses real captures (FILE_VIEW_SAMPLES, from ../shared/samples) with the real pipeline into the same
 *    store and measures the file page's data routes, `GET /api/files/:id/{flows,timing,heatmap,ptp}`, on each
 *    and on a bench file without stored views (issue 16: p95 ≤ 300 ms).
 *
 * Prints a table on stderr and one JSON document on stdout, with each target met or not.
 *
 * Environment: L1T_BENCH_ROWS (10 000 000), L1T_BENCH_RUNS (requests per case, 30),
 * L1T_BENCH_DIR (keep and reuse the data directory: filled once, reused when it holds the row count),
 * L1T_BENCH_QUERY_CACHE=off (measure without the embedded store's result caches: every request computed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ANOMALY_CATALOGUE, loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { analyzeFile, fileInput, SessionRecorder } from '@l1t/pipeline';
import { createApp, createLogger } from '@l1t/server';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.env.L1T_BENCH_ROWS ?? 10_000_000);
const RUNS = Number(process.env.L1T_BENCH_RUNS ?? 30);
const SESSIONS = 50;
const FILES = 2000;
const CHUNK = 1_000_000;
const DAY_MS = 86_400_000;
const TARGETS = {
  anomalies_p95_ms: 150,
  dashboard_p95_ms: 300,
  web_initial_js_gzip_kb: 300,
  file_views_p95_ms: 300,
};
/**
 * Real captures analysed by the real pipeline into the bench store, whose stored views the file page's data
 * routes serve (issue 16: "bench:api … plus the file page's data routes (p95 ≤ 300 ms)"): an O-RAN capture
 * (flows, timing, heatmap) and a PTP capture (time-error view). Skipped when ../shared/samples is missing.
 */
const FILE_VIEW_SAMPLES = [
  'Utilities/fh_ks.pcap',
  'Utilities/VIAVI_MIMO_DL_cap5.pcap',
  's-plane_security/2024-10-08-sync_attack_1.pcap',
];

const log = (s: string) => process.stderr.write(`${s}\n`);
const sessionId = (k: number) => `5e55e55e-0000-4000-8000-${String(k).padStart(12, '0')}`;
const fileId = (k: number) => `f11ef11e-0000-4000-8000-${String(k).padStart(12, '0')}`;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

async function main(): Promise<void> {
  const keep = process.env.L1T_BENCH_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'l1t-bench-api-'));
  const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
  const cached = process.env.L1T_BENCH_QUERY_CACHE !== 'off';
  const stores = await openStores(config, { queryCache: cached });
  await stores.metadata.migrate();
  await stores.anomalies.migrate();
  const ch = stores.anomalies as unknown as {
    executor: { command(sql: string): Promise<void>; query<T>(sql: string): Promise<T[]> };
    database: string;
  };
  const db = ch.database;
  // The end of the data's 30 days: now, rounded to the minute (the dashboard's week ends now).
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const start = end - 30 * DAY_MS;

  // The generated rows only (the analysed samples of step 4 add theirs to the same store).
  const [existing] = await ch.executor.query<{ n: string }>(
    `SELECT count() AS n FROM ${db}.anomalies WHERE startsWith(session_id, '5e55e55e-')`,
  );
  let fillS = 0;
  if (Number(existing?.n ?? 0) !== ROWS) {
    if (Number(existing?.n ?? 0) > 0) await ch.executor.command(`TRUNCATE TABLE ${db}.anomalies`);
    const t0 = performance.now();
    await fill(ch.executor, db, start);
    fillS = (performance.now() - t0) / 1000;
    log(`filled ${ROWS.toLocaleString('en')} anomalies in ${fillS.toFixed(1)} s`);
    const t1 = performance.now();
    await fillMetadata(stores, start);
    log(`metadata (sessions, files) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  } else {
    log(`reusing ${ROWS.toLocaleString('en')} anomalies in ${dir}`);
  }
  for (let waited = 0; ; waited++) {
    const [pending] = await ch.executor.query<{ n: string }>(
      `SELECT count() AS n FROM system.mutations WHERE database = '${db}' AND NOT is_done`,
    );
    if (Number(pending?.n ?? 0) === 0) break;
    if (waited % 10 === 0) log(`waiting for ${pending?.n} background mutation(s)…`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const [{ parts } = { parts: '?' }] = await ch.executor.query<{ parts: string }>(
    `SELECT count() AS parts FROM system.parts WHERE database = '${db}' AND table = 'anomalies' AND active`,
  );

  const viewFiles = await analyseViewSamples(stores);

  const app = createApp({ config, stores, logger: createLogger('silent') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const day = (d: number) => new Date(start + d * DAY_MS).toISOString();
  const anomalyCases: [string, string][] = [
    ['newest first (no filter)', 'limit=100'],
    ['severity=critical', 'severity=critical&limit=100'],
    ['type=seq_gap,rx_window_late', 'type=seq_gap,rx_window_late&limit=100'],
    ['session', `session_id=${sessionId(7)}&limit=100`],
    ['file, by packet', `file_id=${fileId(123)}&sort=packet_index&order=asc&limit=100`],
    ['eaxc=5 + major', 'eaxc=5&severity=major&limit=100'],
    ['time range 1 day', `from=${day(20)}&to=${day(21)}&limit=100`],
    ['session + time range', `session_id=${sessionId(11)}&from=${day(5)}&to=${day(12)}&limit=100`],
    ['q search', 'q=reception%20window&limit=100'],
    ['sort severity desc', 'sort=severity&order=desc&limit=100'],
    ['deep page (offset 100k)', 'offset=100000&limit=100'],
    ['deep page session (offset 10k)', `session_id=${sessionId(3)}&offset=10000&limit=100&order=asc`],
    ['timing source, sort severity', 'source=timing&sort=severity&limit=50'],
  ];
  const dashboardCases: [string, string][] = [
    ['summary (all)', ''],
    ['summary (session)', `session_id=${sessionId(7)}`],
    ['summary (source=timing)', 'source=timing'],
    ['summary (bucket=day)', 'bucket=day'],
  ];
  // Not a combination the dashboard page sends (it has no time range): measured and reported, not a target.
  const dashboardRangeCases: [string, string][] = [['summary (last 7 days)', `from=${day(23)}`]];

  async function time(path: string): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`);
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${body.slice(0, 300)}`);
    return ms;
  }
  async function measure(cases: [string, string][], route: string, wholePath = false) {
    const url = (qs: string) => (wholePath ? qs : `${route}?${qs}`);
    const samples: number[] = [];
    const rows: { name: string; p50_ms: number; p95_ms: number; max_ms: number }[] = [];
    for (const [, qs] of cases) for (let i = 0; i < 3; i++) await time(url(qs)); // warm-up
    const perCase = new Map<string, number[]>(cases.map(([n]) => [n, []]));
    // CPU of this process (server, chDB's threads, PGlite and the fetch client in one) and the host's load:
    // on a shared host the latency depends on what else runs, the CPU per request much less.
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    // Interleaved rounds: every case sees the same state of the machine and of the merges.
    for (let r = 0; r < RUNS; r++)
      for (const [name, qs] of cases) {
        const ms = await time(url(qs));
        perCase.get(name)!.push(ms);
        samples.push(ms);
      }
    for (const [name, s] of perCase) {
      s.sort((a, b) => a - b);
      rows.push({ name, p50_ms: percentile(s, 50), p95_ms: percentile(s, 95), max_ms: percentile(s, 100) });
    }
    const cpu = process.cpuUsage(cpu0);
    samples.sort((a, b) => a - b);
    return {
      requests: samples.length,
      cpu_ms_per_request: Math.round(((cpu.user + cpu.system) / 1000 / samples.length) * 10) / 10,
      host_load_1m: { before: Math.round(load0 * 100) / 100, after: Math.round(loadavg()[0]! * 100) / 100 },
      p50_ms: percentile(samples, 50),
      p95_ms: percentile(samples, 95),
      p99_ms: percentile(samples, 99),
      cases: rows,
    };
  }

  /** As `measure`, each case a whole path (the file routes take the id in the path, no query). */
  /** As `measure`, each case a whole path (the file routes take the id in the path, no query). */
  const measurePaths = (cases: [string, string][]) => measure(cases, '', true);

  const anomalies = await measure(anomalyCases, '/api/anomalies');
  const dashboard = await measure(dashboardCases, '/api/dashboard/summary');
  const dashboardRange = await measure(dashboardRangeCases, '/api/dashboard/summary');
  // The file page's four data routes on each analysed sample (one case per route and file), and on a bench
  // file without stored views (the empty answers).
  const fileViewCases: [string, string][] = [];
  for (const f of [...viewFiles, { id: fileId(123), name: 'bench file (no views)' }])
    for (const route of ['flows', 'timing', 'heatmap', 'ptp'])
      fileViewCases.push([`${route} ${f.name}`, `/api/files/${f.id}/${route}`]);
  const fileViews = await measurePaths(fileViewCases);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stores.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });

  const web = webBundle();
  const met = {
    anomalies: anomalies.p95_ms <= TARGETS.anomalies_p95_ms,
    dashboard: dashboard.p95_ms <= TARGETS.dashboard_p95_ms,
    web: web.initial_js_gzip_bytes / 1000 <= TARGETS.web_initial_js_gzip_kb,
    fileViews: fileViews.p95_ms <= TARGETS.file_views_p95_ms,
  };

  log('');
  log(`${'case'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const [title, m] of [
    ['GET /api/anomalies', anomalies],
    ['GET /api/dashboard/summary', dashboard],
    ['GET /api/dashboard/summary (time range)', dashboardRange],
    ['GET /api/files/:id/{flows,timing,heatmap,ptp}', fileViews],
  ] as const) {
    for (const c of m.cases)
      log(
        `${`${title.slice(4)} ${c.name}`.padEnd(44)} ${String(c.p50_ms).padStart(8)} ${String(c.p95_ms).padStart(8)} ${String(c.max_ms).padStart(8)}`,
      );
    log(
      `${`${title} (all ${m.requests})`.padEnd(44)} ${String(m.p50_ms).padStart(8)} ${String(m.p95_ms).padStart(8)}   p99 ${m.p99_ms}, ` +
        `CPU ${m.cpu_ms_per_request} ms/request, load ${m.host_load_1m.before} → ${m.host_load_1m.after}`,
    );
  }
  log(`web initial JS: ${(web.initial_js_gzip_bytes / 1000).toFixed(1)} kB gzipped (${web.files.join(', ')})`);
  log(
    `targets: anomalies p95 ≤ ${TARGETS.anomalies_p95_ms} ms ${met.anomalies ? 'met' : 'NOT met'}; dashboard p95 ≤ ${TARGETS.dashboard_p95_ms} ms ${met.dashboard ? 'met' : 'NOT met'}; web ≤ ${TARGETS.web_initial_js_gzip_kb} kB ${met.web ? 'met' : 'NOT met'}; file views p95 ≤ ${TARGETS.file_views_p95_ms} ms ${met.fileViews ? 'met' : 'NOT met'}`,
  );

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'api',
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
        store: {
          engine: 'chdb',
          query_cache: cached,
          rows: ROWS,
          sessions: SESSIONS,
          files: FILES,
          active_parts: Number(parts),
          fill_s: Math.round(fillS * 10) / 10,
        },
        runs_per_case: RUNS,
        anomalies,
        dashboard,
        dashboard_time_range_not_a_target: dashboardRange,
        file_views: { files: viewFiles, ...fileViews },
        web,
        targets: {
          anomalies_p95_ms: { target: TARGETS.anomalies_p95_ms, value: anomalies.p95_ms, met: met.anomalies },
          dashboard_p95_ms: { target: TARGETS.dashboard_p95_ms, value: dashboard.p95_ms, met: met.dashboard },
          web_initial_js_gzip_kb: {
            target: TARGETS.web_initial_js_gzip_kb,
            value: Math.round(web.initial_js_gzip_bytes / 100) / 10,
            met: met.web,
          },
          file_views_p95_ms: { target: TARGETS.file_views_p95_ms, value: fileViews.p95_ms, met: met.fileViews },
        },
        all_met: met.anomalies && met.dashboard && met.web && met.fileViews,
      },
      null,
      2,
    )}\n`,
  );
}

/** Anomalies generated in SQL, in chunks of CHUNK rows: file k (of session k % 50) spans an hour of the 30 days. */
export async function fill(exec: { command(sql: string): Promise<void> }, db: string, start: number): Promise<void> {
  const cat = ANOMALY_CATALOGUE;
  const arr = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(',')}]`;
  const types = arr(cat.map((c) => c.type));
  const sources = arr(cat.map((c) => c.source));
  const severities = arr(cat.map((c) => c.severity));
  const perFile = Math.ceil(ROWS / FILES);
  const fileSpanNs = 3_600_000_000_000; // one hour of capture per file
  const stepNs = Math.floor((30 * DAY_MS * 1e6 - fileSpanNs) / FILES);
  for (let off = 0; off < ROWS; off += CHUNK) {
    const n = Math.min(CHUNK, ROWS - off);
    const t0 = performance.now();
    await exec.command(`
      INSERT INTO ${db}.anomalies (id, type, source, severity, confidence, timestamp, end_timestamp, file, file_id,
        session_id, packet_index, packet_count, eaxc, du_port, band_sector, cc, ru_port, plane, direction,
        frame_id, subframe_id, slot_id, symbol_id, description, evidence, version)
      SELECT
        generateUUIDv4(g) AS id,
        ${types}[ti] AS type,
        CAST(${sources}[ti], 'Enum8(\\'fronthaul\\' = 1, \\'timing\\' = 2, \\'ue\\' = 3)') AS source,
        CAST(if(h % 10 = 0, 'info', if(h % 10 < 3, ${severities}[ti], if(h % 10 < 7, 'minor', 'major'))),
             'Enum8(\\'info\\' = 1, \\'minor\\' = 2, \\'major\\' = 3, \\'critical\\' = 4)') AS severity,
        0.5 + (h % 50) / 100 AS confidence,
        fromUnixTimestamp64Nano(toInt64(${start}) * 1000000 + fk * ${stepNs} + toInt64(intDiv((g % ${perFile}) * ${fileSpanNs}, ${perFile})) + toInt64(h % 1000), 'UTC') AS timestamp,
        NULL AS end_timestamp,
        concat('du', toString(fk % 8), '_capture_', toString(fk), '.pcap') AS file,
        concat('f11ef11e-0000-4000-8000-', leftPad(toString(fk), 12, '0')) AS file_id,
        concat('5e55e55e-0000-4000-8000-', leftPad(toString(fk % ${SESSIONS}), 12, '0')) AS session_id,
        toUInt64(g % ${perFile}) * 37 + h % 37 AS packet_index,
        toUInt32(1 + h % 5) AS packet_count,
        toUInt16(e) AS eaxc,
        toUInt16(intDiv(e, 4)) AS du_port, toUInt16(0) AS band_sector, toUInt16(0) AS cc, toUInt16(e % 4) AS ru_port,
        if(ti % 3 = 0, 'c', 'u') AS plane, if(e % 3 = 0, 'ul', 'dl') AS direction,
        toUInt8(g % 256) AS frame_id, toUInt8(g % 10) AS subframe_id, toUInt8(g % 2) AS slot_id, toUInt8(g % 14) AS symbol_id,
        concat(${arr(cat.map((c) => c.title))}[ti], ' on eAxC ', toString(e), ' (packet ', toString(packet_index), ')') AS description,
        concat('{"observed":', toString(h % 997), ',"threshold":', toString(100 + h % 13), ',"window_ms":10,"count":', toString(1 + h % 9), '}') AS evidence,
        toUInt64(1) AS version
      FROM (
        SELECT number + ${off} AS g, cityHash64(g) AS h, intDiv(g, ${perFile}) AS fk, cityHash64(fk) AS hf,
               -- a file's fault profile: 4 of the catalogue's types on 4 of its 16 flows
               toUInt32(1 + cityHash64(fk, h % 4) % ${cat.length}) AS ti,
               (hf % 16 + (intDiv(h, 4) % 4) * 5) % 16 AS e
        FROM numbers(${n})
      )`);
    log(`  inserted ${(off + n).toLocaleString('en')} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

/** Sessions in ClickHouse and done files in the metadata store, as the analysis leaves them. */
export async function fillMetadata(stores: Awaited<ReturnType<typeof openStores>>, start: number): Promise<void> {
  const perFile = Math.ceil(ROWS / FILES);
  const step = (30 * DAY_MS - 3_600_000) / FILES;
  for (let s = 0; s < SESSIONS; s++) {
    const startedAt = new Date(start + s * step).toISOString();
    await stores.metadata.createSession({ id: sessionId(s), name: `bench session ${s}`, startedAt });
    await stores.anomalies.upsertSession({
      id: sessionId(s),
      name: `bench session ${s}`,
      status: 'done',
      files_processed: FILES / SESSIONS,
      files_failed: 0,
      anomalies_detected: (FILES / SESSIONS) * perFile,
      started_at: startedAt,
      finished_at: new Date(start + 30 * DAY_MS).toISOString(),
      duration_ms: 1000,
    });
  }
  for (let k = 0; k < FILES; k++) {
    await stores.metadata.upsertFile({
      id: fileId(k),
      sessionId: sessionId(k % SESSIONS),
      name: `du${k % 8}_capture_${k}.pcap`,
      path: null,
      size: 1_000_000,
      sha256: k.toString(16).padStart(64, '0'),
      format: 'pcap',
      formatDetail: null,
    });
    const finishedAt = new Date(start + k * step + 3_600_000).toISOString();
    await stores.metadata.updateFile(fileId(k), {
      status: 'done',
      anomalyCount: perFile,
      startedAt: finishedAt,
      finishedAt,
      durationMs: 1000,
    });
  }
}

/**
 * The samples of FILE_VIEW_SAMPLES analysed by the real pipeline and recorded in the bench store (one session),
 * as an upload leaves them; the ones missing on this machine are skipped.
 */
async function analyseViewSamples(
  stores: Awaited<ReturnType<typeof openStores>>,
): Promise<{ id: string; name: string; size: number; records: number }[]> {
  const samples = join(ROOT, '../shared/samples');
  const present = FILE_VIEW_SAMPLES.filter((f) => existsSync(join(samples, f)));
  if (present.length === 0) {
    log('file views: no samples in ../shared/samples, the file page routes are measured on a bench file only');
    return [];
  }
  const recorder = new SessionRecorder(stores, 'bench file views');
  await recorder.start();
  const out: { id: string; name: string; size: number; records: number }[] = [];
  for (const f of present) {
    const name = f.split('/').pop()!;
    const result = await analyzeFile(fileInput(join(samples, f), name), { sessionId: recorder.id });
    await recorder.record(result);
    out.push({ id: result.fileId, name, size: statSync(join(samples, f)).size, records: result.summary.records });
  }
  await recorder.finish();
  return out;
}

/** The web app's initial JS: the entry script of index.html and the chunks it preloads, gzipped (zlib, level 9). */
function webBundle(): { initial_js_gzip_bytes: number; initial_js_raw_bytes: number; files: string[] } {
  const dist = join(ROOT, 'apps/web/dist');
  if (!existsSync(join(dist, 'index.html'))) {
    log('building apps/web (npm run build -w @l1t/web)…');
    const r = spawnSync('npm', ['run', 'build', '-w', '@l1t/web'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('web build failed');
  }
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]!.replace(/^\//, ''));
  let gz = 0;
  let raw = 0;
  for (const f of [...new Set(files)]) {
    const buf = readFileSync(join(dist, f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { initial_js_gzip_bytes: gz, initial_js_raw_bytes: raw, files: [...new Set(files)] };
}

// Run when started as the benchmark; imported (bench/load.ts reuses the fill), only the functions.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  main().catch((e: unknown) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  });
