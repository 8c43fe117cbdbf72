import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Drizzle view of the metadata schema. The SQL of `migrations/postgres/` is the source of truth (it is
 * what runs); these definitions give typed queries and must match it (checked by schema.int.test.ts).
 */
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** pg-core (drizzle-orm 0.45) has no bytea; both drivers read it as a Buffer (PGlite: pg-connection.ts). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'admin' | 'engineer' | 'viewer'>().notNull().default('viewer'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at'),
    expiresAt: tstz('expires_at'),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status').$type<'running' | 'done' | 'failed' | 'partial'>().notNull().default('running'),
  createdBy: text('created_by'),
  startedAt: tstz('started_at').notNull(),
  finishedAt: tstz('finished_at'),
  durationMs: doublePrecision('duration_ms'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const files = pgTable(
  'files',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id'),
    name: text('name').notNull(),
    path: text('path'),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull().unique(),
    format: text('format').notNull(),
    formatDetail: text('format_detail'),
    status: text('status').notNull().default('queued'),
    progress: doublePrecision('progress').notNull().default(0),
    anomalyCount: integer('anomaly_count').notNull().default(0),
    packetCount: bigint('packet_count', { mode: 'number' }).notNull().default(0),
    error: text('error'),
    warning: text('warning'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    durationMs: doublePrecision('duration_ms'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('files_session').on(t.sessionId, t.createdAt), index('files_status').on(t.status, t.createdAt)],
);

export const analysisJobs = pgTable('analysis_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  fileId: text('file_id')
    .notNull()
    .references(() => files.id, { onDelete: 'cascade' }),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(3),
  lockedBy: text('locked_by'),
  lockedAt: tstz('locked_at'),
  runAfter: tstz('run_after').notNull().defaultNow(),
  payload: jsonb('payload')
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  error: text('error'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const anomalyStatus = pgTable('anomaly_status', {
  anomalyId: text('anomaly_id').primaryKey(),
  status: text('status').notNull(),
  note: text('note'),
  userId: text('user_id'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const anomalyStatusHistory = pgTable('anomaly_status_history', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  anomalyId: text('anomaly_id').notNull(),
  status: text('status').notNull(),
  note: text('note'),
  userId: text('user_id'),
  at: tstz('at').notNull().defaultNow(),
});

export const recommendations = pgTable(
  'recommendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    anomalyId: text('anomaly_id').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    text: text('text').notNull(),
    usage: jsonb('usage')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    cost: doublePrecision('cost'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [unique().on(t.anomalyId, t.provider, t.model, t.promptVersion)],
);

export const knowledgeDocuments = pgTable('knowledge_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  anomalyType: text('anomaly_type'),
  body: text('body').notNull(),
  tags: text('tags')
    .array()
    .notNull()
    .default(sql`'{}'`),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  search: tsvector('search').generatedAlwaysAs(sql``),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const profiles = pgTable('profiles', {
  name: text('name').primaryKey(),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const siteModels = pgTable(
  'site_models',
  {
    site: text('site').notNull(),
    kind: text('kind').notNull(),
    model: jsonb('model').$type<Record<string, unknown>>().notNull(),
    trainedOnFiles: integer('trained_on_files').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.site, t.kind] })],
);

export const fileViews = pgTable(
  'file_views',
  {
    fileId: text('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    // gzip of the document's JSON text, or for rows written before migration 0005 the text itself (view-gzip.ts)
    body: bytea('body').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.kind] })],
);

export const schemaMigrations = pgTable('schema_migrations', {
  version: integer('version').primaryKey(),
  name: text('name').notNull(),
  appliedAt: tstz('applied_at').notNull().defaultNow(),
});

export const schema = {
  users,
  apiTokens,
  sessions,
  files,
  analysisJobs,
  anomalyStatus,
  anomalyStatusHistory,
  recommendations,
  knowledgeDocuments,
  settings,
  profiles,
  siteModels,
  fileViews,
  schemaMigrations,
};
export type Schema = typeof schema;
