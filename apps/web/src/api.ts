/** Minimal typed client of the HTTP API (interfaces.md). */
export interface SessionRow {
  id: string;
  name: string;
  status: string;
  files_processed: number;
  files_failed: number;
  anomalies_detected: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface FileRow {
  id: string;
  name: string;
  size: number;
  format: string;
  status: string;
  packet_count: number;
  anomaly_count: number;
  error: string | null;
  warning: string | null;
  session_id: string | null;
}

export interface AppConfig {
  auth: boolean;
  advisor: string;
  user: string | null;
}

export class ApiRequestError extends Error {}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiRequestError(message);
  }
  return (await res.json()) as T;
}
