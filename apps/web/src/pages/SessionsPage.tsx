import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { formatBytes, getJson, type FileRow, type SessionRow } from '../api';
import { Empty, ErrorBox, Loading, ProgressBar, Status } from '../components/ui';
import { batchSessionName, newBatchId, uploadFile, type UploadItem } from './upload';

function FileSummary({ id }: { id: string }) {
  const q = useQuery({
    queryKey: ['file-summary', id],
    queryFn: () => getJson<{ summary: Record<string, unknown> | null }>(`/api/files/${id}/summary`),
    refetchInterval: false,
  });
  if (q.isPending) return <Loading what="decode summary" />;
  if (q.isError) return <ErrorBox error={q.error} />;
  const s = q.data.summary;
  if (!s) return <Empty>No decode summary yet.</Empty>;
  const flat: Record<string, unknown> = {
    ...s,
    ...(s.details && typeof s.details === 'object' ? (s.details as Record<string, unknown>) : {}),
  };
  const FIRST = [
    'records',
    'flows',
    'unknown_records',
    'unknownRecords',
    'malformed_records',
    'malformedRecords',
    'errors',
  ];
  // What was not judged comes first, in words: "0 anomalies" must not read as "all is well" (issue 12).
  const lines = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const warnings = [...lines(flat.warnings), ...lines(flat.detector_warnings)];
  const notAnalysed = Array.isArray(flat.not_analysed)
    ? (flat.not_analysed as { note?: unknown }[]).map((n) => String(n.note ?? '')).filter((n) => !warnings.includes(n))
    : [];
  const entries = Object.entries(flat)
    .filter(
      ([k, v]) =>
        k !== 'details' &&
        k !== 'warnings' &&
        k !== 'detector_warnings' &&
        k !== 'not_analysed' &&
        !/timestamp/.test(k) &&
        (typeof v === 'number' || typeof v === 'string' || (Array.isArray(v) && v.length < 20)),
    )
    .sort(([a], [b]) => (FIRST.includes(a) ? FIRST.indexOf(a) : 99) - (FIRST.includes(b) ? FIRST.indexOf(b) : 99));
  const details: [string, unknown][] = [];
  return (
    <>
      {warnings.length + notAnalysed.length > 0 && (
        <ul className="summary-notes" aria-label="Not analysed">
          {warnings.map((w) => (
            <li key={`w-${w}`} className="warning small">
              {w}
            </li>
          ))}
          {notAnalysed.map((n) => (
            <li key={`n-${n}`} className="small">
              {n}
            </li>
          ))}
        </ul>
      )}
      <dl className="kv" aria-label="Decode summary">
        {[...entries, ...details].slice(0, 24).map(([k, v]) => (
          <div key={k}>
            <dt>{k.replace(/_/g, ' ')}</dt>
            <dd className={typeof v === 'number' ? 'num-value' : undefined}>
              {typeof v === 'object' ? JSON.stringify(v).slice(0, 200) : String(v)}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function Files({ sessionId }: { sessionId: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const files = useQuery({
    queryKey: ['files', sessionId],
    queryFn: () =>
      getJson<{ items: FileRow[]; total: number }>(`/api/files?session_id=${encodeURIComponent(sessionId)}&limit=500`),
  });
  if (files.isPending) return <Loading what="files" />;
  if (files.isError) return <ErrorBox error={files.error} onRetry={() => void files.refetch()} />;
  if (files.data.items.length === 0) return <Empty>No files in this session.</Empty>;
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
        {files.data.items.flatMap((f) => [
          <tr key={f.id}>
            <td>
              <Link to={`/files/${f.id}`}>{f.name}</Link>{' '}
              <button
                className="link small"
                aria-expanded={open === f.id}
                aria-label={`Decode summary of ${f.name}`}
                onClick={() => setOpen(open === f.id ? null : f.id)}
              >
                summary
              </button>
              {f.error && <div className="error small">{f.error}</div>}
              {f.warning && <div className="warning small">{f.warning}</div>}
            </td>
            <td>{f.format}</td>
            <td className="num">{formatBytes(f.size)}</td>
            <td className="num">{f.packet_count.toLocaleString()}</td>
            <td className="num">
              <Link to={`/anomalies?file_id=${f.id}`}>{f.anomaly_count.toLocaleString()}</Link>
            </td>
            <td>
              <Status value={f.status} />
            </td>
          </tr>,
          open === f.id ? (
            <tr key={`${f.id}-summary`} className="subrow">
              <td colSpan={6}>
                <FileSummary id={f.id} />
              </td>
            </tr>
          ) : null,
        ])}
      </tbody>
    </table>
  );
}

function Uploads() {
  const client = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [over, setOver] = useState(false);
  const [sessionName, setSessionName] = useState('');
  const [profile, setProfile] = useState('');
  // A profile document chosen from disk goes with the upload (validated by the server, errors per field).
  const [profileJson, setProfileJson] = useState<{ name: string; text: string } | null>(null);
  const profiles = useQuery({
    queryKey: ['profiles'],
    queryFn: () => getJson<{ items: { name: string }[] }>('/api/profiles'),
  });
  const input = useRef<HTMLInputElement>(null);
  const aborts = useRef<AbortController[]>([]);
  useEffect(() => () => aborts.current.forEach((a) => a.abort()), []);

  const start = useCallback(
    (files: FileList | File[]) => {
      const list = Array.from(files);
      // One batch, one session: named by the user or after its files.
      const name = batchSessionName(sessionName, list);
      const batchId = newBatchId();
      for (const file of list) {
        const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
        const update = (u: Partial<UploadItem>) =>
          setItems((all) => all.map((x) => (x.key === key ? { ...x, ...u } : x)));
        setItems((all) => [
          ...all,
          { key, name: file.name, size: file.size, sent: 0, phase: 'uploading', progress: 0 },
        ]);
        const abort = new AbortController();
        aborts.current.push(abort);
        uploadFile(file, name, update, abort.signal, batchId, profile, profileJson?.text)
          .catch((err: unknown) => {
            if (!abort.signal.aborted)
              update({ phase: 'failed', error: err instanceof Error ? err.message : String(err) });
          })
          .finally(() => void client.invalidateQueries());
      }
    },
    [client, sessionName, profile, profileJson],
  );

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) start(e.dataTransfer.files);
  };

  return (
    <section aria-label="Upload">
      <label className="session-name small">
        Session name{' '}
        <input
          value={sessionName}
          onChange={(e) => setSessionName(e.target.value)}
          placeholder="after its files"
          maxLength={200}
          size={28}
        />
      </label>{' '}
      <label className="small">
        Profile{' '}
        <select aria-label="Profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
          <option value="">auto-detect</option>
          {profiles.data?.items.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>{' '}
        <Link to="/profiles">edit profiles</Link>
      </label>{' '}
      <label className="small">
        or a profile file{' '}
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Profile file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return setProfileJson(null);
            void f.text().then((text) => setProfileJson({ name: f.name, text }));
          }}
        />
        {profileJson && <span className="muted"> {profileJson.name}</span>}
      </label>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        aria-label="Upload captures"
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current?.click()}
      >
        Drop pcap, pcapng or QXDM logs here, or click to choose files
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files?.length) start(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {items.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {items.map((u) => (
            <li key={u.key} data-phase={u.phase}>
              <div className="upload-head">
                <strong>
                  {u.fileId && u.phase === 'done' ? <Link to={`/files/${u.fileId}`}>{u.name}</Link> : u.name}
                </strong>{' '}
                <span className="muted small">{formatBytes(u.size)}</span> <Status value={u.phase} />
                {u.duplicate && <span className="muted small"> (already uploaded)</span>}
              </div>
              {u.phase === 'uploading' ? (
                <ProgressBar value={u.sent} label={`upload ${u.name}`} />
              ) : u.phase !== 'failed' ? (
                <ProgressBar value={u.phase === 'done' ? 1 : u.progress} label={`analysis ${u.name}`} />
              ) : null}
              {u.phase === 'done' && u.fileId && (
                <div className="small">
                  <Link to={`/anomalies?file_id=${u.fileId}`}>{u.anomalyCount ?? 0} anomalies</Link>
                  {u.warning && <span className="warning"> · {u.warning}</span>}
                  <FileSummary id={u.fileId} />
                </div>
              )}
              {u.error && (
                <div className="error small" role="alert">
                  {u.error}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The findings a session holds now, which its anomalies link lists; when files were analysed again in a later
 * session, what it found at the time is said beside it rather than shown as a number the link contradicts.
 */
function SessionCount({ s }: { s: SessionRow }) {
  const stored = s.anomalies_stored ?? s.anomalies_detected;
  if (stored === s.anomalies_detected) return <>{stored.toLocaleString()} anomalies</>;
  return (
    <span title="files of this session were analysed again in a later session, which now holds their findings">
      {stored.toLocaleString()} anomalies ({s.anomalies_detected.toLocaleString()} found; files re-analysed since)
    </span>
  );
}

export function SessionsPage() {
  const params = useParams();
  const navigate = useNavigate();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => getJson<{ items: SessionRow[] }>('/api/sessions?limit=100'),
  });
  const current = params.id ?? sessions.data?.items[0]?.id;
  return (
    <main className="two-col">
      <section className="sessions" aria-label="Sessions">
        <h2>Sessions</h2>
        <Uploads />
        {sessions.isPending && <Loading what="sessions" />}
        {sessions.isError && <ErrorBox error={sessions.error} onRetry={() => void sessions.refetch()} />}
        {sessions.data && sessions.data.items.length === 0 && (
          <Empty>
            No analysis sessions yet. Drop a capture above or run <code>npx l1t analyze FOLDER</code>.
          </Empty>
        )}
        <ul>
          {sessions.data?.items.map((s) => (
            <li key={s.id}>
              <button className={s.id === current ? 'selected' : ''} onClick={() => navigate(`/sessions/${s.id}`)}>
                <strong>{s.name}</strong>
                <span className="muted small">
                  {new Date(s.started_at).toLocaleString()} · {s.files_processed} files · <SessionCount s={s} />
                </span>
                <Status value={s.status} />
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="files" aria-label="Session files">
        <h2>
          Files
          {current && (
            <span className="actions">
              <Link to={`/sessions/${current}/timeline`}>Timeline</Link>
              <Link to={`/anomalies?session_id=${current}`}>Anomalies</Link>
              <Link to={`/dashboard?session_id=${current}`}>Dashboard</Link>
              <a href={`/api/sessions/${current}/report`} download title="Self-contained HTML report (prints to PDF)">
                Report
              </a>
            </span>
          )}
        </h2>
        {current ? <Files sessionId={current} /> : <Empty>Select a session.</Empty>}
      </section>
    </main>
  );
}
