import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const WORKSPACES: Record<string, string> = {
  '@l1t/contracts': 'packages/contracts',
  '@l1t/capture': 'packages/capture',
  '@l1t/detect': 'packages/detect',
  '@l1t/store': 'packages/store',
  '@l1t/advisor': 'packages/advisor',
  '@l1t/pipeline': 'packages/pipeline',
  '@l1t/server': 'apps/server',
  '@l1t/cli': 'apps/cli',
};

// Tests run against the TypeScript sources of sibling workspaces, so `npm test` needs no build first.
const alias = Object.entries(WORKSPACES).map(([name, dir]) => ({
  find: new RegExp(`^${name}$`),
  replacement: fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'deploy/**/*.test.ts', 'bench/**/*.test.ts', 'e2e/**/*.test.ts'],
    // chDB is a native engine that binds one data directory per process: forks isolate test files.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
