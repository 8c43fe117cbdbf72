import { Router } from 'express';
import { z } from 'zod';
import { Profile, type Profile as ProfileType } from '@l1t/contracts';
import { checkProfileThresholds } from '@l1t/pipeline';
import type { FullMetadataStore } from '@l1t/store';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';

const NameParam = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._ -]+$/, 'a profile name'),
});

/** One field-level error of a profile: the key path and what is wrong with it. */
export interface ProfileFieldError {
  path: string;
  message: string;
}

/**
 * Validates a profile document against the profile schema (contracts/profile.ts) and the detectors' threshold
 * options; answers the document or a 400 `invalid_profile` whose `fields` name every bad key.
 */
export function validateProfileOr400(doc: unknown): ProfileType {
  const r = Profile.safeParse(doc);
  if (!r.success) {
    const fields: ProfileFieldError[] = r.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...i.path.map(String), k].join('.'), message: 'unknown key' }))
        : [{ path: i.path.map(String).join('.') || '(root)', message: i.message }],
    );
    throw new ApiError(
      400,
      'invalid_profile',
      `invalid profile: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      {
        details: { fields },
      },
    );
  }
  try {
    checkProfileThresholds(r.data);
  } catch (err) {
    const message = (err as Error).message;
    const path = /'(thresholds\.[^']+)'/.exec(message)?.[1] ?? 'thresholds';
    throw new ApiError(400, 'invalid_profile', `invalid profile: ${message}`, {
      details: { fields: [{ path, message }] },
    });
  }
  return r.data;
}

/**
 * Named analysis profiles in PostgreSQL (`GET/PUT /api/profiles[/:name]`, `POST /api/profiles/validate`) and
 * re-analysis of a stored file with another profile (`POST /api/files/:id/reanalyse { profile }`).
 */
export function profileRoutes(metadata: FullMetadataStore, onJobQueued: () => void): Router {
  const r = Router();
  r.get('/profiles', async (_req, res) => {
    res.json({ items: await metadata.listProfiles() });
  });
  r.post('/profiles/validate', (req, res) => {
    res.json({ ok: true, profile: validateProfileOr400(req.body) });
  });
  r.get('/profiles/:name', async (req, res) => {
    const { name } = parseOr400(NameParam, req.params, 'path');
    const doc = await metadata.getProfile(name);
    if (!doc) throw notFound(`profile ${name}`);
    res.json({ name, profile: doc });
  });
  r.put('/profiles/:name', async (req, res) => {
    const { name } = parseOr400(NameParam, req.params, 'path');
    const profile = validateProfileOr400(req.body);
    await metadata.putProfile(name, profile as Record<string, unknown>);
    res.json({ name, profile });
  });
  r.post('/files/:id/reanalyse', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const body = parseOr400(
      z.strictObject({ profile: NameParam.shape.name.optional(), session: z.string().max(200).optional() }),
      req.body ?? {},
      'body',
    );
    const file = await metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    if (!file.path) throw new ApiError(410, 'capture_gone', 'the capture of this file is no longer stored');
    let profile: ProfileType | undefined;
    if (body.profile) {
      const doc = await metadata.getProfile(body.profile);
      if (!doc) throw notFound(`profile ${body.profile}`);
      profile = validateProfileOr400(doc);
    }
    const sessionName = body.session ?? `${file.name} with profile ${body.profile ?? '(defaults)'}`;
    await metadata.updateFile(id, { status: 'queued', progress: 0 });
    const job = await metadata.enqueueJob(id, { sessionName, ...(profile ? { profile } : {}) });
    onJobQueued();
    res.status(202).json({ id, status: 'queued', job_id: job.id, profile: body.profile ?? null });
  });
  return r;
}
