/**
 * PostgreSQL migration 0002: the file analysis page's views (issue 16: per-flow table, arrival-offset
 * histograms and scatter, PRB × time heatmaps), one bounded JSON document per file and kind, written when the
 * analysis ends and removed with the file.
 */
export const VERSION = 2;
export const NAME = 'file_views';

export const SQL = /* sql */ `
CREATE TABLE file_views (
  file_id text NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  kind text NOT NULL,
  body jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_id, kind)
);
`;
