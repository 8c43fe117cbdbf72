/**
 * PostgreSQL migration 0004: the file views' body is stored out of line WITHOUT compression (`STORAGE EXTERNAL`).
 * A document is written once per analysis and sent back whole; PostgreSQL's default (`EXTENDED`) ran pglz over
 * every one above 2 kB on insert and again on each read. On the generated 100 MHz capture of bench:analyze
 * (5.4 MB of views, six 815 kB heatmaps) writing them into PGlite on V8's baseline compiler took 0.71–0.78 CPU-s
 * compressed and 0.54–0.59 stored as they are (6 runs each, load ~11; issue 14 item 5). The cost: those views
 * take their text's size on disk (that file's: 5.4 MB instead of 0.7 MB). Rows written before keep their
 * compressed form; the stored text is the same either way. (PGlite has no lz4, the cheaper compression.)
 * Superseded by 0005: the views are compressed by Node before they reach PostgreSQL (0.75 MB, and cheaper still).
 */
export const VERSION = 4;
export const NAME = 'file_views_external';

export const SQL = /* sql */ `
ALTER TABLE file_views ALTER COLUMN body SET STORAGE EXTERNAL;
`;
