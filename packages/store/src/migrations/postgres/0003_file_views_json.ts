/**
 * PostgreSQL migration 0003: the file views' body is `json`, not `jsonb`. The documents are written once per
 * analysis and only ever sent back whole as text (`body::text`, file-views-repo.ts); jsonb parsed each one
 * into its binary form on insert and printed it back on read, for no query that needs it. On the generated
 * 100 MHz capture of bench:analyze (6 heatmaps of 234 × 273 cells, 5.4 MB of views) writing them into PGlite
 * took 0.9–1.1 CPU-s as jsonb and 0.4 as json (issue 14: store throughput). json keeps the text as written.
 */
export const VERSION = 3;
export const NAME = 'file_views_json';

export const SQL = /* sql */ `
ALTER TABLE file_views ALTER COLUMN body TYPE json USING body::json;
`;
