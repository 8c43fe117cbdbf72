import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { baseName, describeFlow, formatTime, getJson, type IncidentDetail } from '../api';
import { ErrorBox, Loading, SeverityBadge } from '../components/ui';

/** One incident: what it is, the hypothesis, and its member findings in time order. */
export default function IncidentPage() {
  const { id = '' } = useParams();
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: ({ signal }) => getJson<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`, signal),
  });
  if (incident.isPending) return <Loading what="incident" />;
  if (incident.isError) return <ErrorBox error={incident.error} onRetry={() => void incident.refetch()} />;
  const i = incident.data;
  return (
    <main className="page incident-page">
      <p className="small">
        <Link to={`/anomalies?view=incidents&file_id=${i.file_id}`}>← incidents of {baseName(i.file)}</Link>
        {' · '}
        <a
          href={`/api/files/${i.file_id}/report`}
          download
          title="Self-contained HTML report of the file (prints to PDF)"
        >
          File report
        </a>
      </p>
      <h2>
        <SeverityBadge value={i.severity} /> {i.title}
      </h2>
      <dl className="kv">
        <dt>Hypothesis</dt>
        <dd className="hypothesis">{i.hypothesis}</dd>
        <dt>Scope</dt>
        <dd>{i.scope}</dd>
        <dt>Span (UTC)</dt>
        <dd className="mono">
          {formatTime(i.start)} – {formatTime(i.end)}
        </dd>
        <dt>File</dt>
        <dd title={i.file}>{baseName(i.file)}</dd>
        <dt>Findings</dt>
        <dd>
          {Object.entries(i.types)
            .map(([t, n]) => `${n} × ${t}`)
            .join(', ')}
        </dd>
      </dl>
      <table aria-label="Member findings">
        <thead>
          <tr>
            <th>Severity</th>
            <th>Time (UTC)</th>
            <th>Type</th>
            <th className="num">Packet</th>
            <th>Flow</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {i.findings.map((a) => (
            <tr key={a.id}>
              <td>
                <SeverityBadge value={a.severity} />
              </td>
              <td className="mono">{formatTime(a.timestamp)}</td>
              <td>{a.type}</td>
              <td className="num">{a.packet_index}</td>
              <td>{describeFlow(a.flow)}</td>
              <td>
                <Link to={`/anomalies/${a.id}`}>{a.description}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
