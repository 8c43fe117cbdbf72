/**
 * `npm run bench:load` — the server under load on the embedded stores (issue #17 "Load"), auth on:
 *
 * 1. fills chDB with L1T_BENCH_ROWS anomalies (default 1 000 000; the same SQL fill as `bench:api`, reused
 *    with L1T_BENCH_DIR);
 * 2. offers L1T_LOAD_RATE requests/s (100) for L1T_LOAD_SECONDS (20) to `GET /api/anomalies?limit=100`
 *    with a bearer token (autocannon, fixed rate, 20 connections): p50/p95/p99, error rate;
 * 3. L1T_LOAD_STREAMS (200) concurrent advice streams (`/recommendation/stream` of distinct anomalies,
 *    offline provider: generated, then cached): time to the end of each, errors;
 * 4. L1T_LOAD_UPLOADS (20) concurrent uploads of L1T_LOAD_UPLOAD_MB (32) MiB pcaps each (distinct bytes):
 *    time, MB/s, statuses (the jobs are queued, not run: no worker in this process);
 * throughout: the process's peak RSS and CPU time per API request. JSON on stdout, a table on stderr.
 * L1T_BENCH_QUERY_CACHE=off measures without the embedded store's result caches.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';

process.env.L1T_BENCH_ROWS ??= '1000000';
process.env.L1T_ADVISOR_RATE_LIMIT ??= '10000';
const ROWS = Number(process.env.L1T_BENCH_ROWS);
const RATE = Number(process.env.L1T_LOAD_RATE ?? 100);
const SECONDS = Number(process.env.L1T_LOAD_SECONDS ?? 20);
const STREAMS = Number(process.env.L1T_LOAD_STREAMS ?? 200);
const UPLOADS = Number(process.env.L1T_LOAD_UPLOADS ?? 20);
const UPLOAD_MB = Number(process.env.L1T_LOAD_UPLOAD_MB ?? 32);
const TARGET_P95_MS = 300;
const log = (s: string) => process.stderr.write(`${s}\n`);

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};

/** A pcap of `mb` MiB of 1,500-byte Ethernet frames, distinct per `seed` (no deduplication by sha256). */
function bigPcap(mb: number, seed: number): Uint8Array {
  const frame = 1500;
  const count = Math.floor((mb * 2 ** 20 - 24) / (16 + frame));
  const out = new Uint8Array(24 + count * (16 + frame));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  for (let i = 0, at = 24; i < count; i++, at += 16 + frame) {
    v.setUint32(at, 1_790_000_000 + Math.floor(i / 1000), true);
    v.setUint32(at + 4, (i % 1000) * 1000, true);
    v.setUint32(at + 8, frame, true);
    v.setUint32(at + 12, frame, true);
    v.setUint32(at + 16 + 20, i ^ seed, true);
  }
  return out;
}

async function main(): Promise<void> {
  const { fill, fillMetadata } = await import('./api.js');
  const { createApp, createLogger, hashPassword, hashToken } = await import('@l1t/server');
  const keep = process.env.L1T_BENCH_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'l1t-bench-load-'));
  const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' });
  const cached = process.env.L1T_BENCH_QUERY_CACHE !== 'off';
  const stores = await openStores(config, { queryCache: cached });
  await stores.metadata.migrate();
  await stores.anomalies.migrate();
  const ch = stores.anomalies as unknown as {
    executor: { command(sql: string): Promise<void>; query<T>(sql: string): Promise<T[]> };
    database: string;
  };
  const db = ch.database;
  const start = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 86_400_000;
  const [existing] = await ch.executor.query<{ n: string }>(`SELECT count() AS n FROM ${db}.anomalies`);
  let fillS = 0;
  if (Number(existing?.n ?? 0) !== ROWS) {
    if (Number(existing?.n ?? 0) > 0) await ch.executor.command(`TRUNCATE TABLE ${db}.anomalies`);
    const t0 = performance.now();
    await fill(ch.executor, db, start);
    await fillMetadata(stores, start);
    fillS = (performance.now() - t0) / 1000;
    log(`filled ${ROWS.toLocaleString('en')} anomalies in ${fillS.toFixed(1)} s`);
  }
  for (;;) {
    const [p] = await ch.executor.query<{ n: string }>(
      `SELECT count() AS n FROM system.mutations WHERE database = '${db}' AND NOT is_done`,
    );
    if (Number(p?.n ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }

  const token = `l1t_load_${Date.now()}`;
  const user =
    (await stores.metadata.getUserByUsername('load')) ??
    (await stores.metadata.createUser({
      username: 'load',
      passwordHash: await hashPassword('load-bench-password'),
      role: 'engineer',
    }));
  await stores.metadata.createApiToken({ userId: user.id, name: 'load', tokenHash: hashToken(token) });
  const auth = { authorization: `Bearer ${token}` };

  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const app = createApp({ config, stores, logger: createLogger('silent') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // 1. The anomalies API at a fixed offered rate.
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  // CPU of this whole process (server, chDB's threads, PGlite and the autocannon client in one): on a shared
  // host the latency depends on what else runs, the CPU per request does not.
  const cpu0 = process.cpuUsage();
  const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      { url: `${base}/api/anomalies?limit=100`, headers: auth, connections: 20, overallRate: RATE, duration: SECONDS },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_c, status, _bytes, ms) => {
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  const cpu = process.cpuUsage(cpu0);
  const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const okCount = statuses.get(200) ?? 0;
  const api = {
    offered_rps: RATE,
    achieved_rps: Math.round((latencies.length / SECONDS) * 10) / 10,
    requests: latencies.length,
    p50_ms: pct(latencies, 50),
    p95_ms: pct(latencies, 95),
    p99_ms: pct(latencies, 99),
    error_rate: latencies.length
      ? Math.round(((latencies.length - okCount + result.errors + result.timeouts) / latencies.length) * 1e4) / 1e4
      : 1,
    statuses: Object.fromEntries(statuses),
    process_cpu_ms_per_request: latencies.length
      ? Math.round(((cpu.user + cpu.system) / 1000 / latencies.length) * 10) / 10
      : NaN,
    host_load_1m: { before: Number(load0), after: Number(load1) },
    query_cache: cached,
    p95_target_ms: TARGET_P95_MS,
    p95_met: pct(latencies, 95) <= TARGET_P95_MS,
  };
  log(
    `anomalies API: ${api.achieved_rps}/${RATE} req/s, p95 ${api.p95_ms} ms, errors ${api.error_rate}, ` +
      `CPU ${api.process_cpu_ms_per_request} ms/request, load ${load0} → ${load1}`,
  );

  // Made before the streams, so that no generation blocks the client between the phases.
  const uploadBodies = Array.from({ length: UPLOADS }, (_, i) => new Blob([bigPcap(UPLOAD_MB, i + Date.now())]));

  // 2. Concurrent advice streams (distinct anomalies: each generates, offline provider).
  const ids = (
    await ch.executor.query<{ id: string }>(`SELECT toString(id) AS id FROM ${db}.anomalies LIMIT ${STREAMS}`)
  ).map((r) => r.id);
  const streamTimes: number[] = [];
  let streamErrors = 0;
  const t0s = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/api/anomalies/${id}/recommendation/stream`, { headers: auth });
        const body = await res.text();
        if (res.status !== 200 || !body.includes('event: done')) streamErrors++;
      } catch {
        streamErrors++;
      }
      streamTimes.push(performance.now() - t0);
    }),
  );
  const streams = {
    concurrent: ids.length,
    wall_s: Math.round((performance.now() - t0s) / 100) / 10,
    p50_ms: pct(streamTimes, 50),
    p95_ms: pct(streamTimes, 95),
    errors: streamErrors,
  };
  log(`advice streams: ${streams.concurrent} at once, p95 ${streams.p95_ms} ms, errors ${streams.errors}`);

  // 3. Concurrent large uploads. First the streams' ~200 idle keep-alive sockets are closed: left to the
  // server's 5 s keepAliveTimeout, they expired while the uploads went out on them (ECONNRESET on 17–20 of 20
  // uploads, no error logged by the server; none with no streams before, or 6 s after them) — the client's
  // keep-alive race, not the server's answer to 20 uploads.
  server.closeIdleConnections();
  await new Promise((r) => setTimeout(r, 200));
  const t0u = performance.now();
  const upStatuses: number[] = [];
  const upTimes: number[] = [];
  await Promise.all(
    Array.from({ length: UPLOADS }, async (_, i) => {
      const form = new FormData();
      form.append('file', uploadBodies[i]!, `load-${i}.pcap`);
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/api/files`, { method: 'POST', headers: auth, body: form });
        await res.arrayBuffer();
        upStatuses.push(res.status);
      } catch {
        upStatuses.push(0);
      }
      upTimes.push(performance.now() - t0);
    }),
  );
  const wallU = (performance.now() - t0u) / 1000;
  const uploads = {
    concurrent: UPLOADS,
    mib_each: UPLOAD_MB,
    wall_s: Math.round(wallU * 10) / 10,
    aggregate_mib_per_s: Math.round(((UPLOADS * UPLOAD_MB) / wallU) * 10) / 10,
    p95_ms: pct(upTimes, 95),
    statuses: upStatuses.reduce<Record<string, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {}),
    errors: upStatuses.filter((s) => s !== 202).length,
  };
  log(
    `uploads: ${UPLOADS} × ${UPLOAD_MB} MiB in ${uploads.wall_s} s (${uploads.aggregate_mib_per_s} MiB/s), errors ${uploads.errors}`,
  );

  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  await stores.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
  const report = {
    rows: ROWS,
    fill_s: Math.round(fillS * 10) / 10,
    api,
    streams,
    uploads,
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
  };
  log(`peak RSS ${report.peak_rss_mb} MB`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
