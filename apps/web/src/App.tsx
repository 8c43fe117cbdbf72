import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getJson, type AppConfig, type FileRow, type SessionRow } from './api';

function formatBytes(n: number): string {
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

function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value}</span>;
}

function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}

function ErrorBox({ error }: { error: unknown }) {
  return (
    <p className="error" role="alert">
      Could not load: {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

function Files({ sessionId }: { sessionId: string }) {
  const files = useQuery({
    queryKey: ['files', sessionId],
    queryFn: () => getJson<{ items: FileRow[]; total: number }>(`/api/files?session_id=${encodeURIComponent(sessionId)}&limit=500`),
  });
  if (files.isPending) return <Loading what="files" />;
  if (files.isError) return <ErrorBox error={files.error} />;
  if (files.data.items.length === 0) return <p className="muted">No files in this session.</p>;
  return (
    <table aria-label="Files">
      <thead>
        <tr>
          <th>File</th>
          <th>Format</th>
          <th className="num">Size</th>
          <th className="num">Records</th>
          <th className="num">Anomalies</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {files.data.items.map((f) => (
          <tr key={f.id}>
            <td>
              {f.name}
              {f.error && <div className="error small">{f.error}</div>}
              {f.warning && <div className="warning small">{f.warning}</div>}
            </td>
            <td>{f.format}</td>
            <td className="num">{formatBytes(f.size)}</td>
            <td className="num">{f.packet_count.toLocaleString()}</td>
            <td className="num">{f.anomaly_count.toLocaleString()}</td>
            <td>
              <Status value={f.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function App() {
  const config = useQuery({ queryKey: ['config'], queryFn: () => getJson<AppConfig>('/api/config'), refetchInterval: false });
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: () => getJson<{ items: SessionRow[] }>('/api/sessions?limit=100') });
  const [selected, setSelected] = useState<string | undefined>();
  const current = selected ?? sessions.data?.items[0]?.id;

  return (
    <div className="app">
      <header>
        <h1>L1 Troubleshooting System</h1>
        {config.data && !config.data.auth && (
          <span className="banner" title="Local embedded start: anyone who reaches this port can use it">
            Authentication off (local)
          </span>
        )}
      </header>
      <main>
        <section className="sessions" aria-label="Sessions">
          <h2>Sessions</h2>
          {sessions.isPending && <Loading what="sessions" />}
          {sessions.isError && <ErrorBox error={sessions.error} />}
          {sessions.data && sessions.data.items.length === 0 && (
            <p className="muted">No analysis sessions yet. Run <code>npx l1t analyze FOLDER</code>.</p>
          )}
          <ul>
            {sessions.data?.items.map((s) => (
              <li key={s.id}>
                <button className={s.id === current ? 'selected' : ''} onClick={() => setSelected(s.id)}>
                  <strong>{s.name}</strong>
                  <span className="muted small">
                    {new Date(s.started_at).toLocaleString()} · {s.files_processed} files · {s.anomalies_detected} anomalies
                  </span>
                  <Status value={s.status} />
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="files" aria-label="Session files">
          <h2>Files</h2>
          {current ? <Files sessionId={current} /> : <p className="muted">Select a session.</p>}
        </section>
      </main>
    </div>
  );
}
