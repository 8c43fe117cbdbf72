import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** dist/bundle/code-cache.json, written by bundle.mjs: the digest that names main.cjs's code cache. */
interface CodeCacheKey {
  key: string;
  /** main.cjs has no byte ≥ 0x80: latin1 is then the same text, read without decoding UTF-8 */
  ascii: boolean;
}

/** What one start did with the code cache (L1T_CODE_CACHE_DEBUG=1 prints it; the tests read it). */
export type CodeCacheUse = 'used' | 'written' | 'rejected-rewritten' | 'none';

/** The wrapper Node gives a CommonJS module: the bundle sees require, module, __filename, __dirname. */
const WRAPPER = '(function (exports, require, module, __filename, __dirname, __l1tImportHost) {';

/**
 * Runs the CLI's CommonJS bundle (dist/bundle/main.cjs, see bundle.mjs) with V8's code cache: the compiled
 * bytecode of every function the last cache-writing run had compiled, so this start does not parse and
 * compile them again (~2 MB of JavaScript; Node 20's ES-module loader offers no code cache, and its
 * `module.enableCompileCache()` arrived in Node 22). Hand-written because the one maintained library for
 * it, v8-compile-cache, writes the cache right after compiling, before the functions a run needs are
 * compiled, and its scripts lose import() when compiled from the cache (below).
 *
 * The cache lives beside the bundle, named by the bundle's digest (V8 itself checks only the source's
 * length, its own version and flags). When there is none, or V8 rejects it (another Node), this run writes
 * one as it exits — best effort: a read-only install just runs without.
 */
export function runBundle(entry: URL): void {
  const file = fileURLToPath(entry);
  const dir = dirname(file);
  // L1T_DEBUG=1: stack traces through the bundle's source maps, which Node applies to require()d modules
  // but not to a vm.Script — so require() it, without the cache
  if (process.env['L1T_DEBUG']) {
    createRequire(file)(file);
    return;
  }
  const meta = codeCacheMeta(dir);
  const source = readFileSync(file, meta?.ascii ? 'latin1' : 'utf8');
  const cacheFile = meta && `${dir}/main.cjs.${meta.key}.v8-cache`;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // none yet: this run writes it
    }
  }
  const script = new Script(`${WRAPPER}${source}\n})`, {
    filename: file,
    columnOffset: -WRAPPER.length, // stack traces give main.cjs's own columns (it is one long line)
    ...(cachedData ? { cachedData } : {}),
  });
  const use: CodeCacheUse = !cacheFile
    ? 'none'
    : !cachedData
      ? 'written'
      : script.cachedDataRejected
        ? 'rejected-rewritten'
        : 'used';
  if (process.env['L1T_CODE_CACHE_DEBUG']) process.stderr.write(`l1t: code cache ${use}\n`);
  if (cacheFile && use !== 'used') {
    // at exit: the cache then holds every function this run compiled (the command's too), not only the top
    process.once('exit', () => writeCodeCache(script, cacheFile));
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
    importHost: (specifier: string) => Promise<unknown>,
  ) => void;
  // Node 20 drops a vm.Script's import() callback when it comes from a code cache: bundle.mjs turned the
  // bundle's import() of each package into calls of this, an import() of this ES module (same node_modules)
  run(module.exports, createRequire(file), module, file, dir, (specifier) => import(specifier));
}

function codeCacheMeta(dir: string): CodeCacheKey | undefined {
  try {
    const meta = JSON.parse(readFileSync(`${dir}/code-cache.json`, 'utf8')) as CodeCacheKey;
    return /^[0-9a-f]{16}$/.test(meta.key) ? meta : undefined;
  } catch {
    return undefined; // a bundle without a key (older bundle.mjs): no cache rather than a wrong one
  }
}

function writeCodeCache(script: Script, cacheFile: string): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile); // whole or not at all: a concurrent start reads the old file or the new one
  } catch {
    try {
      rmSync(tmp, { force: true }); // read-only install, full disk: run without a cache
    } catch {
      // nothing was written
    }
  }
}
