import type { Anomaly } from '@l1t/contracts';
import type { KnowledgeDocument } from '@l1t/store';

/** Token counts of one answer (what the provider reported; 0 when it reports nothing). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** Why the model stopped: `end_turn`, `max_tokens`, `stop`, `length`… as the provider names it. */
export type StopReason = string;

/** One event of a provider stream: text deltas in order, then exactly one `end`. */
export type ProviderEvent = { type: 'text'; text: string } | { type: 'end'; usage: TokenUsage; stopReason: StopReason };

/** Everything a provider may use to answer: the prompt (LLMs) and its sources (the offline engine). */
export interface AdviceRequest {
  system: string;
  user: string;
  anomaly: Anomaly;
  /** Knowledge passages chosen for the prompt; the entry of the anomaly's type first when it exists. */
  knowledge: KnowledgeDocument[];
  maxTokens?: number;
}

/**
 * A recommendation provider. `stream` yields text chunks then one `end` event; aborting `signal` cancels
 * the upstream request and makes the iterator throw an `AbortError`.
 */
export interface AdviceProvider {
  readonly name: 'bedrock' | 'openai' | 'offline';
  readonly model: string;
  stream(req: AdviceRequest, signal?: AbortSignal): AsyncIterable<ProviderEvent>;
}

/** A provider failure with a stable code for `event: error` (never the upstream's internals). */
export class AdviceError extends Error {
  override name = 'AdviceError';
  constructor(
    readonly code: 'throttled' | 'upstream_error' | 'model_stream_error' | 'timeout' | 'aborted' | 'bad_config',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const ZERO_USAGE: TokenUsage = Object.freeze({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

export function isAbortError(e: unknown): boolean {
  return (
    e instanceof Error &&
    (e.name === 'AbortError' || (e instanceof AdviceError && e.code === 'aborted') || e.name === 'RequestAbortedError')
  );
}
