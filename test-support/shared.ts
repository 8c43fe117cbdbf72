import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Root of the read-only shared folder (samples, reference) beside the repository, or L1T_SHARED_DIR. */
export const SHARED_DIR =
  process.env.L1T_SHARED_DIR ?? fileURLToPath(new URL('../../shared', import.meta.url));

/** True when CI demands that every suite runs: a missing server, browser or sample set is a failure. */
export const REQUIRE_ALL_SUITES = process.env.L1T_REQUIRE_ALL_SUITES === '1';

/**
 * Locates a folder under shared/. When it is missing and L1T_REQUIRE_ALL_SUITES=1 this throws (the suite
 * fails); otherwise the caller skips with `it.runIf(result.available)`.
 */
export function requireSharedDir(relative: string): { available: boolean; path: string } {
  const path = `${SHARED_DIR}/${relative}`;
  const available = existsSync(path);
  if (!available && REQUIRE_ALL_SUITES) throw new Error(`${path} is missing and L1T_REQUIRE_ALL_SUITES=1`);
  return { available, path };
}
