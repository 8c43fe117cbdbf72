import { afterEach, describe, expect, it } from 'vitest';
import {
  awsError,
  bedrockEvent,
  bedrockException,
  converseEvents,
  eventStreamAnswer,
  startFakeUpstream,
  type FakeUpstream,
} from '../test-support/fake-upstreams.js';
import { sampleRequest } from '../test-support/sample-anomaly.js';
import { AdviceError, type ProviderEvent } from '../types.js';
import { BedrockProvider } from './bedrock-provider.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

async function collect(it: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

/** The provider as production builds it; the test points the SDK at the fake through AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
function provider(_fake: FakeUpstream, opts: { idleTimeoutMs?: number } = {}): BedrockProvider {
  return new BedrockProvider({ region: 'us-east-1', modelId: 'amazon.nova-pro-v1:0', credentials, ...opts });
}

describe('BedrockProvider (real SDK client against a local event-stream endpoint)', () => {
  let fake: FakeUpstream | undefined;
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  /** Starts the fake and sets the SDK's endpoint variable to it (read by the SDK when the request is sent). */
  async function start(scripts: Parameters<typeof startFakeUpstream>[0]): Promise<FakeUpstream> {
    fake = await startFakeUpstream(scripts);
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    return fake;
  }
  afterEach(async () => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = savedEndpoint;
    await fake?.close();
    fake = undefined;
  });

  it('streams text deltas in order, then the metadata usage and stop reason', async () => {
    fake = await start([eventStreamAnswer(converseEvents(['## Root', ' cause', ' analysis\n']), 5)]);
    const events = await collect(provider(fake).stream(sampleRequest()));
    expect(events).toEqual([
      { type: 'text', text: '## Root' },
      { type: 'text', text: ' cause' },
      { type: 'text', text: ' analysis\n' },
      { type: 'end', usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 }, stopReason: 'end_turn' },
    ]);
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/model/amazon.nova-pro-v1%3A0/converse-stream');
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
    const body = JSON.parse(sent.body);
    expect(body.system).toEqual([{ text: 'You are an expert.' }]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'What now?' }] }]);
    expect(body.inferenceConfig.maxTokens).toBe(256);
  });

  it('accepts an inference-profile id as the model', async () => {
    fake = await start([eventStreamAnswer(converseEvents(['ok']))]);
    const p = new BedrockProvider({ region: 'us-east-1', modelId: 'us.amazon.nova-pro-v1:0', credentials });
    await collect(p.stream(sampleRequest()));
    expect(fake.requests[0]!.path).toBe('/model/us.amazon.nova-pro-v1%3A0/converse-stream');
  });

  it('retries an HTTP 429 ThrottlingException and then succeeds', async () => {
    fake = await start([
      awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'),
      eventStreamAnswer(converseEvents(['after', ' retry'])),
    ]);
    const events = await collect(provider(fake).stream(sampleRequest()));
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text)).toEqual([
      'after',
      ' retry',
    ]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers['amz-sdk-request']).toMatch(/attempt=2/);
  });

  it('gives up with a throttled error when every attempt is throttled', async () => {
    fake = await start([awsError(429, 'ThrottlingException', 'slow down')]);
    const p = new BedrockProvider({
      region: 'us-east-1',
      modelId: 'm',
      credentials,
      endpoint: fake.url,
      maxAttempts: 2,
    });
    await expect(collect(p.stream(sampleRequest()))).rejects.toMatchObject({ name: 'AdviceError', code: 'throttled' });
    expect(fake.requests).toHaveLength(2);
  });

  it('surfaces a mid-stream modelStreamErrorException after the text already streamed', async () => {
    fake = await start([
      eventStreamAnswer([
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'partial' } }),
        bedrockException('modelStreamErrorException', {
          message: 'Model stream failed',
          originalStatusCode: 500,
          originalMessage: 'boom',
        }),
      ]),
    ]);
    const seen: ProviderEvent[] = [];
    const err = await (async () => {
      try {
        for await (const ev of provider(fake!).stream(sampleRequest())) seen.push(ev);
      } catch (e) {
        return e;
      }
    })();
    expect(seen).toEqual([{ type: 'text', text: 'partial' }]);
    expect(err).toBeInstanceOf(AdviceError);
    expect(err).toMatchObject({ code: 'model_stream_error' });
    expect((err as Error).message).toContain('Model stream failed');
    expect(fake.requests).toHaveLength(1); // a stream already under way is not retried
  });

  it('cancels the upstream request when the caller aborts a slow stream (the server sees the socket close)', async () => {
    fake = await start([eventStreamAnswer(converseEvents(Array.from({ length: 50 }, (_, i) => `t${i} `)), 100)]);
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const ev of provider(fake!).stream(sampleRequest(), controller.signal)) {
        if (ev.type === 'text') {
          seen.push(ev.text);
          if (seen.length === 2) controller.abort();
        }
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    await fake.clientClosed(0); // resolves only when the connection closed before the answer ended
    expect(seen.length).toBeLessThan(5);
  });

  it('closes the upstream request when the consumer stops reading early', async () => {
    fake = await start([eventStreamAnswer(converseEvents(Array.from({ length: 50 }, (_, i) => `t${i} `)), 50)]);
    for await (const ev of provider(fake).stream(sampleRequest())) if (ev.type === 'text') break;
    await fake.clientClosed(0);
  });

  it('reports an idle timeout when the stream stalls', async () => {
    fake = await start([
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
        res.write(bedrockEvent('messageStart', { role: 'assistant' }));
        await new Promise((r) => setTimeout(r, 5_000));
        res.end();
      },
    ]);
    const p = new BedrockProvider({
      region: 'us-east-1',
      modelId: 'm',
      credentials,
      endpoint: fake.url,
      idleTimeoutMs: 300,
      maxAttempts: 1,
    });
    await expect(collect(p.stream(sampleRequest()))).rejects.toMatchObject({ name: 'AdviceError', code: 'timeout' });
  });
});
