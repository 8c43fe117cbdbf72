/** Typed client of the HTTP API (interfaces.md), with the bearer token of a login when auth is on. */
export interface SessionRow {
  id: string;
  name: string;
  status: string;
  files_processed: number;
  files_failed: number;
  anomalies_detected: number;
  /** Findings the session holds now (files analysed again later moved theirs to that session). */
  anomalies_stored?: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface FileRow {
  id: string;
  name: string;
  size: number;
  sha256?: string;
  format: string;
  format_detail?: string | null;
  status: string;
  progress?: number;
  packet_count: number;
  anomaly_count: number;
  error: string | null;
  warning: string | null;
  session_id: string | null;
  duration_ms?: number | null;
  summary?: Record<string, unknown> | null;
}

export interface AppConfig {
  auth: boolean;
  advisor: string;
  user: string | null;
}

export type Severity = 'critical' | 'major' | 'minor' | 'info';
export type AnomalyStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';
export const SEVERITIES: Severity[] = ['critical', 'major', 'minor', 'info'];
export const STATUSES: AnomalyStatus[] = ['open', 'acknowledged', 'resolved', 'false_positive'];
export const SOURCES = ['fronthaul', 'timing', 'ue'] as const;

export interface AnomalyRow {
  id: string;
  type: string;
  source: string;
  severity: Severity;
  confidence: number;
  timestamp: string;
  end_timestamp?: string;
  file: string;
  file_id?: string;
  session_id?: string;
  packet_index: number;
  packet_count: number;
  flow?: Record<string, string | number>;
  radio?: Record<string, string | number>;
  description: string;
  evidence: Record<string, unknown>;
  status?: AnomalyStatus;
}

export interface AnomalyDetail extends AnomalyRow {
  packet_context: Record<string, unknown>[];
  status: AnomalyStatus;
  status_history: { status: AnomalyStatus; note: string | null; userId: string | null; at: string }[];
}

export interface MetricRow {
  timestamp: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface DashboardSummary {
  window: { from: string; to: string };
  cards: {
    key: string;
    label: string;
    description?: string;
    value: number;
    previous: number;
    change_pct: number | null;
    unit?: string;
  }[];
  total: number;
  trend: { bucket: string; total: number; bySeverity: Record<string, number> }[];
  bucket_ms: number;
  by_type: { type: string; count: number; worstSeverity: string }[];
  by_severity: Record<string, number>;
  by_source: Record<string, number>;
  by_file: { fileId: string; file: string; count: number }[];
  heatmap: { types: string[]; cells: { hour: number; type: string; count: number }[] };
  top_flows: {
    eaxc: number | null;
    plane: string | null;
    direction: string | null;
    /** The radio link: MAC pair and VLAN. */
    link?: string | null;
    count: number;
    types: string[];
  }[];
  recurring: { type: string; eaxc: number | null; files: number; count: number; first: string; last: string }[];
}

const TOKEN_KEY = 'l1t.token';
export const getToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const setToken = (t: string | null): void =>
  t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY);

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function authHeaders(): Record<string, string> {
  const t = getToken();
  return t ? { authorization: `Bearer ${t}` } : {};
}

async function send<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...authHeaders(), ...(init.headers ?? {}) },
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiRequestError(message, res.status);
  }
  return (await res.json()) as T;
}

export const getJson = <T>(path: string, signal?: AbortSignal): Promise<T> => send<T>(path, signal ? { signal } : {});
export const sendJson = <T>(method: string, path: string, body: unknown): Promise<T> =>
  send<T>(path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/** Query string of the non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Server-sent events over fetch (EventSource cannot send an Authorization header). Calls `onEvent` per
 * event with its name (`message` by default) and parsed JSON data; resolves when the stream ends.
 */
export async function streamSse(
  path: string,
  onEvent: (event: string, data: unknown) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch(path, { headers: { accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!res.ok || !res.body) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      /* keep the status line */
    }
    throw new ApiRequestError(message, res.status);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let end: number;
    while ((end = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      let parsed: unknown = data.join('\n');
      try {
        parsed = JSON.parse(parsed as string);
      } catch {
        /* plain text data */
      }
      onEvent(event, parsed);
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** A nanosecond timestamp shown with microseconds (UTC): what an engineer compares with Wireshark. */
export function formatTime(ts: string): string {
  return ts.replace('T', ' ').replace(/(\.\d{6})\d*Z$/, '$1');
}

export function describeFlow(flow?: Record<string, string | number>): string {
  if (!flow) return '';
  const parts: string[] = [];
  if (flow.eaxc !== undefined) parts.push(`eAxC ${flow.eaxc}`);
  // A PTP port is S-plane by definition: its identity (21 characters) is what the column must keep whole.
  if (flow.plane && !flow.ptp_port) parts.push(`${String(flow.plane).toUpperCase()}-plane`);
  if (flow.direction) parts.push(String(flow.direction).toUpperCase());
  if (flow.ptp_port) parts.push(`PTP ${flow.ptp_port}`);
  if (flow.vlan !== undefined) parts.push(`VLAN ${flow.vlan}`);
  return parts.join(' · ');
}

/** Related findings grouped into one incident (GET /api/incidents, reference/anomalies.md §Incidents). */
export interface IncidentRow {
  id: string;
  file_id: string;
  session_id: string | null;
  file: string;
  scope: string;
  title: string;
  severity: Severity;
  hypothesis: string;
  start: string;
  end: string;
  finding_ids: string[];
  types: Record<string, number>;
}

export interface IncidentDetail extends IncidentRow {
  findings: AnomalyRow[];
}

/** The last part of a path as analysed (`/data/du1.pcap` → `du1.pcap`). */
export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
