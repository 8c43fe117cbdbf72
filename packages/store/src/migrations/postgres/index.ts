import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_file_views.js';
import * as m0003 from './0003_file_views_json.js';
import * as m0004 from './0004_file_views_external.js';
import * as m0005 from './0005_file_views_gzip.js';

export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every PostgreSQL migration, in the order applied. Add `000N_name.ts` and list it here. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  { version: m0001.VERSION, name: m0001.NAME, sql: m0001.SQL },
  { version: m0002.VERSION, name: m0002.NAME, sql: m0002.SQL },
  { version: m0003.VERSION, name: m0003.NAME, sql: m0003.SQL },
  { version: m0004.VERSION, name: m0004.NAME, sql: m0004.SQL },
  { version: m0005.VERSION, name: m0005.NAME, sql: m0005.SQL },
];
