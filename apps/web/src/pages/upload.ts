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

/**
 * Uploads one file with XMLHttpRequest (fetch has no upload progress), then follows its analysis over SSE.
 * `onChange` receives partial updates of the item.
 */
export function uploadFile(
  file: File,
  sessionName: string,
  onChange: (u: Partial<UploadItem>) => void,
  signal: AbortSignal,
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
    form.append('file', file, file.name);
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
