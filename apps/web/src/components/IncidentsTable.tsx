import { Link } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { baseName, formatTime, getJson, qs, type IncidentRow } from '../api';
import { Empty, ErrorBox, Loading, SeverityBadge } from './ui';

/** Incidents matching the table's session, file and severity filters, earliest first (at most 1,000). */
export function IncidentsTable({ filters }: { filters: { session_id?: string; file_id?: string; severity?: string } }) {
  const query = qs({ ...filters, limit: 1000 });
  const incidents = useQuery({
    queryKey: ['incidents', query],
    queryFn: ({ signal }) => getJson<{ items: IncidentRow[]; total: number }>(`/api/incidents${query}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  if (incidents.isPending) return <Loading what="incidents" />;
  if (incidents.isError) return <ErrorBox error={incidents.error} onRetry={() => void incidents.refetch()} />;
  const { items, total } = incidents.data;
  if (total === 0) return <Empty>No incident matches these filters.</Empty>;
  const members = items.reduce((n, i) => n + i.finding_ids.length, 0);
  return (
    <>
      <p className="muted small" data-testid="incident-total">
        {total.toLocaleString()} {total === 1 ? 'incident' : 'incidents'} grouping {members.toLocaleString()} findings
        {total > items.length ? ` (the first ${items.length.toLocaleString()} shown)` : ''}
      </p>
      <table className="incidents" aria-label="Incidents">
        <thead>
          <tr>
            <th>Severity</th>
            <th>Start (UTC)</th>
            <th>File</th>
            <th>Incident</th>
            <th className="num">Findings</th>
            <th>Hypothesis</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} className={`row-${i.severity}`}>
              <td>
                <SeverityBadge value={i.severity} />
              </td>
              <td className="mono">{formatTime(i.start)}</td>
              <td title={i.file}>{baseName(i.file)}</td>
              <td>
                <Link to={`/incidents/${i.id}`}>{i.title}</Link>
              </td>
              <td
                className="num"
                title={Object.entries(i.types)
                  .map(([t, n]) => `${n} ${t}`)
                  .join(', ')}
              >
                {i.finding_ids.length}
              </td>
              <td className="hypothesis">{i.hypothesis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
