import { authHeaders, streamSse } from '../api';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  /** Upload progress 0–1 (bytes sent). */
  sent: number;
  phase: 'uploading' | 'queued' | 'analysing' | 'done' | 'failed';
  /** Analysis progress 0–1 from the file's SSE events. */
  progress: number;
  fileId?: string;
  anomalyCount?: number;
  error?: string | null;
  warning?: string | null;
  duplicate?: boolean;
}

interface FileEvent {
  status: UploadItem['phase'];
  progress: number;
  anomaly_count: number;
  error: string | null;
  warning: string | null;
}

/** A batch id (UUID v4); `crypto.randomUUID` exists only in secure contexts, plain HTTP on a LAN included not. */
export function newBatchId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The session name of a batch: the user's, or after its files (`du1.pcap`, `du1.pcap + 10 more`). */
export function batchSessionName(typed: string, files: readonly { name: string }[]): string {
  const name = typed.trim();
  if (name) return name.slice(0, 200);
  const [first] = files;
  if (!first) return `uploads ${new Date().toISOString().slice(0, 10)}`;
  return files.length === 1 ? first.name : `${first.name} + ${files.length - 1} more`;
}

/**
 * Uploads one file with XMLHttpRequest (fetch has no upload progress), then follows its analysis over SSE.
 * `onChange` receives partial updates of the item.
 */
export function uploadFile(
  file: File,
  sessionName: string,
  onChange: (u: Partial<UploadItem>) => void,
  signal: AbortSignal,
  batchId?: string,
  profile?: string,
  profileJson?: string,
): Promise<void> {
  return new Promise<string>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onChange({ sent: e.loaded / e.total });
    };
    xhr.onload = () => {
      let body: { id?: string; status?: string; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) {
        onChange({
          sent: 1,
          fileId: body.id,
          phase: (body.status as UploadItem['phase']) ?? 'queued',
          duplicate: xhr.status === 200,
        });
        resolve(body.id);
      } else {
        reject(new Error(body.error?.message ?? `upload failed: HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('upload failed: network error'));
    signal.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('session', sessionName);
    // The files dropped together are one session (the server creates it with the first of them).
    if (batchId) form.append('batch', batchId);
    if (profileJson)
      form.append('profile_json', profileJson); // a profile document from disk
    else if (profile) form.append('profile', profile); // a saved profile, by name
    form.append('file', file, file.name); // last: the fields above must reach the server before the file
    xhr.send(form);
  }).then((id) =>
    streamSse(
      `/api/files/${encodeURIComponent(id)}/events`,
      (_event, data) => {
        const e = data as FileEvent;
        onChange({
          phase: e.status,
          progress: e.progress,
          anomalyCount: e.anomaly_count,
          error: e.error,
          warning: e.warning,
        });
      },
      signal,
    ),
  );
}
