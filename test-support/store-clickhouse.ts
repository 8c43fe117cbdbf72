/**
 * A real ClickHouse engine for tests of other packages (e.g. the server's /readyz): chDB behind ClickHouse's
 * HTTP interface in a child process on 127.0.0.1. Use its `url` as CLICKHOUSE_URL.
 */
export { startChdbHttpFixture, type ChdbHttpFixture } from '../packages/store/src/test-support/chdb-http-fixture.js';
