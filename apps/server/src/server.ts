import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes idle sockets. */
  close(graceMs?: number): Promise<void>;
}

/** A socket with no bytes either way for this long is closed (SSE streams ping every 15 s). */
export const IDLE_TIMEOUT_MS = 120_000;
export const HEADERS_TIMEOUT_MS = 60_000;

/** Listens on the port (0 = any) and returns when ready. */
export function listen(app: Express, port: number, host: string, logger: Logger): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    // Node's default 300 s budget for a whole request cut any upload slower than ~34 MB/s at the 10 GiB
    // limit. No total budget, but a socket silent for IDLE_TIMEOUT_MS is closed (a stalled upload ends and
    // its partial file is removed); headers must still arrive within HEADERS_TIMEOUT_MS (slowloris).
    server.requestTimeout = 0;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.setTimeout(IDLE_TIMEOUT_MS);
    server.once('error', reject);
    server.once('listening', () => {
      const addr = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      const url = `http://${shownHost}:${addr.port}`;
      resolve({
        url,
        port: addr.port,
        server,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
            logger.info('server closing');
          }),
      });
    });
  });
}
