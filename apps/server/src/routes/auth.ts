import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { FullMetadataStore } from '@l1t/store';
import { ApiError, parseOr400 } from '../api-error.js';
import { AuthService } from '../services/auth-service.js';
import { LoginGuard, LoginRefused, type LoginLimits } from '../services/login-guard.js';
import { hashToken } from '../middleware/auth.js';
import { AlbOidcVerifier, AlbTokenError, type AlbOidcSettings } from '../services/auth-alb.js';

const LoginBody = z.strictObject({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

/**
 * `POST /api/auth/login` (no auth needed: it is how one gets a token; failures rate limited, 429 with
 * `Retry-After`), `POST /api/auth/logout` (revokes the bearer token).
 */
export function authRoutes(metadata: FullMetadataStore, limits?: LoginLimits): Router {
  const service = new AuthService(metadata);
  let guard: Promise<LoginGuard> | undefined;
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = parseOr400(LoginBody, req.body, 'body');
    guard ??= LoginGuard.open(metadata.sqlClient(), limits);
    const g = await guard;
    const ip = req.ip ?? 'unknown';
    try {
      await g.check(body.username, ip);
    } catch (err) {
      if (!(err instanceof LoginRefused)) throw err;
      res.setHeader('Retry-After', String(err.retryAfterS));
      throw new ApiError(429, 'rate_limited', err.message);
    }
    const result = await service.login(body.username, body.password);
    if (!result) {
      await g.failed(body.username, ip);
      throw new ApiError(401, 'bad_credentials', 'unknown user or wrong password');
    }
    await g.succeeded(body.username, ip);
    res.json(result);
  });
  // Sign-out revokes the presented token on the server (it was valid for its 12 h after sign-out).
  r.post('/auth/logout', async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (match) await metadata.revokeApiTokenByHash(hashToken(match[1]!));
    res.status(204).end();
  });
  return r;
}

/** `GET /api/auth/me`, mounted behind authentication. */
export const meHandler: RequestHandler = (req, res) => {
  res.json({ user: req.user ?? null });
};

/**
 * Trusts the ALB's `x-amzn-oidc-data` when enabled (`L1T_TRUST_ALB_OIDC=1`): a valid header authenticates
 * the request; a present but invalid one is a 401 (never silently ignored); no header falls through to
 * the bearer-token check.
 */
export function albOidcAuth(settings: AlbOidcSettings, given?: AlbOidcVerifier): RequestHandler {
  if (!settings.enabled) return (_req, _res, next) => next();
  // Built only when trusted: the verifier needs the signer ARN, which an untrusting start need not set.
  const verifier = given ?? new AlbOidcVerifier(settings);
  return async (req, _res, next) => {
    const header = req.get('x-amzn-oidc-data');
    if (!header) return next();
    try {
      req.user = await verifier.verify(header);
      next();
    } catch (err) {
      if (err instanceof AlbTokenError) return next(new ApiError(401, 'unauthenticated', err.message));
      next(new ApiError(401, 'unauthenticated', 'the load balancer identity could not be verified', { cause: err }));
    }
  };
}
