import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuild } from '../../test-support/built.js';

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Array<{ op: string; args: string; stage: number }> {
  const out: Array<{ op: string; args: string; stage: number }> = [];
  let stage = -1;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    if (m[1] === 'FROM') stage++;
    out.push({ op: m[1]!, args: m[2]!.replace(/\s+/g, ' '), stage });
  }
  return out;
}

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const all = instructions(dockerfile);
const froms = all.filter((i) => i.op === 'FROM');
const lastStage = froms.length - 1;
const runtime = all.filter((i) => i.stage === lastStage);
const build = all.filter((i) => i.stage === 0);

describe('Dockerfile', () => {
  it('is multi-stage on a Node 20 slim base pinned by exact version (or digest)', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const arg = all.find((i) => i.op === 'ARG' && i.stage === -1 && i.args.startsWith('NODE_IMAGE='));
    const base = arg?.args.slice('NODE_IMAGE='.length);
    expect(base).toMatch(/^node:20\.\d+\.\d+-(bookworm|bullseye|trixie)-slim(@sha256:[0-9a-f]{64})?$/);
    for (const f of froms) expect(f.args).toMatch(/^\$\{NODE_IMAGE\} AS [a-z]+$/);
  });

  it('builds in the first stage: npm ci with the lock file, then npm run build', () => {
    const runs = build.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /^npm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
    // Every workspace's manifest is copied before `npm ci` (else its dependencies would be missing).
    const workspaces = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] })
      .workspaces;
    const copies = build.filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const ws of workspaces) expect(copies, ws).toContain(`${ws}/package.json ${ws}/`);
  });

  it('runtime stage: production dependencies only, built files from the build stage, chDB only when EMBEDDED=1', () => {
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args);
    const ci = runs.find((r) => r.includes('npm ci'));
    expect(ci).toMatch(/npm ci --omit=dev\b/);
    expect(runs.join('\n')).not.toMatch(/npm (install|i) |npm run build|--include=dev/);
    expect(ci).toContain('if [ "$EMBEDDED" != "1" ]; then rm -rf node_modules/chdb node_modules/@chdb; fi');
    expect(runtime.some((i) => i.op === 'ARG' && i.args === 'EMBEDDED=0')).toBe(true);
    // Nothing from the build context: sources, tests and dev tooling cannot leak into the image.
    for (const c of runtime.filter((i) => i.op === 'COPY')) expect(c.args).toMatch(/^--from=build \/out\//);
    expect(runtime.find((i) => i.op === 'ENV')?.args).toContain('NODE_ENV=production');
  });

  it('runs as uid 1001, read-only-root friendly, with a /healthz HEALTHCHECK and the server as CMD', () => {
    const users = runtime.filter((i) => i.op === 'USER');
    expect(users.at(-1)?.args).toBe('1001:1001');
    // USER comes after the last RUN: nothing later runs as root.
    const lastRun = runtime.map((i) => i.op).lastIndexOf('RUN');
    expect(runtime.map((i) => i.op).lastIndexOf('USER')).toBeGreaterThan(lastRun);
    expect(runtime.find((i) => i.op === 'RUN' && i.args.includes('useradd'))?.args).toMatch(/--uid 1001 --gid 1001/);
    expect(runtime.find((i) => i.op === 'VOLUME')?.args).toBe('["/tmp", "/data"]');
    const hc = runtime.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(hc).toContain('/healthz');
    expect(hc).toMatch(/CMD \["node", "-e"/);
    expect(runtime.find((i) => i.op === 'EXPOSE')?.args).toBe('5000');
    expect(JSON.parse(runtime.findLast((i) => i.op === 'CMD')!.args)).toEqual(['node', 'apps/server/dist/main.js']);
  });

  it('.dockerignore keeps dependencies, build output, git, local data and secrets out of the context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const p of ['**/node_modules', '**/dist', '.git', '.l1t', '.env', '.env.*']) expect(ignored).toContain(p);
  });
});

/** Bare package names imported by the built JavaScript under `dir` (static and dynamic imports). */
function importedPackages(dir: string, found = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) importedPackages(p, found);
    else if (/\.(m?js)$/.test(name) && !/\.test\.js$/.test(name) && !p.includes('/test-support/')) {
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(
        /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
      )) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        found.set(pkg, p);
      }
    }
  }
  return found;
}

const built = requireBuild();

describe.runIf(built)('the image contents (deploy/docker/assemble.mjs over the build)', () => {
  const out = mkdtempSync(join(tmpdir(), 'l1t-image-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('ships every workspace’s published files and nothing else', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'deploy/docker/assemble.mjs'), out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of [
      'apps/server/dist/main.js',
      'apps/cli/bin/l1t.js',
      'apps/cli/dist/main.js',
      'apps/web/dist/index.html',
      'packages/store/dist/index.js',
    ])
      expect(existsSync(join(out, 'app', f)), f).toBe(true);
    for (const f of ['package.json', 'package-lock.json', 'apps/server/package.json'])
      expect(existsSync(join(out, 'manifests', f)), f).toBe(true);
    const sources = spawnSync(
      'find',
      [
        join(out, 'app'),
        '-name',
        'src',
        '-o',
        '-name',
        'node_modules',
        '-o',
        '-name',
        '*.ts',
        '-not',
        '-name',
        '*.d.ts',
      ],
      { encoding: 'utf8' },
    );
    expect(sources.stdout).toBe('');
  });

  it('the built code imports only packages that `npm ci --omit=dev` installs, and chDB never statically', () => {
    // package-lock v3 marks what only development needs (`dev` / `devOptional`): that is left out of the image.
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const workspaces = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] })
      .workspaces;
    for (const ws of workspaces.filter((w) => w !== 'apps/web')) {
      for (const [name, file] of importedPackages(join(REPO_ROOT, ws, 'dist'))) {
        expect(name, `${file} imports ${name}`).not.toBe('chdb');
        const entry = lock.packages[`node_modules/${name}`];
        expect(entry, `${file} imports ${name}, which the lock file does not install`).toBeDefined();
        expect(entry!.dev || entry!.devOptional, `${file} imports ${name}, a development-only package`).toBeFalsy();
      }
    }
  });
});
