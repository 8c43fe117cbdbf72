import { readFile } from 'node:fs/promises';
import { parseProfile, type Profile } from '@l1t/contracts';
import { checkProfileThresholds } from '@l1t/pipeline';
import { UsageError } from './cli-errors.js';

/** Reads `--profile FILE`; a missing file, bad JSON or an unknown key is a usage error naming it. */
export async function loadProfileFile(path: string | undefined): Promise<Profile | undefined> {
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read profile ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`profile ${path} is not JSON: ${(err as Error).message}`);
  }
  try {
    const profile = parseProfile(doc);
    // The detectors' options: an unknown type or option under `thresholds` names the key (interfaces.md).
    checkProfileThresholds(profile);
    return profile;
  } catch (err) {
    throw new UsageError(`profile ${path}: ${(err as Error).message}`);
  }
}
