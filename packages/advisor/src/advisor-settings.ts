import { z } from 'zod';
import { ConfigError, formatZodIssues, type Config } from '@l1t/contracts';

/**
 * Amazon Nova Pro on-demand price, us-east-1: USD 0.0008 per 1K input tokens and USD 0.0032 per 1K output
 * tokens (AWS Price List Bulk API, offer AmazonBedrock, us-east-1, publication 2026-09-01; the same figures as
 * https://aws.amazon.com/bedrock/pricing/ — $0.80 / $3.20 per million tokens). Override per deployment:
 * other regions, inference profiles and other models cost differently.
 */
export const NOVA_PRO_PRICE_PER_1K = { input: 0.0008, output: 0.0032 } as const;

const Num = z.coerce.number().min(0);

/** Advisor variables beyond `Config.advisor` (all optional, documented defaults). */
export const AdvisorEnv = z.object({
  OPENAI_API_KEY: z.string().optional(),
  /** USD per 1K input / output tokens of the configured model (default: Nova Pro's on-demand price for bedrock, 0 otherwise). */
  L1T_ADVISOR_PRICE_INPUT_PER_1K: Num.optional(),
  L1T_ADVISOR_PRICE_OUTPUT_PER_1K: Num.optional(),
  /** Generated (not cached) answers per user per minute. Default 10. */
  L1T_ADVISOR_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  L1T_ADVISOR_MAX_TOKENS: z.coerce.number().int().min(64).max(32_000).default(2048),
  L1T_ADVISOR_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  L1T_ADVISOR_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  L1T_ADVISOR_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  /** SSE heartbeat comment period, ms. Default 15000. */
  L1T_ADVISOR_HEARTBEAT_MS: z.coerce.number().int().min(10).default(15_000),
});

export interface AdvisorSettings {
  readonly provider: 'offline' | 'bedrock' | 'openai';
  readonly awsRegion: string;
  readonly bedrockModelId: string;
  readonly openaiBaseUrl?: string;
  readonly openaiModel?: string;
  readonly openaiApiKey?: string;
  readonly pricePer1k: { readonly input: number; readonly output: number };
  readonly rateLimitPerMinute: number;
  readonly maxTokens: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxAttempts: number;
  readonly heartbeatMs: number;
}

/** Reads the advisor settings once at start; a bad value throws ConfigError naming the variable. */
export function loadAdvisorSettings(
  advisor: Config['advisor'],
  env: Record<string, string | undefined>,
): AdvisorSettings {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in AdvisorEnv.shape && v !== undefined && v !== ''),
  );
  const parsed = AdvisorEnv.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(`configuration: ${formatZodIssues(parsed.error)}`);
  const e = parsed.data;
  if (advisor.provider === 'openai' && (!advisor.openaiBaseUrl || !advisor.openaiModel))
    throw new ConfigError('configuration: L1T_ADVISOR=openai needs OPENAI_BASE_URL and OPENAI_MODEL');
  const defaults = advisor.provider === 'bedrock' ? NOVA_PRO_PRICE_PER_1K : { input: 0, output: 0 };
  return Object.freeze({
    ...advisor,
    ...(e.OPENAI_API_KEY ? { openaiApiKey: e.OPENAI_API_KEY } : {}),
    pricePer1k: Object.freeze({
      input: e.L1T_ADVISOR_PRICE_INPUT_PER_1K ?? defaults.input,
      output: e.L1T_ADVISOR_PRICE_OUTPUT_PER_1K ?? defaults.output,
    }),
    rateLimitPerMinute: e.L1T_ADVISOR_RATE_LIMIT,
    maxTokens: e.L1T_ADVISOR_MAX_TOKENS,
    connectTimeoutMs: e.L1T_ADVISOR_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: e.L1T_ADVISOR_IDLE_TIMEOUT_MS,
    maxAttempts: e.L1T_ADVISOR_MAX_ATTEMPTS,
    heartbeatMs: e.L1T_ADVISOR_HEARTBEAT_MS,
  });
}

/** Estimated cost in USD of one answer, rounded to 1e-6. */
export function estimateCost(
  usage: { inputTokens: number; outputTokens: number },
  price: { input: number; output: number },
): number {
  return (
    Math.round(((usage.inputTokens / 1000) * price.input + (usage.outputTokens / 1000) * price.output) * 1e6) / 1e6
  );
}
