import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SseResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Time from sending the request to the first `data:` bytes, ms (-1: none came). */
  firstChunkMs: number;
}

/** A raw HTTP GET reading the SSE bytes as they come; `closeAfter` hangs up after that many data events. */
export function getSse(server: Server, path: string, opts: { closeAfter?: number } = {}): Promise<SseResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstChunkMs = -1;
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (firstChunkMs < 0 && c.includes('data: ')) firstChunkMs = performance.now() - t0;
        body += c;
        if (opts.closeAfter !== undefined && (body.match(/^data: /gm)?.length ?? 0) >= opts.closeAfter) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, firstChunkMs });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, firstChunkMs }));
      res.on('error', () => {});
    });
    req.on('error', (e) => (opts.closeAfter !== undefined ? undefined : reject(e)));
    req.end();
  });
}

export const dataLine = (text: string): string => `data: ${JSON.stringify({ text })}\n\n`;
export const doneEvent = (v: unknown): string => `event: done\ndata: ${JSON.stringify(v)}\n\n`;
