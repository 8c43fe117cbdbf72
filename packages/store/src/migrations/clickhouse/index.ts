import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_dashboard_projections.js';
import * as m0003 from './0003_incidents.js';
import * as m0004 from './0004_link_flows.js';
import * as m0005 from './0005_insert_deduplication.js';
import * as m0006 from './0006_query_plans.js';

export interface ClickHouseMigration {
  readonly version: number;
  readonly name: string;
  /** SQL with `__DB__` standing for the database identifier. */
  readonly statements: readonly string[];
}

/** Every ClickHouse migration, in the order applied. Add `000N_name.ts` and list it here. */
export const CLICKHOUSE_MIGRATIONS: readonly ClickHouseMigration[] = [
  { version: m0001.VERSION, name: m0001.NAME, statements: m0001.STATEMENTS },
  { version: m0002.VERSION, name: m0002.NAME, statements: m0002.STATEMENTS },
  { version: m0003.VERSION, name: m0003.NAME, statements: m0003.STATEMENTS },
  { version: m0004.VERSION, name: m0004.NAME, statements: m0004.STATEMENTS },
  { version: m0005.VERSION, name: m0005.NAME, statements: m0005.STATEMENTS },
  { version: m0006.VERSION, name: m0006.NAME, statements: m0006.STATEMENTS },
];
