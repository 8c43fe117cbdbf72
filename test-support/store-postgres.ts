/**
 * A throw-away database on the PostgreSQL server of DATABASE_URL for tests of other packages: created
 * empty, `drop()` removes it.
 */
export { createTestDatabase } from '../packages/store/src/test-support/postgres-server.js';
