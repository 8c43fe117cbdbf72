import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlignedData, Options } from 'uplot';
import {
  authHeaders,
  describeFlow,
  formatTime,
  getJson,
  qs,
  sendJson,
  STATUSES,
  streamSse,
  type AnomalyDetail,
  type AnomalyStatus,
  type MetricRow,
} from '../api';
import { Empty, ErrorBox, Loading, SeverityBadge, Status } from '../components/ui';
import { pairEvidence } from '../detail/evidence-pairs';
import { metricUnit, pickSeries, seriesLabel } from '../detail/kpi-series';
import { contextCell, contextColumns, contextHeader } from '../detail/packet-context-columns';
import { useTypewriter } from '../detail/typewriter';
import { utcDate } from '../detail/utc-date';
import { UPlotChart } from '../components/UPlotChart';
import { Markdownish } from '../components/Markdownish';
import { RelatedAcrossSources } from '../components/RelatedAcrossSources';
import { fitValues } from '../components/axis-size';

function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const rows = pairEvidence(evidence);
  if (rows.length === 0) return <Empty>No evidence recorded.</Empty>;
  const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <table aria-label="Evidence" className="evidence">
      <thead>
        <tr>
          <th colSpan={2}>Observed</th>
          <th colSpan={2}>Threshold / expected</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th>{r.observed?.[0] ?? ''}</th>
            <td className="mono">{r.observed ? show(r.observed[1]) : ''}</td>
            <th>{r.limit?.[0] ?? ''}</th>
            <td className="mono">{r.limit ? show(r.limit[1]) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KeyValues({ label, value }: { label: string; value?: Record<string, unknown> }) {
  const entries = Object.entries(value ?? {});
  if (entries.length === 0) return <Empty>No {label.toLowerCase()} keys.</Empty>;
  return (
    <dl className="kv" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd className="mono">{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function PacketContext({
  rows,
  packetIndex,
  type,
}: {
  rows: Record<string, unknown>[];
  packetIndex: number;
  type: string;
}) {
  if (rows.length === 0) return <Empty>No packet context stored for this anomaly.</Empty>;
  const cols = contextColumns(rows, type);
  return (
    <div className="scroll-x">
      <table aria-label="Packet context">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c}>{contextHeader(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={i}
              className={
                r.frame === packetIndex || r['frame.number'] === packetIndex || r.anomaly || r.marked || r.focus
                  ? 'marked'
                  : ''
              }
            >
              {cols.map((c) => (
                <td key={c} className="mono">
                  {contextCell(c, r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KpiChart({ a }: { a: AnomalyDetail }) {
  const t = Date.parse(a.timestamp);
  const from = new Date(t - 2000).toISOString();
  const to = new Date(t + 2000).toISOString();
  const q = useQuery({
    queryKey: ['metrics', a.file_id, a.session_id, from],
    queryFn: ({ signal }) =>
      getJson<{ items: MetricRow[] }>(
        `/api/metrics${qs({ file_id: a.file_id, session_id: a.file_id ? undefined : a.session_id, from, to, limit: 20000 })}`,
        signal,
      ),
    enabled: Boolean(a.file_id || a.session_id),
    refetchInterval: false,
  });
  const series = useMemo(() => {
    const m = new Map<string, MetricRow[]>();
    for (const r of q.data?.items ?? []) {
      // One series per metric and label set; shown by a label that says each key once.
      const key = seriesLabel(r.name, r.labels);
      let list = m.get(key);
      if (!list) m.set(key, (list = []));
      list.push(r);
    }
    return m;
  }, [q.data]);
  const names = [...series.keys()].sort();
  const [chosen, setChosen] = useState<string>('');
  const keys = useMemo(
    () => [...series.entries()].map(([key, rows]) => ({ key, name: rows[0]!.name, labels: rows[0]!.labels })),
    [series],
  );
  const name = chosen && series.has(chosen) ? chosen : (pickSeries(keys, a)?.key ?? names[0] ?? '');
  const metricName = series.get(name)?.[0]?.name ?? '';
  const unit = metricUnit(metricName);
  const plot = useMemo(() => {
    const rows = (series.get(name) ?? []).slice().sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp));
    const data: AlignedData = [rows.map((r) => Date.parse(r.timestamp) / 1000), rows.map((r) => r.value)];
    const mark = t / 1000;
    const options: Omit<Options, 'width' | 'height'> = {
      // A fixed ±2 s window: a lone per-second sample would otherwise stretch the axis over years.
      scales: { x: { time: true, range: [mark - 2, mark + 2] } },
      tzDate: utcDate, // ticks in UTC, as the axis says
      series: [{}, { label: `${name} (${unit})`, stroke: '#3366cc', width: 1.5, points: { show: rows.length < 200 } }],
      // Room for the widest value label, measured (uPlot's 50 px default clipped "-120.5"), and the unit.
      axes: [
        { label: 'time (UTC)', labelSize: 18 },
        {
          label: unit,
          labelSize: 18,
          size: fitValues(),
        },
      ],
      hooks: {
        // The anomaly's moment: a dashed red vertical line.
        draw: [
          (u) => {
            const x = u.valToPos(mark, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#b3261e';
            ctx.setLineDash([6, 4]);
            ctx.lineWidth = 2;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    return { data, options };
  }, [series, name, t, unit]);
  if (q.isPending && q.fetchStatus !== 'idle') return <Loading what="KPIs" />;
  if (q.isError) return <ErrorBox error={q.error} />;
  if (names.length === 0) return <Empty>No KPI samples within ±2 s of this anomaly.</Empty>;
  return (
    <div>
      <label>
        KPI{' '}
        <select value={name} onChange={(e) => setChosen(e.target.value)}>
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <UPlotChart
        options={plot.options}
        data={plot.data}
        label={`KPI ${name} in ${unit} around the anomaly (marked)`}
        height={200}
      />
    </div>
  );
}

function StatusActions({ a }: { a: AnomalyDetail }) {
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const m = useMutation({
    mutationFn: (status: AnomalyStatus) =>
      sendJson('PATCH', `/api/anomalies/${a.id}/status`, { status, ...(note ? { note } : {}) }),
    onSuccess: () => {
      setNote('');
      void client.invalidateQueries({ queryKey: ['anomaly', a.id] });
      void client.invalidateQueries({ queryKey: ['anomalies'] });
    },
  });
  return (
    <div className="status-actions">
      <p>
        Status: <Status value={a.status} />
      </p>
      <textarea
        aria-label="Note"
        placeholder="Note (optional)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={2}
        maxLength={4000}
      />
      <div className="buttons">
        {STATUSES.filter((s) => s !== a.status).map((s) => (
          <button key={s} disabled={m.isPending} onClick={() => m.mutate(s)}>
            Mark {s.replace('_', ' ')}
          </button>
        ))}
      </div>
      {m.isError && <ErrorBox error={m.error} />}
      {a.status_history.length > 0 && (
        <ol className="history" aria-label="Status history">
          {a.status_history.map((h, i) => (
            <li key={i}>
              <Status value={h.status} /> <span className="muted small">{new Date(h.at).toLocaleString()}</span>
              {h.userId && <span className="small"> by {h.userId}</span>}
              {h.note && <div className="small">“{h.note}”</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Recommendation({ id }: { id: string }) {
  const [text, setText] = useState('');
  const [state, setState] = useState<'idle' | 'streaming' | 'done' | 'error'>('idle');
  const [meta, setMeta] = useState<{
    provider?: string;
    model?: string;
    usage?: Record<string, unknown>;
    cached?: boolean;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  // The text appears as it is written, even when the advisor's chunks arrive together (offline: one per section).
  const { shown, typing } = useTypewriter(text);
  const start = (regenerate = false) => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setText('');
    setMeta(null);
    setError(null);
    setState('streaming');
    streamSse(
      `/api/anomalies/${id}/recommendation/stream${regenerate ? '?regenerate=1' : ''}`,
      (event, data) => {
        const d = data as { text?: string; message?: string };
        if (event === 'message' && typeof d.text === 'string') setText((t) => t + d.text);
        else if (event === 'done') {
          setMeta(data as typeof meta);
          setState('done');
        } else if (event === 'error') {
          setError(d.message ?? 'the advisor failed');
          setState('error');
        }
      },
      ctl.signal,
    )
      .then(() => setState((s) => (s === 'streaming' ? 'done' : s)))
      .catch((err: unknown) => {
        if (ctl.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setState('error');
      });
  };
  useEffect(() => {
    start();
    return () => abort.current?.abort();
  }, [id]);
  return (
    <section className="panel recommendation" aria-label="Recommendation" aria-busy={state === 'streaming'}>
      <h3>
        Recommendation
        <button className="link" onClick={() => start(true)} disabled={state === 'streaming'}>
          Regenerate
        </button>
      </h3>
      {state === 'streaming' && !text && <Loading what="recommendation" />}
      {shown && (
        <div
          className="rec-text"
          data-testid="recommendation-text"
          data-streaming={typing || state === 'streaming' ? 'true' : 'false'}
        >
          <Markdownish text={shown} />
          {(typing || state === 'streaming') && <span className="caret" aria-hidden="true" />}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {meta && (
        <p className="muted small" data-testid="recommendation-meta">
          {meta.provider} · {meta.model}
          {meta.cached ? ' · cached' : ''}
          {meta.usage?.total_tokens !== undefined ? ` · ${String(meta.usage.total_tokens)} tokens` : ''}
        </p>
      )}
    </section>
  );
}

/** With auth on, a plain link carries no bearer token: fetch the slice with it and save the blob. */
function downloadWithToken(e: MouseEvent<HTMLAnchorElement>) {
  const headers = authHeaders();
  if (!headers.authorization) return;
  e.preventDefault();
  const link = e.currentTarget;
  void fetch(link.href, { headers }).then(async (res) => {
    if (!res.ok) {
      window.alert(`pcap slice: HTTP ${res.status}`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = link.download;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}

export default function AnomalyDetailPage() {
  const { id = '' } = useParams();
  const q = useQuery({
    queryKey: ['anomaly', id],
    queryFn: ({ signal }) => getJson<AnomalyDetail>(`/api/anomalies/${id}`, signal),
    refetchInterval: false,
  });
  if (q.isPending) return <Loading what="anomaly" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data;
  return (
    <main className="page detail">
      <p>
        <Link to="/anomalies">← Anomalies</Link>
      </p>
      <h2>
        <SeverityBadge value={a.severity} /> {a.type}{' '}
        <span className="muted small">confidence {a.confidence.toFixed(2)}</span>
      </h2>
      <p className="description">{a.description}</p>
      <p className="muted small">
        {formatTime(a.timestamp)} UTC{a.end_timestamp ? ` → ${formatTime(a.end_timestamp)}` : ''} ·{' '}
        {a.file_id ? <Link to={`/files/${a.file_id}`}>{a.file}</Link> : a.file} · packet {a.packet_index}
        {a.packet_count > 1 ? ` (+${a.packet_count - 1})` : ''} · {a.source}
        {a.flow ? ` · ${describeFlow(a.flow)}` : ''}
      </p>
      <p>
        <a
          href={`/api/anomalies/${a.id}/pcap`}
          download={`anomaly-${a.id}.pcapng`}
          data-testid="pcap-link"
          onClick={downloadWithToken}
        >
          Download pcap slice
        </a>
        {a.session_id && (
          <>
            {' · '}
            <Link to={`/sessions/${a.session_id}/timeline`}>Session timeline</Link>
          </>
        )}
      </p>
      <div className="grid">
        <section className="panel">
          <h3>Evidence</h3>
          <Evidence evidence={a.evidence} />
        </section>
        <section className="panel">
          <h3>Status</h3>
          <StatusActions a={a} />
        </section>
        <section className="panel">
          <h3>Flow</h3>
          <KeyValues label="Flow" value={a.flow} />
        </section>
        <section className="panel">
          <h3>Radio position</h3>
          <KeyValues label="Radio" value={a.radio} />
        </section>
        <section className="panel wide">
          <h3>KPI around the moment</h3>
          <KpiChart a={a} />
        </section>
        <section className="panel wide">
          <h3>Other sources around this moment</h3>
          <RelatedAcrossSources id={a.id} />
        </section>
        <section className="panel wide">
          <h3>Packet context</h3>
          <PacketContext rows={a.packet_context} packetIndex={a.packet_index} type={a.type} />
        </section>
        <div className="wide">
          <Recommendation id={a.id} />
        </div>
      </div>
    </main>
  );
}
