import { and, asc, eq, sql } from 'drizzle-orm';
import type { ApiTokenRecord, UserRecord, UserRole } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { apiTokens, users } from '../schema.js';
import { date, iso, isoReq, toUser } from '../rows.js';
import { ReadCache } from '../read-cache.js';

/** How precisely a token's last use is recorded (one write per token per this long at most). */
export const TOKEN_USE_RESOLUTION_MS = 5 * 60_000;

/**
 * How long a verified token is served from memory (embedded store only: ReadCache). Bounded so that the use
 * keeps being recorded (a look-up every minute, a write every TOKEN_USE_RESOLUTION_MS); a revocation or
 * deletion through this repository empties the cache at once, an expiry is checked on every hit.
 */
const TOKEN_CACHE_MS = 60_000;

type TokenUser = { userId: string; username: string; role: UserRole };

/** Users and API tokens (only token hashes are stored). */
export class AccountsRepo {
  readonly #tokens: ReadCache<{ user: TokenUser; expiresAt: number | null } | undefined> | undefined;

  /** `cacheTokens`: only when this process is the database's only writer (PGlite). */
  constructor(
    readonly db: MetadataDb,
    opts: { cacheTokens?: boolean } = {},
  ) {
    this.#tokens = opts.cacheTokens ? new ReadCache(10_000, TOKEN_CACHE_MS) : undefined;
  }

  // users and tokens
  async createUser(u: { username: string; passwordHash: string; role: UserRole }): Promise<UserRecord> {
    const [r] = await this.db.insert(users).values(u).returning();
    return toUser(r!);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [r] = await this.db.select().from(users).where(eq(users.id, id));
    return r ? toUser(r) : undefined;
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.select().from(users).where(eq(users.username, username));
    return r ? toUser(r) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.select().from(users).orderBy(asc(users.username))).map(toUser);
  }

  async createApiToken(t: {
    userId: string;
    tokenHash: string;
    name?: string | null;
    expiresAt?: string | null;
  }): Promise<ApiTokenRecord> {
    const [r] = await this.db
      .insert(apiTokens)
      .values({ userId: t.userId, tokenHash: t.tokenHash, name: t.name ?? null, expiresAt: date(t.expiresAt) })
      .returning();
    return {
      id: r!.id,
      userId: r!.userId,
      name: r!.name,
      createdAt: isoReq(r!.createdAt),
      lastUsedAt: iso(r!.lastUsedAt),
      expiresAt: iso(r!.expiresAt),
    };
  }

  /**
   * The user of a known, unexpired token hash. Records the use (last_used_at) at most once per
   * TOKEN_USE_RESOLUTION_MS: a write on every authenticated request made each API call a PostgreSQL write
   * (issue #17 defect 6); a read is all a request needs.
   */
  async findUserByTokenHash(tokenHash: string, now = new Date()): Promise<TokenUser | undefined> {
    if (!this.#tokens) return (await this.#lookUpToken(tokenHash, now))?.user;
    const found = await this.#tokens.get(
      tokenHash,
      () => this.#lookUpToken(tokenHash, now),
      (v) => v !== undefined,
      now.getTime(),
    );
    if (!found || (found.expiresAt !== null && found.expiresAt <= now.getTime())) return undefined;
    return found.user;
  }

  async #lookUpToken(tokenHash: string, now: Date): Promise<{ user: TokenUser; expiresAt: number | null } | undefined> {
    const [t] = await this.db
      .select({
        id: apiTokens.id,
        lastUsedAt: apiTokens.lastUsedAt,
        expiresAt: apiTokens.expiresAt,
        userId: users.id,
        username: users.username,
        role: users.role,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, tokenHash),
          sql`(${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > now())`,
        ),
      );
    if (!t) return undefined;
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() >= TOKEN_USE_RESOLUTION_MS) {
      await this.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, t.id));
    }
    return {
      user: { userId: t.userId, username: t.username, role: t.role as UserRole },
      expiresAt: t.expiresAt ? t.expiresAt.getTime() : null,
    };
  }

  /** Revokes a token (sign-out): the row goes, so the token no longer authenticates anywhere. */
  async revokeApiTokenByHash(tokenHash: string): Promise<boolean> {
    const gone = await this.#write(() =>
      this.db.delete(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).returning({ id: apiTokens.id }),
    );
    return gone.length > 0;
  }

  async deleteApiToken(id: string): Promise<void> {
    await this.#write(() => this.db.delete(apiTokens).where(eq(apiTokens.id, id)));
  }

  /** A write that can end a token's validity: the cached look-ups go (before and after it). */
  #write<T>(run: () => Promise<T>): Promise<T> {
    return this.#tokens ? this.#tokens.write(run) : run();
  }
}
