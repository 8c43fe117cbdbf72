import { AdviceError, type AdviceProvider, type AdviceRequest, type ProviderEvent } from '../types.js';
import { SseParser } from './sse-parser.js';

export interface OpenAiProviderOptions {
  /** Base URL up to the API version, e.g. `http://vllm:8000/v1`, `http://localhost:11434/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Attempts including the first for 429/5xx answers before any byte of the answer. Default 3. */
  maxAttempts?: number;
  /** Time to the response headers, ms. Default 15000. */
  connectTimeoutMs?: number;
  /** Longest silence while the answer streams, ms. Default 30000. */
  idleTimeoutMs?: number;
  temperature?: number;
  /** Back-off base, ms (doubles per attempt; `Retry-After` wins when given). Default 500. */
  retryBaseMs?: number;
}

interface ChatChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: { message?: string };
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * OpenAI-compatible chat completions with `stream: true` (vLLM, Ollama, llama.cpp server, gateways): the body is
 * Server-Sent Events of `chat.completion.chunk` objects ending with `data: [DONE]`; `stream_options.include_usage`
 * asks for a final usage chunk.
 */
export class OpenAiProvider implements AdviceProvider {
  readonly name = 'openai' as const;
  readonly model: string;

  constructor(private readonly opts: OpenAiProviderOptions) {
    this.model = opts.model;
  }

  private async open(req: AdviceRequest, signal: AbortSignal): Promise<Response> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const attempts = Math.max(1, this.opts.maxAttempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      const headersTimeout = AbortSignal.timeout(this.opts.connectTimeoutMs ?? 15_000);
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: this.model,
            stream: true,
            stream_options: { include_usage: true },
            temperature: this.opts.temperature ?? 0.2,
            max_tokens: req.maxTokens ?? 2048,
            messages: [
              { role: 'system', content: req.system },
              { role: 'user', content: req.user },
            ],
          }),
          signal: AbortSignal.any([signal, headersTimeout]),
        });
      } catch (e) {
        if (signal.aborted) throw new AdviceError('aborted', 'request aborted', { cause: e });
        if (headersTimeout.aborted)
          throw new AdviceError('timeout', `no answer from ${url} within ${this.opts.connectTimeoutMs ?? 15_000} ms`, {
            cause: e,
          });
        if (attempt < attempts) {
          await sleep(this.backoff(attempt), signal);
          continue;
        }
        throw new AdviceError('upstream_error', `cannot reach ${url}: ${(e as Error).message}`, { cause: e });
      }
      if (res.ok) return res;
      const text = (await res.text().catch(() => '')).slice(0, 300);
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt < attempts) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 20_000) : this.backoff(attempt),
          signal,
        );
        continue;
      }
      throw new AdviceError(
        res.status === 429 ? 'throttled' : 'upstream_error',
        `chat completions answered ${res.status}: ${text}`,
      );
    }
  }

  private backoff(attempt: number): number {
    const base = this.opts.retryBaseMs ?? 500;
    return Math.min(10_000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  }

  async *stream(req: AdviceRequest, signal?: AbortSignal): AsyncGenerator<ProviderEvent> {
    // Our own controller: aborting it cancels the fetch (the upstream socket closes) for a caller abort,
    // an idle timeout, or a consumer that stops iterating early.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const idleMs = this.opts.idleTimeoutMs ?? 30_000;
    let idleTimer: NodeJS.Timeout | undefined;
    let idleFired = false;
    const armIdle = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idleFired = true;
        controller.abort(new Error('idle timeout'));
      }, idleMs);
    };
    try {
      const res = await this.open(req, controller.signal);
      if (!res.body) throw new AdviceError('upstream_error', 'chat completions answered without a body');
      const parser = new SseParser();
      const decoder = new TextDecoder();
      let usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
      let stopReason = 'unknown';
      let done = false;
      armIdle();
      const reader = res.body.getReader();
      try {
        while (!done) {
          const { value, done: eof } = await reader.read();
          if (eof) break;
          armIdle();
          for (const ev of parser.push(decoder.decode(value, { stream: true }))) {
            if (ev.data === '[DONE]') {
              done = true;
              break;
            }
            let chunk: ChatChunk;
            try {
              chunk = JSON.parse(ev.data) as ChatChunk;
            } catch (e) {
              throw new AdviceError('upstream_error', 'chat completions sent an event that is not JSON', { cause: e });
            }
            if (ev.event === 'error' || chunk.error)
              throw new AdviceError(
                'model_stream_error',
                `model stream error: ${chunk.error?.message ?? ev.data.slice(0, 200)}`,
              );
            const choice = chunk.choices?.[0];
            if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
            if (choice?.finish_reason) stopReason = choice.finish_reason;
            if (chunk.usage) {
              const u = chunk.usage;
              usage = {
                inputTokens: u.prompt_tokens ?? 0,
                outputTokens: u.completion_tokens ?? 0,
                totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
              };
            }
          }
        }
      } finally {
        clearTimeout(idleTimer);
        await reader.cancel().catch(() => {});
      }
      if (!done && stopReason === 'unknown')
        throw new AdviceError('upstream_error', 'chat completions stream ended before [DONE]');
      yield { type: 'end', usage, stopReason };
    } catch (e) {
      if (e instanceof AdviceError) throw e;
      if (signal?.aborted) throw new AdviceError('aborted', 'request aborted', { cause: e });
      if (idleFired) throw new AdviceError('timeout', `no data for ${idleMs} ms`, { cause: e });
      throw new AdviceError('upstream_error', `chat completions stream failed: ${(e as Error).message}`, { cause: e });
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }
}
