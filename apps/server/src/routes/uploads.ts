import type { Request, RequestHandler } from 'express';
import busboy from 'busboy';
import type { FullMetadataStore } from '@l1t/store';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import type { UploadService, UploadOutcome } from '../services/upload-service.js';
import { fileForUser } from './files.js';
import { IdParam } from './query-schemas.js';
import { validateProfileOr400 } from './profiles.js';
import type { Profile } from '@l1t/contracts';

const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The profile an upload names (`profile`, a saved name) or carries (`profile_json`), validated. */
async function uploadProfile(
  metadata: FullMetadataStore | undefined,
  name: string | undefined,
  json: string | undefined,
): Promise<Profile | undefined> {
  if (json) {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw new ApiError(400, 'invalid_profile', `profile_json is not JSON: ${(err as Error).message}`);
    }
    return validateProfileOr400(doc);
  }
  if (!name || !metadata) return undefined;
  const doc = await metadata.getProfile(name);
  if (!doc) throw notFound(`profile ${name}`);
  return validateProfileOr400(doc);
}

function receiveMultipart(
  req: Request,
  service: UploadService,
  maxBytes: number,
  metadata?: FullMetadataStore,
): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 10, fileSize: maxBytes + 1, fieldSize: 65_536 },
      });
    } catch {
      reject(new ApiError(400, 'bad_request', 'expected a multipart/form-data body with a field "file"'));
      return;
    }
    let session: string | undefined;
    let batch: string | undefined;
    let profileName: string | undefined;
    let profileJson: string | undefined;
    let handled = false;
    bb.on('field', (name, value) => {
      if (name === 'session') session = String(value).slice(0, 200);
      // The files of one batch upload share one session (issue 16): the client names the batch with a UUID.
      if (name === 'batch' && BATCH_ID.test(String(value))) batch = String(value).toLowerCase();
      // The analysis profile: a saved one by name, or a profile document sent with the file.
      if (name === 'profile' && value) profileName = String(value).slice(0, 100);
      if (name === 'profile_json' && value) profileJson = String(value);
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || handled) {
        stream.resume();
        return;
      }
      handled = true;
      // busboy does not end its file stream when the client goes away, so the upload loop would wait (and
      // hold its partial file and descriptor) forever: end it with an error, and its cleanup runs.
      req.once('close', () => {
        if (!req.complete) stream.destroy(new ApiError(400, 'upload_aborted', 'the upload was aborted by the client'));
      });
      const sessionName = session ?? `uploads ${new Date().toISOString().slice(0, 10)}`;
      uploadProfile(metadata, profileName, profileJson)
        .then((profile) => service.receive(stream, info.filename, sessionName, batch, profile))
        .then(resolve, (err: unknown) => {
          stream.resume(); // a refused profile: drain the file without keeping it
          reject(err);
        });
    });
    bb.on('error', (err) =>
      reject(new ApiError(400, 'bad_request', `malformed multipart body: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (!handled) reject(new ApiError(400, 'bad_request', 'no field "file" in the upload'));
    });
    req.pipe(bb);
  });
}

/** `POST /api/files`: 202 and the queued record, or 200 with the existing record for the same bytes. */
export function uploadHandler(service: UploadService, maxBytes: number, metadata?: FullMetadataStore): RequestHandler {
  return async (req, res) => {
    const outcome = await receiveMultipart(req, service, maxBytes, metadata);
    res.status(outcome.created ? 202 : 200).json(fileForUser(outcome.file, req.user));
  };
}

const TERMINAL = new Set(['done', 'failed']);

/**
 * `GET /api/files/:id/events`: server-sent events with the file's status and progress until it is done or
 * failed (polls PostgreSQL, where any worker process writes progress), with heartbeat comments.
 */
export function fileEventsHandler(metadata: FullMetadataStore, pollMs = 500): RequestHandler {
  return async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const first = await metadata.getFile(id);
    if (!first) throw notFound(`file ${id}`);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    let closed = false;
    req.on('close', () => (closed = true));
    let last = '';
    let lastWrite = Date.now();
    for (let file: typeof first | undefined = first; !closed && file; file = await metadata.getFile(id)) {
      const event = {
        id: file.id,
        status: file.status,
        progress: file.progress,
        anomaly_count: file.anomaly_count,
        error: file.error,
        warning: file.warning,
      };
      const data = JSON.stringify(event);
      if (data !== last) {
        res.write(`event: progress\ndata: ${data}\n\n`);
        last = data;
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite > 15_000) {
        res.write(': ping\n\n');
        lastWrite = Date.now();
      }
      if (TERMINAL.has(file.status)) {
        res.write(`event: ${file.status}\ndata: ${data}\n\n`);
        break;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    res.end();
  };
}
