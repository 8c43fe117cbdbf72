import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FullMetadataStore, UserRole } from '@l1t/store';
import { hashToken } from '../middleware/auth.js';
import { comparePassword } from './password-worker.js';

/** bcrypt cost: ~100 ms per hash on a server core (OWASP's minimum is 10). */
const BCRYPT_COST = 11;
/** Login tokens expire; tokens for scripts are created without an expiry by an admin. */
export const LOGIN_TOKEN_TTL_MS = 12 * 3600_000;

export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, BCRYPT_COST);

/** A new random API token (shown once; only its sha256 is stored). */
export const newApiToken = (): string => `l1t_${randomBytes(24).toString('base64url')}`;

/**
 * A bcrypt hash of nothing anyone can type, compared against when the user does not exist. Same cost as
 * real hashes, so an unknown user answers as slowly as a known one (it had cost 4: 6.5 ms against 199 ms,
 * which told who has an account). Made once, on first use.
 */
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), BCRYPT_COST));

export interface LoginResult {
  token: string;
  expires_at: string;
  user: { id: string; username: string; role: UserRole };
}

/** Local users: password check and login tokens (the token is an ordinary API token with an expiry). */
export class AuthService {
  constructor(private readonly metadata: FullMetadataStore) {}

  async login(username: string, password: string, now = Date.now()): Promise<LoginResult | undefined> {
    const user = await this.metadata.getUserByUsername(username);
    const hash = user?.passwordHash ?? (await dummy());
    // On a worker thread: a burst of logins must not hold every other request (password-worker.ts).
    const ok = await comparePassword(password, hash);
    if (!user || !ok) return undefined;
    const token = newApiToken();
    const expiresAt = new Date(now + LOGIN_TOKEN_TTL_MS).toISOString();
    await this.metadata.createApiToken({ userId: user.id, tokenHash: hashToken(token), name: 'login', expiresAt });
    return { token, expires_at: expiresAt, user: { id: user.id, username: user.username, role: user.role } };
  }

  async addUser(username: string, password: string, role: UserRole): Promise<{ id: string }> {
    return this.metadata.createUser({ username, passwordHash: await hashPassword(password), role });
  }
}
