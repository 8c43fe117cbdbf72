/**
 * PostgreSQL migration 0001: the metadata schema. `postgres/schema.ts` mirrors these tables for Drizzle;
 * the schema test checks that both agree. Applied in one transaction, under an advisory lock on a server.
 */
export const VERSION = 1;
export const NAME = 'initial';

export const SQL = /* sql */ `
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'engineer', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of each token is stored: a leaked table does not leak credentials.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'partial')),
  created_by text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms double precision,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per content: the sha256 is unique, an identical upload answers with the existing file.
CREATE TABLE files (
  id text PRIMARY KEY,
  session_id text,
  name text NOT NULL,
  path text,
  size bigint NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  format text NOT NULL,
  format_detail text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'analysing', 'done', 'failed')),
  progress double precision NOT NULL DEFAULT 0,
  anomaly_count integer NOT NULL DEFAULT 0,
  packet_count bigint NOT NULL DEFAULT 0,
  error text,
  warning text,
  summary jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_session ON files (session_id, created_at);
CREATE INDEX files_status ON files (status, created_at);

-- Work queue: claimed with FOR UPDATE SKIP LOCKED; a lock older than the timeout is reclaimed.
CREATE TABLE analysis_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  file_id text NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3,
  locked_by text,
  locked_at timestamptz,
  run_after timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analysis_jobs_ready ON analysis_jobs (run_after, created_at) WHERE status = 'queued';
CREATE INDEX analysis_jobs_locked ON analysis_jobs (locked_at) WHERE status = 'running';
CREATE INDEX analysis_jobs_file ON analysis_jobs (file_id);

-- Anomalies live in ClickHouse; their review workflow (current status + history) lives here.
CREATE TABLE anomaly_status (
  anomaly_id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
  note text,
  user_id text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_status_status ON anomaly_status (status);

CREATE TABLE anomaly_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  anomaly_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
  note text,
  user_id text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_status_history_anomaly ON anomaly_status_history (anomaly_id, at);

-- Cached advice: one per anomaly, provider, model and prompt version.
CREATE TABLE recommendations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  anomaly_id text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  prompt_version text NOT NULL,
  text text NOT NULL,
  usage jsonb NOT NULL DEFAULT '{}'::jsonb,
  cost double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (anomaly_id, provider, model, prompt_version)
);

CREATE TABLE knowledge_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  anomaly_type text,
  body text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Keyword search: title and type weigh more than the body. 'simple' keeps technical tokens (eAxC, PRB,
  -- seq_gap) unstemmed; 'english' adds stemmed words of the prose.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(anomaly_type, '')), 'A') ||
    setweight(to_tsvector('english', body), 'B') ||
    setweight(to_tsvector('simple', body), 'C')
  ) STORED
);
CREATE INDEX knowledge_documents_search ON knowledge_documents USING gin (search);
CREATE INDEX knowledge_documents_type ON knowledge_documents (anomaly_type);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
  name text PRIMARY KEY,
  document jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per-site learned models (e.g. the ML detector's baseline), trained on a number of files.
CREATE TABLE site_models (
  site text NOT NULL,
  kind text NOT NULL,
  model jsonb NOT NULL,
  trained_on_files integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site, kind)
);
`;
