// TEST FIXTURE (not product code): chDB served through enough of ClickHouse's HTTP interface for
// @clickhouse/client — GET /ping, `/?query=`, queries in POST bodies, INSERT … FORMAT with the rows in the
// body, `param_*` bound parameters (passed to the engine as the same escaped text a server parses),
// `database`, `default_format`, errors as HTTP 500 with the ClickHouse text and X-ClickHouse-Exception-Code.
// Runs in its own process because libchdb binds one data directory per process.
// Usage: node chdb-http-server.mjs [dataDir] [port]; prints "READY <port>" on stdout; exits on SIGTERM or
// when stdin closes (the parent died).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const chdbDir = dirname(require.resolve('chdb'));
const { Session } = require('chdb');
// The public binding formats JS values itself; HTTP parameters arrive already in ClickHouse's escaped text
// form, so they go to the engine unchanged through the addon's bound-parameter entry point.
const native = require(join(chdbDir, 'dist/loader.js')).loadNative();

const tempDir = process.argv[2] ? undefined : mkdtempSync(join(tmpdir(), 'l1t-chdb-http-'));
const dataDir = process.argv[2] ?? tempDir;
const session = new Session(dataDir);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
let currentDb = 'default';
let chain = Promise.resolve();

function runNative(sql, format, bound) {
  const p = bound
    ? native.QueryAsyncConnection(session.connection, sql, format, bound)
    : native.QueryAsyncConnection(session.connection, sql, format);
  return Promise.resolve(p);
}

async function execute(sql, format, bound, database) {
  const db = database || 'default';
  if (db !== currentDb) {
    if (!IDENT.test(db)) throw new Error(`Code: 81. DB::Exception: Database ${db} does not exist. (UNKNOWN_DATABASE)`);
    await runNative(`USE ${db}`, 'TabSeparated');
    currentDb = db;
  }
  return runNative(sql, format, bound);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let buf = Buffer.concat(chunks);
      if (/gzip/i.test(req.headers['content-encoding'] ?? '')) buf = gunzipSync(buf);
      resolve(buf.toString('utf8'));
    });
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://fixture');
  if (url.pathname === '/ping' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query'))) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  if (url.pathname !== '/') {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('There is no handle ' + url.pathname + '\n');
    return;
  }
  const body = await readBody(req);
  let inUrl = url.searchParams.get('query') ?? '';
  // A server applies URL settings to the query; this fixture honours the ones the store relies on for inserts
  // (deduplication, migration 0005) by writing them into the INSERT's SETTINGS clause.
  const settings = [];
  for (const name of ['insert_deduplication_token']) {
    const v = url.searchParams.get(name);
    if (v !== null) settings.push(`${name} = '${v.replace(/[\\']/g, '\\$&')}'`);
  }
  if (settings.length > 0 && /^\s*INSERT\b/i.test(inUrl))
    inUrl = inUrl.replace(/\s+FORMAT\s+/i, ` SETTINGS ${settings.join(', ')} FORMAT `);
  // INSERT … FORMAT X in the URL with the rows in the body is one statement with inline data.
  const sql = inUrl && body ? `${inUrl}\n${body}` : inUrl || body;
  const bound = {};
  for (const [k, v] of url.searchParams) if (k.startsWith('param_')) bound[k.slice('param_'.length)] = v;
  const queryId = url.searchParams.get('query_id') || randomUUID();
  const format = url.searchParams.get('default_format') || 'TabSeparated';
  // Other URL parameters are settings: accepted and ignored (the engine's defaults apply), but for the token above.
  try {
    const raw = await (chain = chain.then(
      () => execute(sql, format, Object.keys(bound).length ? bound : undefined, url.searchParams.get('database')),
      () => execute(sql, format, Object.keys(bound).length ? bound : undefined, url.searchParams.get('database')),
    ));
    const bytes = Buffer.from(raw.bytes);
    const json = /FORMAT\s+JSON/i.test(sql);
    // Response compression as a server does it: asked for with the setting and the Accept-Encoding header.
    const gzip =
      url.searchParams.get('enable_http_compression') === '1' && /gzip/i.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, {
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      'Content-Type': json ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8',
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Summary': JSON.stringify({
        read_rows: String(raw.rowsRead ?? 0),
        read_bytes: String(raw.bytesRead ?? 0),
        written_rows: '0',
        written_bytes: '0',
        total_rows_to_read: '0',
        result_rows: String(raw.rowsRead ?? 0),
        result_bytes: String(bytes.length),
        elapsed_ns: '0',
      }),
    });
    res.end(gzip ? gzipSync(bytes) : bytes);
  } catch (e) {
    const message = e && e.message != null ? String(e.message) : String(e);
    const code = /Code: (\d+)/.exec(message)?.[1] ?? '1000';
    res.writeHead(500, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': code,
      'X-ClickHouse-Query-Id': queryId,
    });
    res.end(message.endsWith('\n') ? message : message + '\n');
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) res.writeHead(500, { 'X-ClickHouse-Exception-Code': '1000' });
    res.end(`Code: 1000. DB::Exception: ${e && e.message}\n`);
  });
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections?.();
  chain.finally(() => {
    session.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(0);
  });
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});
