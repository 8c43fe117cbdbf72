import { assertIdentifier, type ClickHouseExecutor } from './executor.js';

/**
 * Table settings of the EMBEDDED store (chDB) that let a short-lived process remove the data parts that
 * earlier processes' merges made obsolete.
 *
 * Every insert writes a new data part; background merges combine them (in chDB as in a server, within the run:
 * 110 `l1t analyze` runs into one folder kept 17-21 active parts over the 5 tables) and leave the source parts
 * "outdated" on disk. A MergeTree removes outdated parts from a cleanup task that runs `cleanup_delay_period`
 * (30 s) + up to `cleanup_delay_period_random_add` (10 s) after the table is loaded (ClickHouse docs, MergeTree
 * settings; chDB 26 measured: 47 outdated parts still on disk 35 s after open, gone at 40 s). An `l1t analyze`
 * run lives a few seconds, so the outdated parts piled up and were only now and then removed (those 110 runs:
 * 17-415 parts on disk at the 10-run checkpoints), and every open lists and loads them (~0.6 ms CPU each: a
 * table with ~450 outdated parts opened in 0.44 CPU-s, 0.17 once they were gone).
 * With a 1 s period, each open removes what the runs before it left once it has been open ~1-2 s (chDB
 * measured: 24 parts → 1 within 2 s of open; 100 runs with it: 18-29 parts on disk at every checkpoint).
 *
 * Not for a ClickHouse server: it runs for long and cleans up on its own; these settings are applied by
 * `ClickHouseAnomalyStore.migrate()` only when its executor is chDB, and only to tables that lack them, so an
 * up-to-date store pays one read of `system.tables` per open (~6 ms CPU). A table altered here takes the
 * period when it is next loaded (the next process): the cleanup task was already scheduled with the old one.
 */
export const EMBEDDED_CLEANUP_SETTINGS = {
  cleanup_delay_period: 1,
  cleanup_delay_period_random_add: 0,
  // the period grows up to this while there is nothing to clean; a long-running embedded server (`l1t serve`
  // without CLICKHOUSE_URL) then checks every 30 s instead of every 300 s — an in-memory scan of its parts
  max_cleanup_delay_period: 30,
} as const;

/** Applies `EMBEDDED_CLEANUP_SETTINGS` to the MergeTree tables of `database` that lack them; returns their names. */
export async function applyEmbeddedCleanupSettings(exec: ClickHouseExecutor, database: string): Promise<string[]> {
  const db = assertIdentifier(database);
  const tables = await exec.query<{ name: string; engine_full: string }>(
    `SELECT name, engine_full FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree'`,
    { db },
  );
  const wanted = Object.entries(EMBEDDED_CLEANUP_SETTINGS).map(([k, v]) => `${k} = ${v}`);
  const altered: string[] = [];
  for (const t of tables) {
    // engine_full ends with the table's SETTINGS clause as `name = value, …`
    if (wanted.every((s) => t.engine_full.includes(s))) continue;
    await exec.command(`ALTER TABLE ${db}.${assertIdentifier(t.name)} MODIFY SETTING ${wanted.join(', ')}`);
    altered.push(t.name);
  }
  return altered;
}
