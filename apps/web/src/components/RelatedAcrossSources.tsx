import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { describeFlow, formatTime, getJson, qs, type Severity } from '../api';
import { Empty, ErrorBox, Loading, SeverityBadge } from './ui';

interface RelatedItem {
  id: string;
  type: string;
  source: string;
  severity: Severity;
  timestamp: string;
  end_timestamp?: string;
  file: string;
  flow?: Record<string, string | number>;
  radio?: Record<string, string | number>;
  delta_ms: number;
}

interface RelatedAnswer {
  window_ms: number;
  ue_clock_offset_ms: number;
  truncated: boolean;
  note?: string;
  items: RelatedItem[];
}

const WINDOWS = [10, 50, 200, 1000];

function cellOf(radio?: Record<string, string | number>): string {
  if (!radio) return '';
  const keys = ['cell', 'pci', 'earfcn', 'arfcn', 'rnti'].filter((k) => radio[k] !== undefined);
  return keys.map((k) => `${k} ${String(radio[k])}`).join(' · ');
}

/**
 * The findings of the other sources (fronthaul ↔ timing ↔ UE) of this finding's session around its moment:
 * `GET /api/anomalies/:id/related` (issue #13, cross-source timeline).
 */
export function RelatedAcrossSources({ id }: { id: string }) {
  const [windowMs, setWindowMs] = useState(50);
  const q = useQuery({
    queryKey: ['related', id, windowMs],
    queryFn: ({ signal }) =>
      getJson<RelatedAnswer>(`/api/anomalies/${id}/related${qs({ window_ms: windowMs })}`, signal),
  });
  return (
    <div data-testid="related-across-sources">
      <p className="muted small">
        Within ±
        <select aria-label="Window" value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w} ms
            </option>
          ))}
        </select>
        {q.data ? ` · UE clock offset ${q.data.ue_clock_offset_ms} ms (set per session)` : ''}
      </p>
      {q.isPending && <Loading what="related findings" />}
      {q.isError && <ErrorBox error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && q.data.items.length === 0 && (
        <Empty>{q.data.note ?? 'No finding of another source within this window.'}</Empty>
      )}
      {q.data && q.data.items.length > 0 && (
        <table aria-label="Findings of other sources">
          <thead>
            <tr>
              <th>Δ</th>
              <th>Source</th>
              <th>Finding</th>
              <th>When (UTC)</th>
              <th>Where</th>
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((r) => (
              <tr key={r.id}>
                <td>{r.delta_ms === 0 ? 'overlaps' : `${r.delta_ms > 0 ? '+' : ''}${r.delta_ms.toFixed(3)} ms`}</td>
                <td>{r.source}</td>
                <td>
                  <SeverityBadge value={r.severity} /> <Link to={`/anomalies/${r.id}`}>{r.type}</Link>
                </td>
                <td>{formatTime(r.timestamp)}</td>
                <td>{r.source === 'ue' ? cellOf(r.radio) : describeFlow(r.flow)}</td>
                <td>{r.file}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {q.data?.truncated && <p className="muted small">More findings than shown lie in this window: narrow it.</p>}
    </div>
  );
}
