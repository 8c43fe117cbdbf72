import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { AlignedData, Options } from 'uplot';
import { utcDate } from '../detail/utc-date';
import { getJson, qs, SEVERITIES, type DashboardSummary, type Severity } from '../api';
import { Empty, ErrorBox, Loading, SEVERITY_GLYPH } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';
import { fitValues } from '../components/axis-size';

const SEV_COLOR: Record<Severity, string> = {
  critical: '#b3261e',
  major: '#e07000',
  minor: '#b59b00',
  info: '#4a6fa5',
};
const PALETTE = [
  '#3366cc',
  '#dc3912',
  '#ff9900',
  '#109618',
  '#990099',
  '#0099c6',
  '#dd4477',
  '#66aa00',
  '#b82e2e',
  '#316395',
];

function Cards({ cards }: { cards: DashboardSummary['cards'] }) {
  return (
    <div className="cards">
      {cards.map((c) => (
        <div className="card" key={c.key}>
          <div className="muted small">{c.label}</div>
          <div className="card-value">
            {c.value.toLocaleString()}
            {c.unit ?? ''}
          </div>
          {c.description && <div className="muted small card-description">{c.description}</div>}
          <div className="small">
            {c.change_pct === null ? (
              // The week before had 0: say so, rather than "no data" (there may well be data, just none counted).
              <span className="muted">
                {c.value === 0 ? 'none this week or the week before' : 'none the week before'}
              </span>
            ) : (
              <span className={c.change_pct > 0 ? 'up' : c.change_pct < 0 ? 'down' : ''}>
                {c.change_pct > 0 ? '▲' : c.change_pct < 0 ? '▼' : '='} {Math.abs(c.change_pct)}% vs previous week
              </span>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

/** `1 hour`, `1 day`, `10 minutes` … for a bucket size. */
function bucketName(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units)
    if (ms >= size && ms % size === 0) return ms === size ? `1-${name}` : `${ms / size}-${name}`;
  return `${ms} ms`;
}

function Trend({ s }: { s: DashboardSummary }) {
  const { data, options } = useMemo(() => {
    // The API leaves empty buckets out: put the zeros back so quiet periods read as zero, not as a slope.
    const byStart = new Map(s.trend.map((t) => [Math.round(Date.parse(t.bucket) / s.bucket_ms), t]));
    const keys = [...byStart.keys()];
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    const dense = hi - lo <= 5000;
    const all = dense ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : keys.sort((a, b) => a - b);
    const xs = all.map((k) => (k * s.bucket_ms) / 1000);
    const series = SEVERITIES.map((sev) => all.map((k) => byStart.get(k)?.bySeverity[sev] ?? 0));
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: true } },
      tzDate: utcDate, // ticks in UTC, as the axis says
      // Sparse buckets (captures years apart) as points, not lines: a line between two far buckets drew
      // needles over empty years.
      series: [
        {},
        ...SEVERITIES.map((sev, i) => ({
          label: sev,
          stroke: SEV_COLOR[sev],
          width: 2,
          dash: [[], [6, 3], [2, 2], [8, 2, 2, 2]][i],
          ...(dense ? {} : { paths: () => null, points: { show: true, size: 7 } }),
        })),
      ],
      // Buckets are of the findings' timestamps: when the packets were captured, not when they were analysed.
      axes: [
        { label: `capture time (UTC), ${bucketName(s.bucket_ms)} buckets`, labelSize: 18 },
        { label: 'anomalies per bucket', size: fitValues() },
      ],
    };
    return { data: [xs, ...series] as AlignedData, options };
  }, [s]);
  if (s.trend.length === 0) return <Empty>No anomalies in this range.</Empty>;
  return <UPlotChart options={options} data={data} label="Anomalies over time by severity" />;
}

function Donut({ items }: { items: { label: string; value: number }[] }) {
  const total = items.reduce((a, b) => a + b.value, 0);
  if (total === 0) return <Empty>Nothing to break down.</Empty>;
  let angle = 0;
  const r = 60;
  const c = 2 * Math.PI * r;
  return (
    <div className="donut">
      <svg viewBox="0 0 160 160" width="160" height="160" role="img" aria-label="Anomalies by type">
        {items.map((it, i) => {
          const len = (it.value / total) * c;
          const el = (
            <circle
              key={it.label}
              r={r}
              cx={80}
              cy={80}
              fill="none"
              stroke={PALETTE[i % PALETTE.length]}
              strokeWidth={28}
              strokeDasharray={`${len} ${c - len}`}
              strokeDashoffset={-angle}
              transform="rotate(-90 80 80)"
            >
              <title>
                {it.label}: {it.value}
              </title>
            </circle>
          );
          angle += len;
          return el;
        })}
        <text x="80" y="86" textAnchor="middle" className="donut-total">
          {total.toLocaleString()}
        </text>
      </svg>
      <ul className="legend">
        {items.map((it, i) => (
          <li key={it.label}>
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
            <Link to={`/anomalies?type=${it.label}`}>{it.label}</Link>{' '}
            <span className="muted">{it.value.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SeverityBars({ counts }: { counts: Record<string, number> }) {
  const max = Math.max(1, ...Object.values(counts));
  return (
    <div className="bars" role="list" aria-label="Anomalies by severity">
      {SEVERITIES.map((sev) => (
        <div className="bar-row" key={sev} role="listitem">
          <Link to={`/anomalies?severity=${sev}`} className="bar-label">
            {SEVERITY_GLYPH[sev]} {sev}
          </Link>
          <div className="bar-track">
            <div className={`bar-fill sev-fill-${sev}`} style={{ width: `${((counts[sev] ?? 0) / max) * 100}%` }} />
          </div>
          <span className="num">{(counts[sev] ?? 0).toLocaleString()}</span>
        </div>
      ))}
    </div>
  );
}

function Heatmap({ heat }: { heat: DashboardSummary['heatmap'] }) {
  if (heat.types.length === 0) return <Empty>No anomalies.</Empty>;
  const grid = new Map(heat.cells.map((c) => [`${c.type}|${c.hour}`, c.count]));
  const max = Math.max(1, ...heat.cells.map((c) => c.count));
  return (
    <table className="heatmap" aria-label="Anomalies by hour of day (UTC) and type">
      <thead>
        <tr>
          <th>type \ hour (UTC)</th>
          {Array.from({ length: 24 }, (_, h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {heat.types.map((t) => (
          <tr key={t}>
            <th>{t}</th>
            {Array.from({ length: 24 }, (_, h) => {
              const n = grid.get(`${t}|${h}`) ?? 0;
              return (
                <td
                  key={h}
                  title={`${t} at ${h}:00 UTC: ${n}`}
                  style={{ background: n ? `rgba(179, 38, 30, ${0.12 + (0.88 * n) / max})` : undefined }}
                >
                  {n || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const filter = { session_id: params.get('session_id'), source: params.get('source'), bucket: params.get('bucket') };
  const q = useQuery({
    queryKey: ['dashboard', filter],
    queryFn: ({ signal }) => getJson<DashboardSummary>(`/api/dashboard/summary${qs(filter)}`, signal),
    refetchInterval: 15_000,
  });
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p);
  };
  return (
    <main className="page">
      <div className="toolbar">
        <h2>Dashboard</h2>
        <label>
          Source{' '}
          <select value={filter.source ?? ''} onChange={(e) => set('source', e.target.value)}>
            <option value="">all</option>
            <option value="fronthaul">fronthaul</option>
            <option value="timing">timing</option>
            <option value="ue">ue</option>
          </select>
        </label>
        <label>
          Trend by{' '}
          <select
            value={filter.bucket ?? 'auto'}
            onChange={(e) => set('bucket', e.target.value === 'auto' ? '' : e.target.value)}
          >
            <option value="auto">auto</option>
            <option value="minute">minute</option>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </label>
        {filter.session_id && (
          <span className="chip">
            session {filter.session_id.slice(0, 8)}{' '}
            <button onClick={() => set('session_id', '')} aria-label="clear session filter">
              ×
            </button>
          </span>
        )}
      </div>
      {q.isPending && <Loading what="dashboard" />}
      {q.isError && <ErrorBox error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <Cards cards={q.data.cards} />
          <div className="grid">
            <section className="panel wide">
              <h3>Trend by capture time ({q.data.total.toLocaleString()} anomalies)</h3>
              <Trend s={q.data} />
            </section>
            <section className="panel">
              <h3>By type</h3>
              <Donut items={q.data.by_type.map((t) => ({ label: t.type, value: t.count }))} />
            </section>
            <section className="panel">
              <h3>By severity</h3>
              <SeverityBars counts={q.data.by_severity} />
              <h3>By source</h3>
              <p>
                {Object.entries(q.data.by_source).map(([k, v]) => (
                  <span key={k} className="chip">
                    {k}: {v.toLocaleString()}
                  </span>
                ))}
              </p>
            </section>
            <section className="panel wide">
              <h3>Hour × type</h3>
              <Heatmap heat={q.data.heatmap} />
            </section>
            <section className="panel">
              <h3>Top flows</h3>
              {q.data.top_flows.length === 0 ? (
                <Empty>No flows.</Empty>
              ) : (
                <table aria-label="Top flows">
                  <tbody>
                    {q.data.top_flows.map((f, i) => (
                      <tr key={i}>
                        <td>
                          {f.eaxc === null ? 'no eAxC' : <Link to={`/anomalies?eaxc=${f.eaxc}`}>eAxC {f.eaxc}</Link>}{' '}
                          {f.plane ? `${f.plane.toUpperCase()}-plane` : ''} {f.direction?.toUpperCase() ?? ''}
                          {f.link && <div className="muted small mono">{f.link}</div>}
                        </td>
                        <td className="num">{f.count.toLocaleString()}</td>
                        <td className="muted small">{f.types.join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel">
              <h3>Recurring issues</h3>
              {q.data.recurring.length === 0 ? (
                <Empty>No issue seen in more than one file.</Empty>
              ) : (
                <table aria-label="Recurring issues">
                  <tbody>
                    {q.data.recurring.map((r, i) => (
                      <tr key={i}>
                        <td>
                          <Link to={`/anomalies?type=${r.type}${r.eaxc !== null ? `&eaxc=${r.eaxc}` : ''}`}>
                            {r.type}
                          </Link>
                          {r.eaxc !== null ? ` on eAxC ${r.eaxc}` : ''}
                        </td>
                        <td className="num">{r.files} files</td>
                        <td className="num">{r.count.toLocaleString()}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
        </>
      )}
    </main>
  );
}
