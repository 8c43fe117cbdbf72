/**
 * PostgreSQL migration 0005: the file views' body is `bytea` holding the document's JSON text gzip-compressed by
 * Node (native zlib, level 1: postgres/view-gzip.ts), instead of `json` (0003) stored uncompressed (0004). As
 * json every write still ran PostgreSQL's JSON lexer over the whole text in PGlite's WebAssembly and TOAST wrote
 * it all out; pglz (0004's reason) was slower still there. On the generated 100 MHz capture of bench:analyze
 * (5.4 MB of views, six 815 kB heatmaps) putFileViews alone on a migrated PGlite (baseline compiler, a fresh
 * process each) took 0.32–0.38 CPU-s as json and 0.12–0.13 as gzip (3 runs each, load ~2); the views take
 * 0.75 MB instead of 5.4 (level 1: 7.2×); a route sends the stored bytes as they are to a client that accepts
 * gzip (apps/server/src/routes/file-views.ts). bytea goes through Node's hex codec (pg-connection.ts).
 *
 * Rows written before become their UTF-8 JSON text; a reader tells the two apart by gzip's magic bytes 1f 8b
 * (JSON text never starts with 0x1f). `STORAGE EXTERNAL` again, in the same statement (a type change resets it
 * to bytea's EXTENDED, and the rows are rewritten after both: the old rows stay uncompressed, read without pglz,
 * as 0004 had them): gzip does not compress further, and pglz would only try.
 */
export const VERSION = 5;
export const NAME = 'file_views_gzip';

export const SQL = /* sql */ `
ALTER TABLE file_views
  ALTER COLUMN body TYPE bytea USING convert_to(body::text, 'UTF8'),
  ALTER COLUMN body SET STORAGE EXTERNAL;
`;
