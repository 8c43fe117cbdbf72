import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import {
  AlbJwtInvalidClientIdError,
  AlbJwtInvalidSignerError,
  FetchError,
  JwksNotAvailableInCacheError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { Jwks, JwksCache, JwkWithKid } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthUser } from '../middleware/auth.js';

/**
 * Trust of the identity an AWS Application Load Balancer puts in `x-amzn-oidc-data` after its OIDC
 * authenticate action: an ES256 JWT signed by the ALB, its public key served (PEM) at
 * `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>` (AWS ELB guide, "Authenticate users using an
 * Application Load Balancer", user claims encoding). Verified with AWS's `aws-jwt-verify` (`AlbJwtVerifier`):
 * it parses the segments (ALB pads them with `=`; its JWT pattern allows `={0,2}` and the signature is checked
 * over the segments as sent), requires a UUID `kid`, checks the signature against the ALB key for that kid,
 * the signer (ALB ARN) and optionally the OIDC client. Around it, here: the header `exp` (below), a bound on
 * key fetches (BoundedAlbKeys) and our own 401 messages.
 */
export interface AlbOidcSettings {
  enabled: boolean;
  /** Base URL of the key service (no trailing slash). */
  keyUrlBase: string;
  /** Expected `signer` (ALB ARN); required when enabled (aws-jwt-verify always checks the signer). */
  signerArn: string | undefined;
  /** Expected `client` (the OIDC client id of the ALB rule); unset: not checked. */
  clientId?: string | undefined;
  /** Role given to ALB-authenticated users. */
  role: string;
}

export function loadAlbOidcSettings(env: NodeJS.ProcessEnv): AlbOidcSettings {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const role = env.L1T_ALB_OIDC_ROLE || 'engineer';
  if (!['admin', 'engineer', 'viewer'].includes(role)) {
    throw new Error(`L1T_ALB_OIDC_ROLE: expected admin, engineer or viewer, got ${JSON.stringify(role)}`);
  }
  const enabled =
    env.L1T_TRUST_ALB_OIDC === '1' || env.L1T_TRUST_ALB_OIDC === 'on' || env.L1T_TRUST_ALB_OIDC === 'true';
  const signerArn = env.L1T_ALB_SIGNER_ARN || undefined;
  if (enabled && !signerArn) {
    throw new Error('L1T_ALB_SIGNER_ARN: required with L1T_TRUST_ALB_OIDC (the ARN of the load balancer that signs)');
  }
  return {
    enabled,
    keyUrlBase: (env.L1T_ALB_KEY_URL || `https://public-keys.auth.elb.${region}.amazonaws.com`).replace(/\/+$/, ''),
    signerArn,
    clientId: env.L1T_ALB_CLIENT_ID || undefined,
    role,
  };
}

export class AlbTokenError extends Error {
  override name = 'AlbTokenError';
}

/** Fetches the PEM text of one key. */
export type KeyFetcher = (url: string) => Promise<string>;

/**
 * Global fetch, not aws-jwt-verify's own fetcher: that one uses `https.request` only, so the key URL could
 * not point at a plain-HTTP key server (L1T_ALB_KEY_URL, the tests' local one).
 */
const defaultFetch: KeyFetcher = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  // The key server's address stays in the cause (logged), not in the 401 a client reads.
  if (!res.ok) throw new Error(`ALB public key ${url}: HTTP ${res.status}`);
  return res.text();
};

/**
 * Each unknown `kid` in a token costs an outbound fetch, and anyone can send tokens with random ones.
 * aws-jwt-verify's AlbJwksCache (5.2.1) only checks the kid is a UUID, keeps the last 2 keys fetched, and
 * shares a fetch in flight: a failed fetch is not remembered, so every random UUID kid would be a request to
 * the key server. Hence this cache around it: at most MAX_KEY_FETCHES_PER_MINUTE new keys fetched (a burst
 * of random kids is refused, not forwarded to AWS), a kid that failed is not asked for again for
 * FAILED_KID_RETRY_MS, and the checks the library makes only after the key is in hand (algorithm against the
 * key's, signer after the signature) are made first, so a token that cannot pass costs no fetch.
 */
const MAX_KEY_FETCHES_PER_MINUTE = 10;
const FAILED_KID_RETRY_MS = 60_000;
const MAX_FAILED_KIDS = 64;

class BoundedAlbKeys implements JwksCache {
  private readonly inner: AlbJwksCache;
  private readonly pending = new Map<string, Promise<JwkWithKid>>();
  private readonly failedKids = new Map<string, number>();
  private fetchTimes: number[] = [];

  constructor(
    private readonly signerArn: string,
    fetchKey: KeyFetcher,
    private readonly clock: () => number,
  ) {
    const fetcher: Fetcher = {
      fetch: async (uri) => {
        const pem = Buffer.from(await fetchKey(uri), 'utf8');
        return pem.buffer.slice(pem.byteOffset, pem.byteOffset + pem.byteLength) as ArrayBuffer;
      },
    };
    this.inner = new AlbJwksCache({ fetcher });
  }

  async getJwk(jwksUri: string, jwt: { header: JwtHeader; payload: JwtPayload }): Promise<JwkWithKid> {
    const { header } = jwt;
    if (header.alg !== 'ES256')
      throw new AlbTokenError(`x-amzn-oidc-data: algorithm ${String(header.alg)}, expected ES256`);
    if (header.signer !== this.signerArn) throw new AlbTokenError('x-amzn-oidc-data: signed by another load balancer');
    try {
      // Throws JwtWithoutValidKidError for a kid that is not a UUID, before any fetch.
      return withoutKid(this.inner.getCachedJwk(jwksUri, jwt));
    } catch (err) {
      if (!(err instanceof JwksNotAvailableInCacheError)) throw err;
    }
    const kid = header.kid!;
    const inFlight = this.pending.get(kid);
    if (inFlight) return withoutKid(await inFlight);
    const now = this.clock();
    const failedAt = this.failedKids.get(kid);
    if (failedAt !== undefined && now - failedAt < FAILED_KID_RETRY_MS)
      throw new AlbTokenError('x-amzn-oidc-data: unknown signing key');
    this.fetchTimes = this.fetchTimes.filter((t) => now - t < 60_000);
    if (this.fetchTimes.length >= MAX_KEY_FETCHES_PER_MINUTE)
      throw new AlbTokenError('x-amzn-oidc-data: unknown signing key (too many new keys asked for; retry later)');
    this.fetchTimes.push(now);
    const p = this.inner.getJwk(jwksUri, jwt);
    this.pending.set(kid, p);
    try {
      return withoutKid(await p);
    } catch (err) {
      if (this.failedKids.size >= MAX_FAILED_KIDS) this.failedKids.clear();
      this.failedKids.set(kid, now);
      throw new AlbTokenError('x-amzn-oidc-data: the signing key could not be fetched', { cause: err });
    } finally {
      this.pending.delete(kid);
    }
  }

  getCachedJwk(jwksUri: string, jwt: { header: JwtHeader; payload: JwtPayload }): JwkWithKid {
    return withoutKid(this.inner.getCachedJwk(jwksUri, jwt));
  }

  addJwks(jwksUri: string, jwks: Jwks): void {
    this.inner.addJwks(jwksUri, jwks);
  }

  getJwks(): Promise<Jwks> {
    return this.inner.getJwks();
  }
}

/**
 * The key handed to the verifier without its `kid`: aws-jwt-verify (5.2.1, KeyObjectCache) keeps the key
 * object it derives under the token's `iss` claim and the key's kid, before the signature is checked, in a
 * map that never shrinks — so tokens with a real kid and ever new `iss` values would grow memory without
 * bound. Without a kid it derives the key object per request (one `createPublicKey`, microseconds) and keeps
 * nothing. The kid is not needed after the lookup: the signature is checked against this key.
 */
function withoutKid(jwk: JwkWithKid): JwkWithKid {
  const { kid: _kid, ...rest } = jwk;
  return rest as JwkWithKid;
}

/** Our own messages (a 401 body): the library's name the key URL (FetchError) or echo token fields. */
function tokenError(err: unknown): AlbTokenError {
  if (err instanceof AlbTokenError) return err;
  const reason =
    err instanceof JwtParseError
      ? 'not a JWT of base64url JSON segments'
      : err instanceof JwtWithoutValidKidError
        ? 'bad kid'
        : err instanceof JwtInvalidSignatureAlgorithmError
          ? 'algorithm, expected ES256'
          : err instanceof JwtInvalidSignatureError
            ? 'bad signature'
            : err instanceof JwtExpiredError
              ? 'expired'
              : err instanceof JwtNotBeforeError
                ? 'not yet valid'
                : err instanceof AlbJwtInvalidSignerError
                  ? 'signed by another load balancer'
                  : err instanceof AlbJwtInvalidClientIdError
                    ? 'issued for another OIDC client'
                    : err instanceof JwtBaseError && !(err instanceof FetchError)
                      ? `rejected (${err.name})`
                      : 'could not be verified';
  return new AlbTokenError(`x-amzn-oidc-data: ${reason}`, { cause: err });
}

export class AlbOidcVerifier {
  private readonly verifier;

  constructor(
    private readonly settings: AlbOidcSettings,
    fetchKey: KeyFetcher = defaultFetch,
    /** Clock of the header expiry and of the fetch bound (the library checks a payload `exp` on Date.now). */
    private readonly clock: () => number = Date.now,
  ) {
    const albArn = settings.signerArn;
    if (!albArn) throw new Error('L1T_ALB_SIGNER_ARN: required to trust the ALB identity');
    this.verifier = AlbJwtVerifier.create(
      {
        albArn,
        jwksUri: settings.keyUrlBase,
        // The IdP's issuer is not configured here; the signer (ALB ARN) and the ALB's key are what we trust.
        issuer: null,
        clientId: settings.clientId ?? null,
        customJwtCheck: ({ header, payload }) => {
          // The ALB puts `exp` in the JWT header (AWS ELB guide; the library's AlbJwtHeader type has it), and
          // aws-jwt-verify checks only a payload `exp`: without this a header-expired token would pass.
          const exp =
            typeof header.exp === 'number' ? header.exp : typeof payload.exp === 'number' ? payload.exp : undefined;
          if (exp === undefined || exp * 1000 <= this.clock()) throw new AlbTokenError('x-amzn-oidc-data: expired');
        },
      },
      { jwksCache: new BoundedAlbKeys(albArn, fetchKey, clock) },
    );
  }

  async verify(jwt: string): Promise<AuthUser> {
    let claims: Record<string, unknown>;
    try {
      claims = (await this.verifier.verify(jwt)) as Record<string, unknown>;
    } catch (err) {
      throw tokenError(err);
    }
    const username = [claims.email, claims.preferred_username, claims.sub].find(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    if (!username) throw new AlbTokenError('x-amzn-oidc-data: no subject');
    return {
      userId: `oidc:${typeof claims.sub === 'string' ? claims.sub : username}`,
      username,
      role: this.settings.role,
    };
  }
}
