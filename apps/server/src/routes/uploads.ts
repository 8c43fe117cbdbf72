import type { Request, RequestHandler } from 'express';
import busboy from 'busboy';
import type { FullMetadataStore } from '@l1t/store';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import type { UploadService, UploadOutcome } from '../services/upload-service.js';
import { fileForUser } from './files.js';
import { IdParam } from './query-schemas.js';

const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function receiveMultipart(req: Request, service: UploadService, maxBytes: number): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: maxBytes + 1, fieldSize: 4096 } });
    } catch {
      reject(new ApiError(400, 'bad_request', 'expected a multipart/form-data body with a field "file"'));
      return;
    }
    let session: string | undefined;
    let batch: string | undefined;
    let handled = false;
    bb.on('field', (name, value) => {
      if (name === 'session') session = String(value).slice(0, 200);
      // The files of one batch upload share one session (issue 16): the client names the batch with a UUID.
      if (name === 'batch' && BATCH_ID.test(String(value))) batch = String(value).toLowerCase();
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
      service.receive(stream, info.filename, sessionName, batch).then(resolve, reject);
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
export function uploadHandler(service: UploadService, maxBytes: number): RequestHandler {
  return async (req, res) => {
    const outcome = await receiveMultipart(req, service, maxBytes);
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
