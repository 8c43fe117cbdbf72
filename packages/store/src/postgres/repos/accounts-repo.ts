import { and, asc, eq, sql } from 'drizzle-orm';
import type { ApiTokenRecord, UserRecord, UserRole } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { apiTokens, users } from '../schema.js';
import { date, iso, isoReq, toUser } from '../rows.js';

/** Users and API tokens (only token hashes are stored). */
export class AccountsRepo {
  constructor(readonly db: MetadataDb) {}

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

  /** The user of a known, unexpired token hash; records the use (last_used_at). */
  async findUserByTokenHash(
    tokenHash: string,
  ): Promise<{ userId: string; username: string; role: UserRole } | undefined> {
    const [t] = await this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiTokens.tokenHash, tokenHash),
          sql`(${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > now())`,
        ),
      )
      .returning({ userId: apiTokens.userId });
    const u = t ? await this.getUser(t.userId) : undefined;
    return u ? { userId: u.id, username: u.username, role: u.role } : undefined;
  }

  async deleteApiToken(id: string): Promise<void> {
    await this.db.delete(apiTokens).where(eq(apiTokens.id, id));
  }
}
