/**
 * A bounded cache of reads that the repository's own writes invalidate, for the EMBEDDED metadata store only:
 * PGlite's directory is opened by one process (data-dir-lock.ts), so every write passes through the repository
 * that owns the cache. With a PostgreSQL server other pods write too, and nothing is cached.
 *
 * Why: PGlite runs PostgreSQL compiled to WebAssembly on the event loop. A token look-up (join) costs ~9 ms and
 * the statuses of a 100-row page ~15 ms of the event loop on this 2-core host (load 20), so under 100 req/s of
 * `GET /api/anomalies` those two reads alone would need more than the one core the server has (bench:load).
 *
 * A write bumps the generation before it starts and after it ends, and a read is stored only if no write
 * began or ended while it ran: a read never returns what a completed write has changed.
 */
export class ReadCache<V> {
  #generation = 0;
  #writing = 0;
  readonly #entries = new Map<string, { value: V; until: number }>();

  constructor(
    readonly maxEntries: number,
    /** How long an entry may be served (ms); Infinity: until the next write. */
    readonly ttlMs = Infinity,
  ) {}

  /** The cached value of `key`, or `load()`'s (stored when no write overlapped it and `keep` accepts it). */
  async get(key: string, load: () => Promise<V>, keep: (v: V) => boolean = () => true, now = Date.now()): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && now < hit.until) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    if (hit) this.#entries.delete(key);
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation && keep(value)) {
      this.#entries.set(key, { value, until: now + this.ttlMs });
      for (const k of this.#entries.keys()) {
        if (this.#entries.size <= this.maxEntries) break;
        this.#entries.delete(k);
      }
    }
    return value;
  }

  /** Runs a write that may change what was read: the cache is emptied before and after it. */
  async write<T>(run: () => Promise<T>): Promise<T> {
    this.#writing++;
    this.invalidate();
    try {
      return await run();
    } finally {
      this.#writing--;
      this.invalidate();
    }
  }

  /** Changes with every write (before and after it); undefined while one runs. */
  get generation(): number | undefined {
    return this.#writing === 0 ? this.#generation : undefined;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
