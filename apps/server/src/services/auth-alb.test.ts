import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlbOidcVerifier, AlbTokenError, loadAlbOidcSettings } from './auth-alb.js';

describe('ALB OIDC settings', () => {
  it('are off unless L1T_TRUST_ALB_OIDC=1, with the key URL of the region by default', () => {
    expect(loadAlbOidcSettings({}).enabled).toBe(false);
    const s = loadAlbOidcSettings({ L1T_TRUST_ALB_OIDC: '1', AWS_REGION: 'eu-west-1' });
    expect(s).toMatchObject({
      enabled: true,
      keyUrlBase: 'https://public-keys.auth.elb.eu-west-1.amazonaws.com',
      role: 'engineer',
    });
    expect(loadAlbOidcSettings({ L1T_ALB_KEY_URL: 'http://127.0.0.1:9/keys/' }).keyUrlBase).toBe(
      'http://127.0.0.1:9/keys',
    );
    expect(() => loadAlbOidcSettings({ L1T_ALB_OIDC_ROLE: 'root' })).toThrow(/L1T_ALB_OIDC_ROLE/);
  });
});

describe('AlbOidcVerifier', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const seg = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = (exp: number) => {
    const h = seg({ alg: 'ES256', kid: 'k1', signer: 'arn:alb', exp });
    const p = seg({ sub: 's1', email: 'a@b.c' });
    return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };

  it('fetches each key once and checks the expiry against the clock', async () => {
    const fetched: string[] = [];
    const v = new AlbOidcVerifier(
      { enabled: true, keyUrlBase: 'https://keys', signerArn: 'arn:alb', role: 'viewer' },
      async (url) => {
        fetched.push(url);
        return pem;
      },
    );
    const now = Date.now();
    expect(await v.verify(token(now / 1000 + 60), now)).toEqual({
      userId: 'oidc:s1',
      username: 'a@b.c',
      role: 'viewer',
    });
    await v.verify(token(now / 1000 + 60), now);
    expect(fetched).toEqual(['https://keys/k1']);
    await expect(v.verify(token(now / 1000 - 1), now)).rejects.toBeInstanceOf(AlbTokenError);
  });

  it('retries a key that could not be fetched after a minute, and never names the key server to the client', async () => {
    let calls = 0;
    const v = new AlbOidcVerifier(
      { enabled: true, keyUrlBase: 'https://keys', signerArn: undefined, role: 'engineer' },
      async (url) => {
        calls++;
        if (calls === 1) throw new Error(`ALB public key ${url}: network down`);
        return pem;
      },
    );
    const now = Date.now();
    const failed = await v.verify(token(now / 1000 + 120), now).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(AlbTokenError);
    expect((failed as Error).message).not.toContain('https://keys');
    await expect(v.verify(token(now / 1000 + 120), now + 1000)).rejects.toBeInstanceOf(AlbTokenError);
    expect(calls).toBe(1);
    await expect(v.verify(token(now / 1000 + 120), now + 61_000)).resolves.toMatchObject({ username: 'a@b.c' });
  });

  it('does not fetch a key for every random kid (issue #17 defect 8): at most 10 new keys a minute', async () => {
    const fetched: string[] = [];
    const v = new AlbOidcVerifier(
      { enabled: true, keyUrlBase: 'https://keys', signerArn: undefined, role: 'viewer' },
      async (url) => {
        fetched.push(url);
        throw new Error('404');
      },
    );
    const now = Date.now();
    for (let i = 0; i < 50; i++) {
      const h = seg({ alg: 'ES256', kid: `random-${i}`, signer: 'arn:x', exp: now / 1000 + 60 });
      await expect(v.verify(`${h}.${seg({ sub: 'x' })}.AAAA`, now)).rejects.toBeInstanceOf(AlbTokenError);
    }
    expect(fetched.length).toBe(10);
  });
});
