import { z } from 'zod';
import { formatZodIssues } from './profile.js';

const Port = z.coerce.number().int().min(1).max(65535);
const OnOff = z.enum(['on', 'off']);

/** Environment variables of interfaces.md §Configuration, with their defaults. */
export const ConfigEnv = z.object({
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_HOST: z.string().min(1).optional(),
  CLICKHOUSE_PORT: Port.optional(),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier')
    .default('l1_troubleshooting'),
  /** Cluster of remote_servers: migrations run ON CLUSTER, replicated + Distributed tables (docs/scaling.md). */
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier')
    .optional(),
  CLICKHOUSE_USERNAME: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
  PGHOST: z.string().min(1).optional(),
  PGPORT: Port.optional(),
  PGDATABASE: z.string().optional(),
  PGUSER: z.string().optional(),
  PGPASSWORD: z.string().optional(),
  AWS_REGION: z.string().default('us-east-1'),
  BEDROCK_MODEL_ID: z.string().min(1).default('amazon.nova-pro-v1:0'),
  L1T_ADVISOR: z.enum(['offline', 'bedrock', 'openai']).default('offline'),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().optional(),
  L1T_AUTH: OnOff.optional(),
  L1T_DATA_DIR: z.string().min(1).default('.l1t'),
  L1T_UPLOAD_DIR: z.string().min(1).optional(),
  L1T_SERVE_JOBS: z.coerce.number().int().min(0).max(64).default(1),
  L1T_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 ** 3),
  L1T_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  PORT: Port.default(5000),
});

export type ClickHouseConfig =
  | { kind: 'embedded'; dataDir: string; database: string }
  | { kind: 'http'; url: string; database: string; username?: string; password?: string; cluster?: string };

export type PostgresConfig = { kind: 'embedded'; dataDir: string } | { kind: 'server'; url: string };

/** Configuration parsed once at start, validated and frozen (DESIGN.md §Conventions 6). */
export interface Config {
  readonly clickhouse: ClickHouseConfig;
  readonly postgres: PostgresConfig;
  readonly dataDir: string;
  /** Where uploads are stored, content-addressed (default `<L1T_DATA_DIR>/uploads`; EFS on EKS). */
  readonly uploadDir: string;
  readonly uploadMaxBytes: number;
  /** Analysis jobs the server process runs itself (0: leave them all to `l1t worker` pods). */
  readonly serveJobs: number;
  readonly port: number;
  readonly auth: boolean;
  readonly production: boolean;
  readonly logLevel: string;
  readonly advisor: {
    readonly provider: 'offline' | 'bedrock' | 'openai';
    readonly awsRegion: string;
    readonly bedrockModelId: string;
    readonly openaiBaseUrl?: string;
    readonly openaiModel?: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function joinPath(base: string, child: string): string {
  return base.endsWith('/') ? base + child : `${base}/${child}`;
}

/** Reads the environment into a frozen Config; a bad value throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigEnv.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(`configuration: ${formatZodIssues(parsed.error)}`);
  const e = parsed.data;
  const dataDir = e.L1T_DATA_DIR;

  let clickhouse: ClickHouseConfig;
  if (e.CLICKHOUSE_URL || e.CLICKHOUSE_HOST) {
    const url = e.CLICKHOUSE_URL ?? `http://${e.CLICKHOUSE_HOST}:${e.CLICKHOUSE_PORT ?? 8123}`;
    clickhouse = {
      kind: 'http',
      url,
      database: e.CLICKHOUSE_DATABASE,
      ...(e.CLICKHOUSE_USERNAME !== undefined ? { username: e.CLICKHOUSE_USERNAME } : {}),
      ...(e.CLICKHOUSE_PASSWORD !== undefined ? { password: e.CLICKHOUSE_PASSWORD } : {}),
      ...(e.CLICKHOUSE_CLUSTER !== undefined ? { cluster: e.CLICKHOUSE_CLUSTER } : {}),
    };
  } else {
    if (e.CLICKHOUSE_CLUSTER !== undefined)
      throw new ConfigError(
        'configuration: CLICKHOUSE_CLUSTER needs a ClickHouse server (CLICKHOUSE_URL or CLICKHOUSE_HOST)',
      );
    clickhouse = { kind: 'embedded', dataDir: joinPath(dataDir, 'clickhouse'), database: e.CLICKHOUSE_DATABASE };
  }

  let postgres: PostgresConfig;
  if (e.DATABASE_URL) postgres = { kind: 'server', url: e.DATABASE_URL };
  else if (e.PGHOST) {
    const user = encodeURIComponent(e.PGUSER ?? 'postgres');
    const pass = e.PGPASSWORD !== undefined ? `:${encodeURIComponent(e.PGPASSWORD)}` : '';
    postgres = {
      kind: 'server',
      url: `postgresql://${user}${pass}@${e.PGHOST}:${e.PGPORT ?? 5432}/${encodeURIComponent(e.PGDATABASE ?? 'postgres')}`,
    };
  } else postgres = { kind: 'embedded', dataDir: joinPath(dataDir, 'postgres') };

  const production = e.NODE_ENV === 'production';
  const config: Config = {
    clickhouse,
    postgres,
    dataDir,
    uploadDir: e.L1T_UPLOAD_DIR ?? joinPath(dataDir, 'uploads'),
    uploadMaxBytes: e.L1T_UPLOAD_MAX_BYTES,
    serveJobs: e.L1T_SERVE_JOBS,
    port: e.PORT,
    // Auth is on by default in production; the local embedded start may run without it (and says so).
    auth: e.L1T_AUTH ? e.L1T_AUTH === 'on' : production,
    production,
    logLevel: e.L1T_LOG_LEVEL,
    advisor: {
      provider: e.L1T_ADVISOR,
      awsRegion: e.AWS_REGION,
      bedrockModelId: e.BEDROCK_MODEL_ID,
      ...(e.OPENAI_BASE_URL ? { openaiBaseUrl: e.OPENAI_BASE_URL } : {}),
      ...(e.OPENAI_MODEL ? { openaiModel: e.OPENAI_MODEL } : {}),
    },
  };
  return Object.freeze(config);
}

/** Where a configured address came from, for one-line "cannot reach" messages that name the variable. */
export function describeClickHouse(c: ClickHouseConfig): string {
  return c.kind === 'http' ? `CLICKHOUSE_URL=${redactUrl(c.url)}` : `embedded chDB at ${c.dataDir}`;
}
export function describePostgres(c: PostgresConfig): string {
  return c.kind === 'server' ? `DATABASE_URL=${redactUrl(c.url)}` : `embedded PGlite at ${c.dataDir}`;
}

/** Hides the password of a URL (scheme://user:password@host) so that it never reaches a log. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
