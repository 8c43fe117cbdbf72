import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { Options } from 'uplot';
import { formatTime, getJson, qs, type AnomalyRow, type MetricRow } from '../../api';
import { UPlotChart } from '../UPlotChart';
import { Empty, ErrorBox, Loading, SeverityBadge } from '../ui';
import { ueCharts, type UeChart } from './ue-series';
import { fitValues } from '../axis-size';

interface LogCodeRow {
  log_code: string;
  version: number;
  name?: string;
  decoded: number;
  not_decoded: number;
  malformed: number;
}

const MAX_METRICS = 100_000;
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

/** DIAG containers (sniffFormat's names): their files get the UE view. */
export const DIAG_FORMATS: ReadonlySet<string> = new Set(['diag_hdlc', 'qmdl2', 'dlf', 'isf']);

/** What the DIAG decoder said of the file (the stored summary, details flattened into it). */
function DecodeSummary({ summary }: { summary: Record<string, unknown> }) {
  const d = summary;
  const codes = (Array.isArray(d.log_codes) ? d.log_codes : []) as LogCodeRow[];
  const cells = (Array.isArray(d.cells_seen) ? d.cells_seen : []) as string[];
  return (
    <section className="panel wide" aria-label="Log codes">
      <h3>Decoded log records</h3>
      {typeof d.decode_status === 'string' && <p data-testid="ue-decode-status">{d.decode_status}</p>}
      {cells.length > 0 && <p className="muted small">Cells seen: {cells.join(', ')}</p>}
      {codes.length === 0 ? (
        <Empty>No log records.</Empty>
      ) : (
        <table aria-label="Log codes by version">
          <thead>
            <tr>
              <th>Log code</th>
              <th>Version</th>
              <th>Name</th>
              <th>Decoded</th>
              <th>Not decoded</th>
              <th>Malformed</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={`${c.log_code}/${c.version}`} className={c.not_decoded > 0 ? 'warn' : undefined}>
                <td>{c.log_code}</td>
                <td>{c.version}</td>
                <td>{c.name ?? '—'}</td>
                <td>{c.decoded}</td>
                <td>{c.not_decoded}</td>
                <td>{c.malformed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Vertical marks at the findings' times (red for critical/major, amber otherwise), drawn under the lines. */
function markFindings(findings: readonly AnomalyRow[]): Options['hooks'] {
  const marks = findings.map((a) => ({
    t: Date.parse(a.timestamp) / 1000,
    end: a.end_timestamp ? Date.parse(a.end_timestamp) / 1000 : undefined,
    strong: a.severity === 'critical' || a.severity === 'major',
  }));
  return {
    drawAxes: [
      (u) => {
        const { ctx } = u;
        const { top, height } = u.bbox;
        ctx.save();
        for (const m of marks) {
          const x0 = u.valToPos(m.t, 'x', true);
          const x1 = m.end !== undefined ? u.valToPos(m.end, 'x', true) : x0;
          // A finding's span lightly, its start as a line: long aggregated findings must not hide the curve.
          ctx.fillStyle = m.strong ? 'rgba(220,38,38,0.10)' : 'rgba(202,138,4,0.10)';
          ctx.fillRect(x0, top, Math.max(0, x1 - x0), height);
          ctx.fillStyle = m.strong ? 'rgba(220,38,38,0.8)' : 'rgba(202,138,4,0.8)';
          ctx.fillRect(x0 - 1, top, 2, height);
        }
        ctx.restore();
      },
    ],
  };
}

function KpiChart({ chart, findings }: { chart: UeChart; findings: readonly AnomalyRow[] }) {
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      title: `${chart.title} (${chart.unit})`,
      scales: { x: { time: true } },
      axes: [{ label: 'time (UTC)' }, { label: chart.unit, size: fitValues() }],
      series: [
        {},
        ...chart.seriesLabels.map((label, i) => ({
          label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          spanGaps: false,
          value: (_u: unknown, v: number | null) => (v === null ? '—' : `${v} ${chart.unit}`),
        })),
      ],
      hooks: markFindings(findings),
    }),
    [chart, findings],
  );
  return <UPlotChart options={options} data={chart.data} height={180} label={`${chart.title} over time`} />;
}

/**
 * The UE side of one DIAG log (issue #13 point 9): what was decoded per log code and version, the KPI
 * charts per cell and receive chain with the UE findings marked, and those findings.
 */
export function UeFileView({ fileId, summary }: { fileId: string; summary: Record<string, unknown> }) {
  const metrics = useQuery({
    queryKey: ['ue-metrics', fileId],
    queryFn: ({ signal }) =>
      getJson<{ items: MetricRow[] }>(`/api/metrics${qs({ file_id: fileId, limit: MAX_METRICS })}`, signal),
  });
  const findings = useQuery({
    queryKey: ['ue-findings', fileId],
    queryFn: ({ signal }) =>
      getJson<{ items: AnomalyRow[]; total: number }>(
        `/api/anomalies${qs({ file_id: fileId, sort: 'timestamp', order: 'asc', limit: 500 })}`,
        signal,
      ),
  });
  const charts = useMemo(() => ueCharts(metrics.data?.items ?? []), [metrics.data]);
  const found = findings.data?.items ?? [];
  return (
    <div className="grid" data-testid="ue-file-view">
      <DecodeSummary summary={summary} />
      <section className="panel wide" aria-label="UE KPIs">
        <h3>UE KPIs over time</h3>
        {metrics.isPending && <Loading what="UE KPIs" />}
        {metrics.isError && <ErrorBox error={metrics.error} onRetry={() => void metrics.refetch()} />}
        {metrics.data && charts.length === 0 && <Empty>No UE KPI was decoded from this log.</Empty>}
        {charts.length > 0 && (
          <p className="muted small">
            Red lines: critical/major UE findings start; amber: minor/info; shading: their span.
          </p>
        )}
        <div className="ue-charts">
          {charts.map((c) => (
            <KpiChart key={c.name} chart={c} findings={found} />
          ))}
        </div>
        {metrics.data && metrics.data.items.length >= MAX_METRICS && (
          <p className="muted small">Only the first {MAX_METRICS.toLocaleString()} KPI samples are drawn.</p>
        )}
      </section>
      <section className="panel wide" aria-label="UE findings">
        <h3>UE findings</h3>
        {findings.isError && <ErrorBox error={findings.error} onRetry={() => void findings.refetch()} />}
        {findings.data && found.length === 0 && (
          <Empty>0 findings: the decoded records were checked and nothing was found.</Empty>
        )}
        {found.length > 0 && (
          <table aria-label="UE findings">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Type</th>
                <th>When (UTC)</th>
                <th>Cell</th>
                <th>Description</th>
              </tr>
            </thead>
            <tbody>
              {found.map((a) => (
                <tr key={a.id}>
                  <td>
                    <SeverityBadge value={a.severity} />
                  </td>
                  <td>
                    <Link to={`/anomalies/${a.id}`}>{a.type}</Link>
                  </td>
                  <td>{formatTime(a.timestamp)}</td>
                  <td>
                    {['cell', 'pci', 'earfcn', 'arfcn', 'rnti']
                      .filter((k) => a.radio?.[k] !== undefined)
                      .map((k) => `${k} ${String(a.radio![k])}`)
                      .join(' · ')}
                  </td>
                  <td>{a.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {findings.data && findings.data.total > found.length && (
          <p className="muted small">
            {found.length} of {findings.data.total} shown —{' '}
            <Link to={`/anomalies?file_id=${fileId}`}>all in the table</Link>
          </p>
        )}
      </section>
    </div>
  );
}
