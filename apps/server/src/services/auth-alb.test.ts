import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlbOidcVerifier, AlbTokenError, loadAlbOidcSettings, type AlbOidcSettings } from './auth-alb.js';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/l1t/50dc6c495c0c9188';
const KID = '0b4c7c9e-2f4d-4a8e-9d1b-6a3f5e7c8d90';

describe('ALB OIDC settings', () => {
  it('are off unless L1T_TRUST_ALB_OIDC=1, with the key URL of the region by default', () => {
    expect(loadAlbOidcSettings({}).enabled).toBe(false);
    const s = loadAlbOidcSettings({ L1T_TRUST_ALB_OIDC: '1', AWS_REGION: 'eu-west-1', L1T_ALB_SIGNER_ARN: ARN });
    expect(s).toMatchObject({
      enabled: true,
      keyUrlBase: 'https://public-keys.auth.elb.eu-west-1.amazonaws.com',
      signerArn: ARN,
      role: 'engineer',
    });
    expect(loadAlbOidcSettings({ L1T_ALB_KEY_URL: 'http://127.0.0.1:9/keys/' }).keyUrlBase).toBe(
      'http://127.0.0.1:9/keys',
    );
    expect(() => loadAlbOidcSettings({ L1T_ALB_OIDC_ROLE: 'root' })).toThrow(/L1T_ALB_OIDC_ROLE/);
  });

  it('refuse to trust the ALB without the signer ARN, or with one that is not an ALB ARN', () => {
    expect(() => loadAlbOidcSettings({ L1T_TRUST_ALB_OIDC: '1' })).toThrow(/L1T_ALB_SIGNER_ARN/);
    const s = { enabled: true, keyUrlBase: 'https://keys', role: 'viewer' };
    expect(() => new AlbOidcVerifier({ ...s, signerArn: undefined })).toThrow(/L1T_ALB_SIGNER_ARN/);
    expect(() => new AlbOidcVerifier({ ...s, signerArn: 'arn:alb' })).toThrow(/load balancer ARN/);
  });
});

describe('AlbOidcVerifier (aws-jwt-verify AlbJwtVerifier, bounded key fetches)', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  /** base64url padded with '=' as the ALB sends its segments (signature included). */
  const b64 = (b: Buffer) => {
    const s = b.toString('base64url');
    return s + '='.repeat((4 - (s.length % 4)) % 4);
  };
  const seg = (o: object) => b64(Buffer.from(JSON.stringify(o)));
  const token = (exp: number, header: Record<string, unknown> = {}, claims: Record<string, unknown> = {}) => {
    const h = seg({
      typ: 'JWT',
      alg: 'ES256',
      kid: KID,
      signer: ARN,
      iss: 'https://idp',
      client: 'c1',
      exp,
      ...header,
    });
    const p = seg({ sub: 's1', email: 'a@b.c', ...claims });
    return `${h}.${p}.${b64(sign('sha256', Buffer.from(`${h}.${p}`), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
  };
  const settings = (over: Partial<AlbOidcSettings> = {}): AlbOidcSettings => ({
    enabled: true,
    keyUrlBase: 'https://keys',
    signerArn: ARN,
    role: 'viewer',
    ...over,
  });

  it('verifies a padded ES256 token, fetches each key once and checks the header expiry against the clock', async () => {
    const fetched: string[] = [];
    let now = Date.now();
    const v = new AlbOidcVerifier(
      settings(),
      async (url) => {
        fetched.push(url);
        return pem;
      },
      () => now,
    );
    const exp = Math.floor(now / 1000) + 60;
    expect(token(exp).split('.')[2]).toMatch(/==$/); // 64-byte r||s: 86 characters + '=='
    expect(await v.verify(token(exp))).toEqual({ userId: 'oidc:s1', username: 'a@b.c', role: 'viewer' });
    await v.verify(token(exp));
    expect(fetched).toEqual([`https://keys/${KID}`]);
    // The ALB's exp is in the header; aws-jwt-verify alone would only look at a payload exp.
    await expect(v.verify(token(Math.floor(now / 1000) - 1))).rejects.toThrow(/expired/);
    now += 61_000;
    await expect(v.verify(token(exp))).rejects.toThrow(/expired/);
  });

  it('refuses another key, ALB, client or algorithm, a bad kid, garbage, a tampered payload; only the first costs a fetch', async () => {
    const fetched: string[] = [];
    const v = new AlbOidcVerifier(settings({ clientId: 'c1' }), async (url) => {
      fetched.push(url);
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
    });
    const exp = Math.floor(Date.now() / 1000) + 60;
    await expect(v.verify(token(exp))).rejects.toThrow(/bad signature/);
    expect(fetched).toHaveLength(1);
    for (const [what, t, reason] of [
      ['other ALB', token(exp, { signer: ARN.replace('l1t', 'evil') }), /another load balancer/],
      ['alg none', token(exp, { alg: 'none' }), /ES256/],
      ['alg HS256', token(exp, { alg: 'HS256' }), /ES256/],
      ['kid path', token(exp, { kid: '../../etc/passwd' }), /bad kid/],
      ['kid not a UUID', token(exp, { kid: 'k1' }), /bad kid/],
      ['garbage', 'a.b', /not a JWT/],
    ] as const) {
      const err = await v.verify(t).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(AlbTokenError);
      expect((err as Error).message, what).toMatch(reason);
    }
    expect(fetched).toHaveLength(1);
    const right = new AlbOidcVerifier(settings({ clientId: 'c2' }), async () => pem);
    await expect(right.verify(token(exp))).rejects.toThrow(/another OIDC client/);
    const t = token(exp);
    const [h, , s] = t.split('.');
    const tampered = `${h}.${seg({ sub: 'x', email: 'admin@x' })}.${s}`;
    await expect(new AlbOidcVerifier(settings(), async () => pem).verify(tampered)).rejects.toThrow(/bad signature/);
  });

  it('retries a key that could not be fetched after a minute, and never names the key server to the client', async () => {
    let calls = 0;
    let now = Date.now();
    const v = new AlbOidcVerifier(
      settings({ role: 'engineer' }),
      async (url) => {
        calls++;
        if (calls === 1) throw new Error(`ALB public key ${url}: network down`);
        return pem;
      },
      () => now,
    );
    const exp = Math.floor(now / 1000) + 120;
    const failed = await v.verify(token(exp)).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(AlbTokenError);
    expect((failed as Error).message).not.toContain('https://keys');
    now += 1000;
    await expect(v.verify(token(exp))).rejects.toBeInstanceOf(AlbTokenError);
    expect(calls).toBe(1);
    now += 60_000;
    await expect(v.verify(token(exp))).resolves.toMatchObject({ username: 'a@b.c' });
    expect(calls).toBe(2);
  });

  it('does not fetch a key for every random kid (issue #17 defect 8): at most 10 new keys a minute', async () => {
    const fetched: string[] = [];
    let now = Date.now();
    const v = new AlbOidcVerifier(
      settings(),
      async (url) => {
        fetched.push(url);
        throw new Error('404');
      },
      () => now,
    );
    const exp = Math.floor(now / 1000) + 600;
    // Random UUIDs: the library's own kid check lets them through, so only the bound stops the fetches.
    for (let i = 0; i < 50; i++) {
      await expect(v.verify(token(exp, { kid: randomUUID() }))).rejects.toBeInstanceOf(AlbTokenError);
    }
    expect(fetched.length).toBe(10);
    now += 60_001;
    await expect(v.verify(token(exp, { kid: randomUUID() }))).rejects.toBeInstanceOf(AlbTokenError);
    expect(fetched.length).toBe(11);
  });

  it('keeps no key object per token issuer (the library caches them by the unverified iss, unbounded)', async () => {
    const v = new AlbOidcVerifier(settings(), async () => pem);
    const exp = Math.floor(Date.now() / 1000) + 60;
    for (let i = 0; i < 20; i++) await v.verify(token(exp, {}, { iss: `https://idp-${i}` }));
    // aws-jwt-verify 5.2.1 internals (JwtVerifierBase.publicKeyCache: iss -> kid -> alg -> KeyObject).
    const internal = (v as unknown as { verifier: { publicKeyCache: { publicKeys: Map<string, unknown> } } }).verifier;
    expect(internal.publicKeyCache.publicKeys.size).toBe(0);
  });

  it('shares one fetch between concurrent requests for a new key', async () => {
    let calls = 0;
    const v = new AlbOidcVerifier(settings(), async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return pem;
    });
    const t = token(Math.floor(Date.now() / 1000) + 60);
    await Promise.all(Array.from({ length: 20 }, () => v.verify(t)));
    expect(calls).toBe(1);
  });
});
