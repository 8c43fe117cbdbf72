import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { AuthUser } from '../middleware/auth.js';

/**
 * Trust of the identity an AWS Application Load Balancer puts in `x-amzn-oidc-data` after its OIDC
 * authenticate action: an ES256 JWT signed by the ALB. The public key is served by AWS at
 * `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>` (PEM). We verify the signature, the
 * algorithm, the signer (the ALB's ARN) and the expiry. ALB pads its base64url segments with `=`.
 */
export interface AlbOidcSettings {
  enabled: boolean;
  /** Base URL of the key service (no trailing slash). */
  keyUrlBase: string;
  /** Expected `signer` (ALB ARN); when unset any ALB of the region is accepted (not recommended). */
  signerArn: string | undefined;
  /** Role given to ALB-authenticated users. */
  role: string;
}

export function loadAlbOidcSettings(env: NodeJS.ProcessEnv): AlbOidcSettings {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const role = env.L1T_ALB_OIDC_ROLE || 'engineer';
  if (!['admin', 'engineer', 'viewer'].includes(role)) {
    throw new Error(`L1T_ALB_OIDC_ROLE: expected admin, engineer or viewer, got ${JSON.stringify(role)}`);
  }
  return {
    enabled: env.L1T_TRUST_ALB_OIDC === '1' || env.L1T_TRUST_ALB_OIDC === 'on' || env.L1T_TRUST_ALB_OIDC === 'true',
    keyUrlBase: (env.L1T_ALB_KEY_URL || `https://public-keys.auth.elb.${region}.amazonaws.com`).replace(/\/+$/, ''),
    signerArn: env.L1T_ALB_SIGNER_ARN || undefined,
    role,
  };
}

export class AlbTokenError extends Error {
  override name = 'AlbTokenError';
}

const KID = /^[A-Za-z0-9-]{1,128}$/;

function decodeSegment(s: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(s.replace(/=+$/, ''), 'base64url').toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new AlbTokenError('x-amzn-oidc-data: a segment is not base64url JSON');
}

export type KeyFetcher = (url: string) => Promise<string>;

const defaultFetch: KeyFetcher = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  // The key server's address stays in the cause (logged), not in the 401 a client reads.
  if (!res.ok) throw new Error(`ALB public key ${url}: HTTP ${res.status}`);
  return res.text();
};

/**
 * Each unknown `kid` in a token costs an outbound fetch, and anyone can send tokens with random ones. The
 * ALB signs with few keys: at most MAX_CACHED_KEYS are kept, at most MAX_KEY_FETCHES_PER_MINUTE new ones
 * fetched (a burst of random kids is refused, not forwarded to AWS), and a kid that failed is not asked
 * for again for FAILED_KID_RETRY_MS.
 */
const MAX_CACHED_KEYS = 64;
const MAX_KEY_FETCHES_PER_MINUTE = 10;
const FAILED_KID_RETRY_MS = 60_000;

export class AlbOidcVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly settings: AlbOidcSettings,
    private readonly fetchKey: KeyFetcher = defaultFetch,
  ) {}

  async verify(jwt: string, now = Date.now()): Promise<AuthUser> {
    const parts = jwt.split('.');
    if (parts.length !== 3) throw new AlbTokenError('x-amzn-oidc-data: not a JWT');
    const [h, p, s] = parts as [string, string, string];
    const header = decodeSegment(h);
    if (header.alg !== 'ES256')
      throw new AlbTokenError(`x-amzn-oidc-data: algorithm ${String(header.alg)}, expected ES256`);
    const kid = typeof header.kid === 'string' ? header.kid : '';
    if (!KID.test(kid)) throw new AlbTokenError('x-amzn-oidc-data: bad kid');
    if (this.settings.signerArn && header.signer !== this.settings.signerArn) {
      throw new AlbTokenError('x-amzn-oidc-data: signed by another load balancer');
    }
    const key = await this.key(kid, now);
    // The signature covers the segments exactly as sent (padding included).
    const ok = verifySignature(
      'sha256',
      Buffer.from(`${h}.${p}`, 'utf8'),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s.replace(/=+$/, ''), 'base64url'),
    );
    if (!ok) throw new AlbTokenError('x-amzn-oidc-data: bad signature');
    const claims = decodeSegment(p);
    const exp = typeof header.exp === 'number' ? header.exp : typeof claims.exp === 'number' ? claims.exp : undefined;
    if (exp === undefined || exp * 1000 <= now) throw new AlbTokenError('x-amzn-oidc-data: expired');
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

  private readonly failedKids = new Map<string, number>();
  private fetchTimes: number[] = [];

  private async key(kid: string, now = Date.now()): Promise<KeyObject> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    const failedAt = this.failedKids.get(kid);
    if (failedAt !== undefined && now - failedAt < FAILED_KID_RETRY_MS)
      throw new AlbTokenError('x-amzn-oidc-data: unknown signing key');
    this.fetchTimes = this.fetchTimes.filter((t) => now - t < 60_000);
    if (this.fetchTimes.length >= MAX_KEY_FETCHES_PER_MINUTE)
      throw new AlbTokenError('x-amzn-oidc-data: unknown signing key (too many new keys asked for; retry later)');
    this.fetchTimes.push(now);
    const k = this.fetchKey(`${this.settings.keyUrlBase}/${encodeURIComponent(kid)}`).then((pem) => createPublicKey(pem));
    if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(kid, k);
    try {
      return await k;
    } catch (err) {
      this.keys.delete(kid);
      if (this.failedKids.size >= MAX_CACHED_KEYS) this.failedKids.clear();
      this.failedKids.set(kid, now);
      if (err instanceof AlbTokenError) throw err;
      throw new AlbTokenError('x-amzn-oidc-data: the signing key could not be fetched', { cause: err });
    }
  }
}
