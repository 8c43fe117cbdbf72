import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { hashToken } from '@l1t/server';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { userAddCommand } from './user.js';

function io(dir: string, stdin: string): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  return {
    stdout,
    stderr: new PassThrough(),
    stdin: Readable.from([stdin]),
    env: { L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' },
    out: () => out,
  };
}

describe('l1t user add', () => {
  it('stores a bcrypt hash of the password read from stdin or a file, and prints a token once with --token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-user-'));
    try {
      const a = io(dir, 'correct horse battery\n');
      expect(await userAddCommand('admin', { role: 'admin', token: 'ci' }, a)).toBe(0);
      const token = a.out().trim();
      expect(token).toMatch(/^l1t_/);
      writeFileSync(join(dir, 'pw'), 'another long secret\nignored');
      expect(await userAddCommand('ops', { passwordFile: join(dir, 'pw') }, io(dir, ''))).toBe(0);
      await expect(userAddCommand('x', { role: 'root' }, io(dir, 'long enough pw'))).rejects.toBeInstanceOf(UsageError);
      await expect(userAddCommand('y', {}, io(dir, 'short'))).rejects.toBeInstanceOf(UsageError);

      const stores = await openStores(loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' }));
      try {
        const admin = await stores.metadata.getUserByUsername('admin');
        expect(admin?.role).toBe('admin');
        expect(await bcrypt.compare('correct horse battery', admin!.passwordHash)).toBe(true);
        const ops = await stores.metadata.getUserByUsername('ops');
        expect(ops?.role).toBe('engineer');
        expect(await bcrypt.compare('another long secret', ops!.passwordHash)).toBe(true);
        expect(await stores.metadata.findUserByTokenHash(hashToken(token))).toMatchObject({ username: 'admin' });
      } finally {
        await stores.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
