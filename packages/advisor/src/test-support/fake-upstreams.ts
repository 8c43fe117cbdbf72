import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';

/** One scripted answer of a fake upstream: a function that writes the response (may be slow). */
export type Script = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void;

export interface FakeUpstream {
  url: string;
  /** Request bodies in arrival order, and paths. */
  requests: { path: string; body: string; headers: IncomingMessage['headers'] }[];
  /** Resolves when the nth request's connection closed before its response ended (the client went away). */
  clientClosed(n: number): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP/1.1 server answering request n with scripts[n] (the last one repeats). */
export async function startFakeUpstream(scripts: Script[]): Promise<FakeUpstream> {
  const requests: FakeUpstream['requests'] = [];
  const closed: { promise: Promise<void>; resolve: () => void }[] = [];
  const closedOf = (n: number) => {
    while (closed.length <= n) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      closed.push({ promise, resolve });
    }
    return closed[n]!;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = requests.length;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ path: req.url ?? '', body, headers: req.headers });
      res.on('close', () => {
        if (!res.writableFinished) closedOf(n).resolve();
      });
      const script = scripts[Math.min(n, scripts.length - 1)]!;
      Promise.resolve(script(req, res, body)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clientClosed: (n) => closedOf(n).promise,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const codec = new EventStreamCodec(
  (b) => Buffer.from(b).toString('utf8'),
  (s) => new Uint8Array(Buffer.from(s, 'utf8')),
);

/** One message of the AWS event stream encoding (application/vnd.amazon.eventstream), as Bedrock sends it. */
export function bedrockEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** A modelled exception inside the stream (`:message-type: exception`). */
export function bedrockException(exceptionType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** The event sequence of a ConverseStream answer with these text deltas and usage. */
export function converseEvents(
  deltas: string[],
  usage = { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
): Uint8Array[] {
  return [
    bedrockEvent('messageStart', { role: 'assistant' }),
    ...deltas.map((text) => bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
    bedrockEvent('messageStop', { stopReason: 'end_turn' }),
    bedrockEvent('metadata', { usage, metrics: { latencyMs: 42 } }),
  ];
}

/** Script: a 200 event-stream answer writing these messages, `gapMs` apart. */
export function eventStreamAnswer(messages: Uint8Array[], gapMs = 0): Script {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'test-request' });
    for (const m of messages) {
      if (res.destroyed) return;
      res.write(m);
      if (gapMs) await sleep(gapMs);
    }
    res.end();
  };
}

/** Script: an AWS JSON error answer (`x-amzn-errortype`), e.g. 429 ThrottlingException. */
export function awsError(status: number, type: string, message: string): Script {
  return (_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': 'err',
    });
    res.end(JSON.stringify({ message }));
  };
}

/** Script: an OpenAI-style `chat.completion.chunk` SSE answer. */
export function openAiAnswer(deltas: string[], opts: { gapMs?: number; usage?: boolean; done?: boolean } = {}): Script {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const d of deltas) {
      if (res.destroyed) return;
      res.write(chunk({ content: d }, null));
      if (opts.gapMs) await sleep(opts.gapMs);
    }
    res.write(chunk({}, 'stop'));
    if (opts.usage ?? true)
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 90, completion_tokens: 12, total_tokens: 102 } })}\n\n`,
      );
    if (opts.done ?? true) res.write('data: [DONE]\n\n');
    res.end();
  };
}
