import type { Profile } from '@l1t/contracts';
import { bindSiteModel, parseSiteModel, type WindowSiteModel } from '@l1t/detect';
import { analyzeFile, type AnalyzeInput, type AnalyzeOptions, type FileResult } from './analyze-file.js';

/**
 * Site models of `window_stat_outlier` (issue 4 item 7: "models kept per site in the metadata store and
 * refreshed after every N files"): the glue between the metadata store and the detector's site-model
 * plumbing. The site is the profile's `name` (or `default`); the model is stored as the setting
 * `site_model:<site>:window_stat_outlier` (JSON, a few hundred kB at most: see detect/ml/site-model.ts).
 *
 * Per file: load the site's model, bind it to a fresh copy of the profile (the registered detector picks
 * it up from there), analyse, and store the updated model when the file was analysed. Files of one site
 * are folded in one at a time in this process (a per-site queue), so concurrent analyses do not lose each
 * other's updates and fold in the order the files were started — the same order as on one thread, so the
 * findings do not depend on the number of workers. A worker thread (no store handle) gets the loaded model
 * with its task and hands the updated one back with its result ({@link analyzeWithSiteModel}).
 */

/** The part of the metadata store this needs (MetadataStore has it). */
export interface SiteModelSettings {
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
}

export const DEFAULT_SITE = 'default';
export const SITE_MODEL_DETECTOR = 'window_stat_outlier';

/** The site of a profile: its `name` trimmed, or `default`. */
export function siteOf(profile: Profile | undefined): string {
  const name = profile?.name?.trim();
  return name ? name : DEFAULT_SITE;
}

/** Settings key of a site's model. */
export function siteModelKey(site: string): string {
  return `site_model:${site}:${SITE_MODEL_DETECTOR}`;
}

export async function loadSiteModel(store: SiteModelSettings, site: string): Promise<unknown> {
  return store.getSetting(siteModelKey(site));
}

export async function saveSiteModel(store: SiteModelSettings, site: string, model: WindowSiteModel): Promise<void> {
  await store.putSetting(siteModelKey(site), model);
}

/** What happened to the site model for one file. */
export interface SiteModelOutcome {
  site: string;
  /** A usable model was loaded (baseline rows for at least one unit). */
  loaded: boolean;
  /** The updated model was stored. */
  saved: boolean;
  filesSeen: number;
  refittedAt: string | null;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task of the same site in this process. */
function serialise<T>(site: string, task: () => Promise<T>): Promise<T> {
  const prev = queues.get(site) ?? Promise.resolve();
  const run = prev.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(site, tail);
  void tail.then(() => {
    if (queues.get(site) === tail) queues.delete(site);
  });
  return run;
}

/**
 * A copy of `profile` bound to the site model `prior` (the registered detector picks it up from there):
 * analyse with the returned profile, then `updated()` is the model after the file (undefined when the
 * detector did not produce one). Used on this thread and in a worker thread alike.
 */
export function profileWithSiteModel(
  profile: Profile | undefined,
  prior: WindowSiteModel | undefined,
): { profile: Profile; updated: () => WindowSiteModel | undefined } {
  let updated: WindowSiteModel | undefined;
  // a fresh object per file: the binding is keyed by the profile object the detector is created with
  const bound: Profile = { ...(profile ?? {}) };
  bindSiteModel(bound, {
    ...(prior ? { siteModel: prior } : {}),
    onSiteModel: (m) => {
      updated = m;
    },
  });
  return { profile: bound, updated: () => updated };
}

/**
 * {@link analyzeFile} with the site's `window_stat_outlier` model: loaded before, updated after. A file
 * that fails does not touch the model. The window length comes from the profile's
 * `thresholds.window_stat_outlier.window_ms` (a stored model of another window length is ignored).
 */
export function analyzeFileWithSiteModel(
  input: AnalyzeInput,
  options: AnalyzeOptions,
  store: SiteModelSettings,
): Promise<FileResult & { siteModel: SiteModelOutcome }> {
  return analyzeWithSiteModel(options.profile, store, async (prior) => {
    const bound = profileWithSiteModel(options.profile, prior);
    const result = await analyzeFile(input, { ...options, profile: bound.profile });
    const updated = bound.updated();
    return { result, ...(updated ? { updated } : {}) };
  });
}

/**
 * Runs `analyse` (on this thread or elsewhere) with the site's model loaded before and stored after, in
 * the per-site queue of this process.
 */
export function analyzeWithSiteModel(
  profileIn: Profile | undefined,
  store: SiteModelSettings,
  analyse: (prior: WindowSiteModel | undefined) => Promise<{ result: FileResult; updated?: WindowSiteModel }>,
): Promise<FileResult & { siteModel: SiteModelOutcome }> {
  const site = siteOf(profileIn);
  return serialise(site, async () => {
    const stored = await loadSiteModel(store, site);
    const windowMs = Number(profileIn?.thresholds?.window_stat_outlier?.window_ms ?? 100);
    const prior = parseSiteModel(stored, windowMs);
    const { result, updated } = await analyse(prior);
    let saved = false;
    if (result.status === 'done' && updated) {
      await saveSiteModel(store, site, updated);
      saved = true;
    }
    const model = saved ? updated : prior;
    const loaded = prior !== undefined && Object.values(prior.units).some((u) => u.baseline.length > 0);
    return {
      ...result,
      siteModel: { site, loaded, saved, filesSeen: model?.filesSeen ?? 0, refittedAt: model?.refittedAt ?? null },
    };
  });
}
