import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.js';

export interface AuthUser {
  userId: string;
  username: string;
  role: string;
}

export type TokenVerifier = (tokenHash: string) => Promise<AuthUser | undefined>;

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** sha256 hex of an API token: only this is stored, so a database leak reveals no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Requires `Authorization: Bearer <token>` on every route it guards when auth is on (health routes are
 * mounted before it). With auth off (the local embedded start) requests run as the local user.
 */
export function requireAuth(enabled: boolean, verify: TokenVerifier): RequestHandler {
  if (!enabled) {
    return (req, _res, next) => {
      req.user = { userId: 'local', username: 'local', role: 'admin' };
      next();
    };
  }
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new ApiError(401, 'unauthenticated', 'authentication required (Authorization: Bearer <token>)'));
    const user = await verify(hashToken(match[1]!));
    if (!user) return next(new ApiError(401, 'unauthenticated', 'invalid or revoked token'));
    req.user = user;
    next();
  };
}
