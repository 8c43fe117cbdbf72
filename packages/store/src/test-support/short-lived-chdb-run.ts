/**
 * One short-lived process on the embedded store (TEST code, run with tsx by embedded-part-cleanup.int.test.ts),
 * as an `l1t analyze` run uses it: open chDB at a data directory, migrate, write one file's results in a few
 * inserts, stay open `holdMs` (a CLI run's lifetime), close, exit. `count` instead prints the database's data
 * parts on disk and the active ones, as JSON.
 *
 *   tsx short-lived-chdb-run.ts <dataDir> <database> write <holdMs> | count
 */
import { randomUUID } from 'node:crypto';
import { ChdbExecutor } from '../clickhouse/chdb-executor.js';
import { ClickHouseAnomalyStore } from '../clickhouse/clickhouse-anomaly-store.js';
import { fullAnomaly, metric } from './anomaly-fixtures.js';

const [dataDir, database, mode, holdMs] = process.argv.slice(2) as [string, string, string, string?];
const store = new ClickHouseAnomalyStore(new ChdbExecutor(dataDir), database);
try {
  if (mode === 'count') {
    const [row] = await store.executor.query<{ all: string; active: string }>(
      `SELECT count() AS all, countIf(active) AS active FROM system.parts WHERE database = {db:String}`,
      { db: database },
    );
    process.stdout.write(JSON.stringify({ all: Number(row?.all), active: Number(row?.active) }) + '\n');
  } else {
    await store.migrate();
    const fileId = randomUUID();
    await store.replaceFileResults(
      [fileId],
      [fullAnomaly({ file_id: fileId }), fullAnomaly({ file_id: fileId })],
      [metric({ file_id: fileId })],
    );
    await store.appendAnomalies([fullAnomaly({ file_id: fileId, severity: 'minor' })]);
    await new Promise((r) => setTimeout(r, Number(holdMs ?? 0)));
  }
} finally {
  await store.close();
}
