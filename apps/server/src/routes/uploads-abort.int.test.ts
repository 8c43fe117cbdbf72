import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { listen, type RunningServer } from '../server.js';
import { sweepStaleUploads } from '../services/upload-service.js';

/** Open file descriptors of this process pointing into `dir` (Linux /proc). */
function openFdsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      // closed between listing and reading
    }
  }
  return out;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

describe('uploads aborted mid-stream (issue #17 defect 1)', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let server: RunningServer;
  let tmpDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-upload-abort-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    tmpDir = join(config.uploadDir, 'tmp');
    server = await listen(
      createApp({ config, stores, logger: createLogger('silent') }),
      0,
      '127.0.0.1',
      createLogger('silent'),
    );
  });
  afterAll(async () => {
    await server?.close(100);
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes the partial file and closes its descriptor when the client goes away', async () => {
    const boundary = 'l1tabortboundary';
    const req = httpRequest(`${server.url}/api/files`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(50 * 1024 * 1024),
      },
    });
    req.on('error', () => undefined);
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pcap"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    // A pcap header and then bytes, as a slow client would send them: the upload is well under way.
    const pcapHeader = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
    req.write(pcapHeader);
    for (let i = 0; i < 8; i++) req.write(Buffer.alloc(64 * 1024, i));
    expect(await until(() => existsSync(tmpDir) && readdirSync(tmpDir).length === 1, 5000)).toBe(true);
    expect(await until(() => openFdsUnder(tmpDir).length === 1, 5000)).toBe(true);
    // kill -9 of the client: the socket goes away without the body's end.
    req.destroy();
    expect(await until(() => readdirSync(tmpDir).length === 0, 5000), 'partial file removed').toBe(true);
    expect(await until(() => openFdsUnder(tmpDir).length === 0, 5000), 'descriptor closed').toBe(true);
  });

  it('lets an upload slower than the old 300 s request budget through (no total request timeout, only idle)', () => {
    expect(server.server.requestTimeout).toBe(0);
    expect(server.server.timeout).toBeGreaterThan(0);
    expect(server.server.headersTimeout).toBeLessThanOrEqual(60_000);
  });

  it('removes stale partial uploads left by a crash, and keeps fresh ones (another process may be writing)', async () => {
    const root = join(dir, 'sweep');
    const tmp = join(root, 'tmp');
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'stale'), 'x');
    writeFileSync(join(tmp, 'fresh'), 'y');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(join(tmp, 'stale'), hourAgo, hourAgo);
    const removed = await sweepStaleUploads(root, 10 * 60_000);
    expect(removed).toBe(1);
    expect(readdirSync(tmp)).toEqual(['fresh']);
    expect(await sweepStaleUploads(join(dir, 'does-not-exist'), 1)).toBe(0);
  });
});
