import { afterEach, describe, expect, it } from 'vitest';
import { openAiAnswer, startFakeUpstream, type FakeUpstream } from '../test-support/fake-upstreams.js';
import { sampleRequest } from '../test-support/sample-anomaly.js';
import type { ProviderEvent } from '../types.js';
import { OpenAiProvider } from './openai-provider.js';

async function collect(it: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

describe('OpenAiProvider (fetch against a local SSE chat-completions endpoint)', () => {
  let fake: FakeUpstream | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const make = (f: FakeUpstream, over: Partial<ConstructorParameters<typeof OpenAiProvider>[0]> = {}) =>
    new OpenAiProvider({ baseUrl: `${f.url}/v1`, model: 'qwen2.5-7b', apiKey: 'sk-test', retryBaseMs: 10, ...over });

  it('streams deltas in order, then the usage chunk and finish reason', async () => {
    fake = await startFakeUpstream([openAiAnswer(['## Root', ' cause', '\n'], { gapMs: 5 })]);
    expect(await collect(make(fake).stream(sampleRequest()))).toEqual([
      { type: 'text', text: '## Root' },
      { type: 'text', text: ' cause' },
      { type: 'text', text: '\n' },
      { type: 'end', usage: { inputTokens: 90, outputTokens: 12, totalTokens: 102 }, stopReason: 'stop' },
    ]);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.parse(sent.body)).toMatchObject({
      model: 'qwen2.5-7b',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'You are an expert.' },
        { role: 'user', content: 'What now?' },
      ],
    });
  });

  it('parses events split at any byte boundary', async () => {
    fake = await startFakeUpstream([
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const text =
          'data: {"choices":[{"delta":{"content":"é✓"},"finish_reason":null}]}\r\n\r\n' +
          ': keep-alive\n\n' +
          'data: {"choices":[{"delta":{},"finish_reason":"length"}]}\n\ndata: [DONE]\n\n';
        const bytes = Buffer.from(text, 'utf8');
        for (let i = 0; i < bytes.length; i += 3) {
          res.write(bytes.subarray(i, i + 3));
          await new Promise((r) => setTimeout(r, 1));
        }
        res.end();
      },
    ]);
    expect(await collect(make(fake).stream(sampleRequest()))).toEqual([
      { type: 'text', text: 'é✓' },
      { type: 'end', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, stopReason: 'length' },
    ]);
  });

  it('retries HTTP 429 (Retry-After) and then succeeds', async () => {
    fake = await startFakeUpstream([
      (_req, res) => {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end('{"error":{"message":"rate limited"}}');
      },
      openAiAnswer(['ok']),
    ]);
    const events = await collect(make(fake).stream(sampleRequest()));
    expect(events[0]).toEqual({ type: 'text', text: 'ok' });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports an error event in the middle of the stream', async () => {
    fake = await startFakeUpstream([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"delta":{"content":"partial"}}]}\n\n');
        res.end('data: {"error":{"message":"model crashed"}}\n\n');
      },
    ]);
    const seen: ProviderEvent[] = [];
    await expect(
      (async () => {
        for await (const ev of make(fake!).stream(sampleRequest())) seen.push(ev);
      })(),
    ).rejects.toMatchObject({ code: 'model_stream_error', message: expect.stringContaining('model crashed') });
    expect(seen).toEqual([{ type: 'text', text: 'partial' }]);
  });

  it('rejects a stream cut before [DONE]', async () => {
    fake = await startFakeUpstream([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('data: {"choices":[{"delta":{"content":"partial"}}]}\n\n');
      },
    ]);
    await expect(collect(make(fake).stream(sampleRequest()))).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('cancels the upstream request when the caller aborts a slow stream (the server sees the socket close)', async () => {
    fake = await startFakeUpstream([
      openAiAnswer(
        Array.from({ length: 50 }, (_, i) => `t${i} `),
        { gapMs: 100 },
      ),
    ]);
    const controller = new AbortController();
    let n = 0;
    const run = (async () => {
      for await (const ev of make(fake!).stream(sampleRequest(), controller.signal))
        if (ev.type === 'text' && ++n === 2) controller.abort();
    })();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    await fake.clientClosed(0);
  });

  it('times out a stalled stream (idle timeout) and closes the connection', async () => {
    fake = await startFakeUpstream([
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
        await new Promise((r) => setTimeout(r, 3_000));
        res.end();
      },
    ]);
    await expect(collect(make(fake, { idleTimeoutMs: 200 }).stream(sampleRequest()))).rejects.toMatchObject({
      code: 'timeout',
    });
    await fake.clientClosed(0);
  });
});
