import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { UserRole } from '@l1t/store';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { configFromEnv, openStoresOrExit } from '../open-stores.js';

const ROLES: readonly UserRole[] = ['admin', 'engineer', 'viewer'];
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/;

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream)
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  return text;
}

/**
 * `l1t user add NAME --role admin [--password-file FILE] [--token NAME]`: a local user with a bcrypt
 * password hash in PostgreSQL (the first admin of a deployment). The password is read from the file or
 * from standard input (first line), never from the command line where `ps` would show it. `--token`
 * also creates an API token for scripts and prints it once on stdout.
 */
export async function userAddCommand(
  name: string,
  opts: { role?: string; passwordFile?: string; token?: string },
  io: CliIo,
): Promise<number> {
  if (!USERNAME.test(name)) throw new UsageError(`user name: letters, digits and . _ @ - (got '${name}')`);
  const role = (opts.role ?? 'engineer') as UserRole;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be admin, engineer or viewer (got '${opts.role}')`);
  const raw = opts.passwordFile ? await readFile(opts.passwordFile, 'utf8') : await readStdin(io.stdin);
  const password = raw.split(/\r?\n/)[0] ?? '';
  if (password.length < 8)
    throw new UsageError('the password must have at least 8 characters (from --password-file or standard input)');
  const config = configFromEnv(io);
  // an ES module the CommonJS bundle cannot require(): imported when the command runs
  const { hashPassword, hashToken } = await import('@l1t/server');
  const stores = await openStoresOrExit(io, config);
  try {
    await stores.metadata.migrate();
    if (await stores.metadata.getUserByUsername(name)) throw new UsageError(`user ${name} already exists`);
    const user = await stores.metadata.createUser({ username: name, passwordHash: await hashPassword(password), role });
    io.stderr.write(`user ${name} (${role}) created\n`);
    if (opts.token) {
      const token = `l1t_${randomBytes(24).toString('base64url')}`;
      await stores.metadata.createApiToken({ userId: user.id, name: opts.token, tokenHash: hashToken(token) });
      io.stdout.write(`${token}\n`);
    }
  } finally {
    await stores.close();
  }
  return EXIT_OK;
}
