import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { AlignedData, Options } from 'uplot';
import { formatTime, getJson, SEVERITIES, type AnomalyRow, type SessionRow } from '../api';
import { Empty, ErrorBox, Loading, SeverityBadge } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';

const MAX = 10_000;
const SEV_STYLE = {
  critical: { stroke: '#b3261e', fill: '#b3261e' },
  major: { stroke: '#e07000', fill: '#ffffff' },
  minor: { stroke: '#8a7500', fill: '#8a7500' },
  info: { stroke: '#4a6fa5', fill: '#ffffff' },
} as const;

/** A short y-axis label: eAxC, plane and direction (or PTP port, cell, source). */
function flowLabel(a: AnomalyRow): string {
  const f = a.flow ?? {};
  if (f.eaxc !== undefined)
    return `eAxC ${f.eaxc} ${f.plane ? String(f.plane).toUpperCase() : ''} ${f.direction ? String(f.direction).toUpperCase() : ''}`.trim();
  if (f.ptp_port) return `PTP ${f.ptp_port}`;
  if (a.radio?.cell) return `cell ${a.radio.cell}`;
  return a.source;
}

/** Anomalies of one session by flow over time; drag to zoom, double-click to reset (uPlot). */
export default function TimelinePage() {
  const { id = '' } = useParams();
  const session = useQuery({
    queryKey: ['session', id],
    queryFn: () => getJson<SessionRow>(`/api/sessions/${id}`),
    refetchInterval: false,
  });
  const q = useQuery({
    queryKey: ['timeline', id],
    queryFn: ({ signal }) =>
      getJson<{ items: AnomalyRow[]; total: number }>(
        `/api/anomalies?session_id=${encodeURIComponent(id)}&sort=timestamp&order=asc&limit=${MAX}`,
        signal,
      ),
    refetchInterval: false,
  });
  const [hover, setHover] = useState<AnomalyRow | null>(null);
  const plot = useMemo(() => {
    const items = q.data?.items ?? [];
    const flows = [...new Set(items.map(flowLabel))].sort();
    const row = new Map(flows.map((f, i) => [f, i]));
    const xs = items.map((a) => Date.parse(a.timestamp) / 1000 + Number(a.timestamp.slice(23, 29) || 0) / 1e9);
    const ys = SEVERITIES.map((sev) => items.map((a) => (a.severity === sev ? row.get(flowLabel(a))! : null)));
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: true }, y: { range: [-0.5, Math.max(0.5, flows.length - 0.5)] } },
      cursor: { drag: { x: true, y: false } },
      series: [
        {},
        ...SEVERITIES.map((sev) => ({
          label: sev,
          stroke: SEV_STYLE[sev].stroke,
          fill: SEV_STYLE[sev].fill,
          paths: () => null,
          points: {
            show: true,
            size: sev === 'critical' ? 9 : 7,
            stroke: SEV_STYLE[sev].stroke,
            fill: SEV_STYLE[sev].fill,
          },
        })),
      ],
      axes: [
        {},
        { size: 200, splits: () => flows.map((_, i) => i), values: (_u, vals) => vals.map((v) => flows[v] ?? '') },
      ],
      hooks: { setCursor: [(u) => setHover(u.cursor.idx != null ? (items[u.cursor.idx] ?? null) : null)] },
    };
    return { options, data: [xs, ...ys] as AlignedData, flows };
  }, [q.data]);

  return (
    <main className="page">
      <p>
        <Link to={`/sessions/${id}`}>← Session</Link>
      </p>
      <h2>Timeline {session.data ? `· ${session.data.name}` : ''}</h2>
      {q.isPending && <Loading what="anomalies" />}
      {q.isError && <ErrorBox error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && q.data.items.length === 0 && <Empty>No anomalies in this session.</Empty>}
      {q.data && q.data.items.length > 0 && (
        <>
          <p className="muted small">
            {q.data.items.length.toLocaleString()} of {q.data.total.toLocaleString()} anomalies on {plot.flows.length}{' '}
            flows. Drag to zoom, double-click to reset. Filled ◆ critical, hollow ▲ major, filled ● minor, hollow ○
            info.
          </p>
          <UPlotChart
            options={plot.options}
            data={plot.data}
            height={Math.min(560, 120 + plot.flows.length * 28)}
            label="Anomalies by flow over time"
          />
          <div className="hover-box" aria-live="polite">
            {hover ? (
              <>
                <SeverityBadge value={hover.severity} /> <Link to={`/anomalies/${hover.id}`}>{hover.type}</Link>{' '}
                {formatTime(hover.timestamp)} — {hover.description}
              </>
            ) : (
              <span className="muted">Hover a point to see the anomaly.</span>
            )}
          </div>
        </>
      )}
    </main>
  );
}
