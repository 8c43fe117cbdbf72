import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type BedrockRuntimeClientConfig,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AdviceError, type AdviceProvider, type AdviceRequest, type ProviderEvent } from '../types.js';

export interface BedrockProviderOptions {
  region: string;
  /** Model or inference-profile id (`amazon.nova-pro-v1:0`, `us.amazon.nova-pro-v1:0`, an ARN). */
  modelId: string;
  /** Attempts including the first (adaptive retry mode: throttling backs off and rate-limits the client). Default 4. */
  maxAttempts?: number;
  /** TCP/TLS connect timeout, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Socket idle timeout while the answer streams, ms. Default 30000. */
  idleTimeoutMs?: number;
  temperature?: number;
  /** Tests and special set-ups only; production uses the default chain (IRSA on EKS) and `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  endpoint?: string;
}

/**
 * Amazon Bedrock `ConverseStream` through the AWS SDK: no proxy process. Region, model and timeouts come from
 * the options; credentials from the SDK's default chain; the endpoint from the SDK convention
 * (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`) unless given. `NodeHttpHandler` (HTTP/1.1) carries the event stream so
 * connect and idle timeouts apply and an abort closes the socket.
 */
export class BedrockProvider implements AdviceProvider {
  readonly name = 'bedrock' as const;
  readonly model: string;
  readonly client: BedrockRuntimeClient;
  private readonly temperature: number;

  constructor(opts: BedrockProviderOptions) {
    this.model = opts.modelId;
    this.temperature = opts.temperature ?? 0.2;
    this.client = new BedrockRuntimeClient({
      region: opts.region,
      retryMode: 'adaptive',
      maxAttempts: opts.maxAttempts ?? 4,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: opts.connectTimeoutMs ?? 3_000,
        socketTimeout: opts.idleTimeoutMs ?? 30_000,
      }),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    });
  }

  async *stream(req: AdviceRequest, signal?: AbortSignal): AsyncGenerator<ProviderEvent> {
    // Our own controller: the request is cancelled (socket closed) on a caller abort and also when the
    // consumer stops iterating early, so no model stream is left running unread.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      yield* this.converse(req, controller.signal, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  private async *converse(
    req: AdviceRequest,
    abortSignal: AbortSignal,
    signal?: AbortSignal,
  ): AsyncGenerator<ProviderEvent> {
    let response;
    try {
      response = await this.client.send(
        new ConverseStreamCommand({
          modelId: this.model,
          system: [{ text: req.system }],
          messages: [{ role: 'user', content: [{ text: req.user }] }],
          inferenceConfig: { maxTokens: req.maxTokens ?? 2048, temperature: this.temperature },
        }),
        { abortSignal },
      );
    } catch (e) {
      throw toAdviceError(e, signal);
    }
    if (!response.stream) throw new AdviceError('upstream_error', 'Bedrock answered without an event stream');
    let usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    let stopReason = 'unknown';
    try {
      for await (const ev of response.stream as AsyncIterable<ConverseStreamOutput>) {
        if (ev.contentBlockDelta?.delta?.text) yield { type: 'text', text: ev.contentBlockDelta.delta.text };
        else if (ev.messageStop) stopReason = ev.messageStop.stopReason ?? stopReason;
        else if (ev.metadata?.usage) {
          const u = ev.metadata.usage;
          usage = {
            inputTokens: u.inputTokens ?? 0,
            outputTokens: u.outputTokens ?? 0,
            totalTokens: u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0),
          };
        } else {
          const err =
            ev.modelStreamErrorException ??
            ev.internalServerException ??
            ev.throttlingException ??
            ev.validationException ??
            ev.serviceUnavailableException;
          if (err) throw streamError(ev, err.message);
        }
      }
    } catch (e) {
      throw toAdviceError(e, signal);
    }
    signal?.throwIfAborted();
    yield { type: 'end', usage, stopReason };
  }
}

function streamError(ev: ConverseStreamOutput, message: string | undefined): AdviceError {
  const code = ev.modelStreamErrorException
    ? 'model_stream_error'
    : ev.throttlingException
      ? 'throttled'
      : 'upstream_error';
  return new AdviceError(code, `Bedrock stream error: ${message ?? 'no message'}`);
}

/** Maps SDK errors to stable codes; an abort stays an abort. */
function toAdviceError(e: unknown, signal?: AbortSignal): Error {
  if (e instanceof AdviceError) return e;
  if (signal?.aborted) return new AdviceError('aborted', 'request aborted', { cause: e });
  const name = e instanceof Error ? e.name : '';
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'AbortError') return new AdviceError('aborted', 'request aborted', { cause: e });
  if (name === 'ModelStreamErrorException')
    return new AdviceError('model_stream_error', `Bedrock model stream error: ${message}`, { cause: e });
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException')
    return new AdviceError('throttled', `Bedrock throttled the request after retries: ${message}`, { cause: e });
  if (name === 'TimeoutError' || /timeout/i.test(message))
    return new AdviceError('timeout', `Bedrock timed out: ${message}`, { cause: e });
  return new AdviceError('upstream_error', `Bedrock ${name || 'error'}: ${message}`, { cause: e });
}
