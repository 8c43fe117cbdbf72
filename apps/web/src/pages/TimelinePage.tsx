import { useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { AlignedData, Options } from 'uplot';
import { utcDate } from '../detail/utc-date';
import { formatTime, getJson, type AnomalyRow, type SessionRow, type Severity } from '../api';
import { Empty, ErrorBox, Loading, SeverityBadge } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';

const MAX = 10_000;
const SEV_STYLE = {
  critical: { stroke: '#b3261e', fill: '#b3261e' },
  major: { stroke: '#e07000', fill: '#ffffff' },
  minor: { stroke: '#8a7500', fill: '#8a7500' },
  info: { stroke: '#4a6fa5', fill: '#ffffff' },
} as const;

/** Seconds since the epoch with the nanosecond digits kept (Date.parse keeps milliseconds only). */
function secondsOf(ts: string): number {
  return Date.parse(ts) / 1000 + Number(ts.slice(23, 29) || 0) / 1e9;
}

/** The legend's shapes: filled ◆ critical, hollow ▲ major, filled ● minor, hollow ○ info. */
function drawMark(ctx: CanvasRenderingContext2D, sev: Severity, x: number, y: number, dpr: number): void {
  const r = (sev === 'critical' ? 6 : 5) * dpr;
  const style = SEV_STYLE[sev];
  ctx.beginPath();
  if (sev === 'critical') {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
  } else if (sev === 'major') {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y + r * 0.8);
    ctx.lineTo(x - r, y + r * 0.8);
    ctx.closePath();
  } else {
    ctx.arc(x, y, r * 0.8, 0, 2 * Math.PI);
  }
  ctx.fillStyle = style.fill;
  ctx.fill();
  ctx.lineWidth = 1.5 * dpr;
  ctx.strokeStyle = style.stroke;
  ctx.stroke();
}

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
  const drawn = useRef<HTMLDivElement>(null);
  const plot = useMemo(() => {
    const items = q.data?.items ?? [];
    const flows = [...new Set(items.map(flowLabel))].sort();
    const row = new Map(flows.map((f, i) => [f, i]));
    const xs = items.map((a) => secondsOf(a.timestamp));
    const ends = items.map((a, i) => (a.end_timestamp ? Math.max(xs[i]!, secondsOf(a.end_timestamp)) : xs[i]!));
    const ys = items.map((a) => row.get(flowLabel(a))!);
    // The axis spans the data (a lone finding's auto range ran from 2024 to 2027), with a margin.
    const lo = Math.min(...xs);
    const hi = Math.max(...ends);
    const pad = Math.max((hi - lo) * 0.05, 0.001);
    const options: Omit<Options, 'width' | 'height'> = {
      scales: {
        x: { time: true, range: () => [lo - pad, hi + pad] },
        y: { range: [-0.5, Math.max(0.5, flows.length - 0.5)] },
      },
      cursor: { drag: { x: true, y: false } },
      legend: { show: false },
      // The axis says UTC: the ticks must be UTC whatever the browser's time zone.
      tzDate: utcDate,
      // One invisible series carries the cursor (hover); the marks are drawn by the hook below.
      series: [{}, { label: 'anomalies', paths: () => null, points: { show: false } }],
      axes: [
        { label: 'capture time (UTC)', labelSize: 18 },
        { size: 200, splits: () => flows.map((_, i) => i), values: (_u, vals) => vals.map((v) => flows[v] ?? '') },
      ],
      hooks: {
        setCursor: [(u) => setHover(u.cursor.idx != null ? (items[u.cursor.idx] ?? null) : null)],
        draw: [
          (u) => {
            const count = { critical: 0, major: 0, minor: 0, info: 0, spans: 0 };
            const ctx = u.ctx;
            ctx.save();
            ctx.beginPath();
            ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
            ctx.clip();
            items.forEach((a, i) => {
              const x = u.valToPos(xs[i]!, 'x', true);
              const y = u.valToPos(ys[i]!, 'y', true);
              const style = SEV_STYLE[a.severity];
              // An aggregated finding covers a time span: a bar from its first to its last occurrence.
              if (ends[i]! > xs[i]!) {
                const x1 = u.valToPos(ends[i]!, 'x', true);
                ctx.fillStyle = style.stroke;
                ctx.globalAlpha = 0.35;
                ctx.fillRect(x, y - 4 * devicePixelRatio, Math.max(2, x1 - x), 8 * devicePixelRatio);
                ctx.globalAlpha = 1;
                count.spans++;
              }
              drawMark(ctx, a.severity, x, y, devicePixelRatio);
              count[a.severity]++;
            });
            ctx.restore();
            // What was drawn, for tests and assistive tools reading the canvas' summary.
            const el = drawn.current;
            if (el) {
              el.dataset.marks = JSON.stringify(count);
              el.dataset.xRange = JSON.stringify([u.scales.x?.min, u.scales.x?.max]);
            }
          },
        ],
      },
    };
    return { options, data: [xs, ys] as AlignedData, flows };
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
            info; a bar is an aggregated finding from its first to its last occurrence.
          </p>
          <div ref={drawn} data-testid="timeline-marks" hidden />
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
