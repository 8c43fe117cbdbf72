import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

interface Entry {
  version: string;
  body: string;
  etag: string;
}

/**
 * JSON responses kept until the data they were built from changes, for the embedded stores only: `version()`
 * is the stores' data version (CachedExecutor.dataVersion and the status repository's statusVersion, both
 * bumped by every write of this process, the only writer of chDB's and PGlite's directories) or undefined
 * when it cannot be known (a ClickHouse or PostgreSQL server, a write running), and then nothing is cached.
 * A body is stored only when the version was the same before and after it was built.
 *
 * Why: with the query cache answering, what is left of `GET /api/anomalies` is turning 100 rows into objects,
 * merging statuses, serialising ~65 kB and hashing it for the ETag — most of the ~3.4 ms of CPU per request
 * under bench:load (profile), on the one thread that serves every request.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(
    private readonly version: () => string | undefined,
    readonly maxEntries = 256,
    readonly maxBytes = 64 * 2 ** 20,
    readonly maxEntryBytes = 2 * 2 ** 20,
  ) {}

  /** Sends the cached body for `key` at the current version, or builds, sends (and keeps) a new one. */
  async send(_req: Request, res: Response, key: string, build: () => Promise<unknown>): Promise<void> {
    const version = this.version();
    const hit = version === undefined ? undefined : this.#entries.get(key);
    if (hit && hit.version === version) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return reply(res, hit);
    }
    const body = JSON.stringify(await build());
    const entry = { version: version ?? '', body, etag: weakEtag(body) };
    if (version !== undefined && this.version() === version) this.#store(key, entry);
    reply(res, entry);
  }

  #store(key: string, entry: Entry): void {
    const size = (entry.body.length + key.length) * 2;
    if (size > this.maxEntryBytes) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= (old.body.length + key.length) * 2;
    }
    this.#entries.set(key, entry);
    this.#bytes += size;
    for (const [k, v] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= (v.body.length + k.length) * 2;
    }
  }
}

/** Express' own weak ETag form (length and SHA-1 of the body), computed once per stored body. */
function weakEtag(body: string): string {
  const hash = createHash('sha1').update(body, 'utf8').digest('base64').slice(0, 27);
  return `W/"${Buffer.byteLength(body, 'utf8').toString(16)}-${hash}"`;
}

/** With the ETag set, Express answers 304 to a matching If-None-Match and does not hash the body again. */
function reply(res: Response, e: Entry): void {
  res.setHeader('ETag', e.etag);
  res.type('application/json');
  res.send(e.body);
}

/**
 * The data version of the embedded stores, when they keep one: the ClickHouse executor's (CachedExecutor) and
 * the status repository's (ReviewRepo.statusVersion); undefined for servers, which other processes write.
 */
export function embeddedDataVersion(stores: { anomalies: unknown; metadata: unknown }): () => string | undefined {
  const executor = (stores.anomalies as { executor?: { dataVersion?: number } }).executor;
  const review = (stores.metadata as { review?: { statusVersion?: number } }).review;
  return () => {
    const a = executor?.dataVersion;
    const b = review?.statusVersion;
    return a === undefined || b === undefined ? undefined : `${a}:${b}`;
  };
}
