import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { UeFileView, DIAG_FORMATS } from '../components/ue/UeFileView';
import { ApiRequestError, formatBytes, getJson, qs, type AnomalyRow, type FileRow, type MetricRow } from '../api';
import { ErrorBox, Loading, Status } from '../components/ui';
import { FlowTable } from '../components/file/FlowTable';
import { TimingHistograms, type TimingMode } from '../components/file/TimingHistograms';
import { TimingScatter } from '../components/file/TimingScatter';
import { PrbHeatmap } from '../components/file/PrbHeatmap';
import { Constellation } from '../components/file/Constellation';
import { PtpView } from '../components/file/PtpView';
import { MarginSeries } from '../components/file/MarginSeries';
import { DetectedValuesTable } from '../components/file/DetectedValuesTable';
import { histogramMedian } from '../components/file/timing-math';
import type { Marker } from '../components/file/markers';
import {
  flowTitle,
  relMs,
  type FlowsResponse,
  type HeatmapResponse,
  type PtpResponse,
  type TimingResponse,
} from '../file-views';

/** Findings of this flow (same eAxC, plane, direction) as markers on a time axis. */
function markersFor(anomalies: AnomalyRow[], firstTsNs: string | null, flow?: string): Marker[] {
  const [plane, dir, eaxc] = flow ? flow.split('|') : [];
  const out: Marker[] = [];
  for (const a of anomalies) {
    if (flow) {
      const f = a.flow ?? {};
      if (String(f.eaxc) !== eaxc?.replace('eaxc=', '') || f.direction !== dir) continue;
      if (f.plane !== undefined && f.plane !== plane && !a.type.startsWith('iq_')) continue;
    }
    const ms = relMs(a.timestamp, firstTsNs);
    if (ms === null) continue;
    const end = a.end_timestamp ? relMs(a.end_timestamp, firstTsNs) : null;
    out.push({ ms, ...(end !== null ? { endMs: end } : {}), label: a.type, severity: a.severity });
  }
  return out;
}

/** The file analysis page (issue 16): flows, timing margin, PRB heatmap, constellation, PTP — one capture. */
export default function FilePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const mode: TimingMode = params.get('timing') === 'relative' ? 'relative' : 'absolute';
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };

  const file = useQuery({
    queryKey: ['file', id],
    queryFn: ({ signal }) => getJson<FileRow>(`/api/files/${id}`, signal),
  });
  const summary = useQuery({
    queryKey: ['file-summary', id],
    queryFn: ({ signal }) => getJson<{ summary: Record<string, unknown> | null }>(`/api/files/${id}/summary`, signal),
  });
  const flows = useQuery({
    queryKey: ['file-flows', id],
    queryFn: ({ signal }) => getJson<FlowsResponse>(`/api/files/${id}/flows`, signal),
  });
  const timing = useQuery({
    queryKey: ['file-timing', id],
    queryFn: ({ signal }) => getJson<TimingResponse>(`/api/files/${id}/timing`, signal),
  });
  const anomalies = useQuery({
    queryKey: ['file-anomalies', id],
    queryFn: ({ signal }) =>
      getJson<{ items: AnomalyRow[]; total: number }>(
        `/api/anomalies${qs({ file_id: id, sort: 'timestamp', order: 'asc', limit: 2000 })}`,
        signal,
      ),
  });
  const margins = useQuery({
    queryKey: ['file-margins', id],
    queryFn: ({ signal }) =>
      getJson<{ items: MetricRow[] }>(
        `/api/metrics${qs({ file_id: id, name: 'fh_rx_margin_us_min', limit: 20000 })}`,
        signal,
      ),
  });
  const ptp = useQuery({
    queryKey: ['file-ptp', id],
    queryFn: ({ signal }) => getJson<PtpResponse>(`/api/files/${id}/ptp`, signal),
    retry: false,
  });

  const timedFlows = timing.data?.flows ?? [];
  const scatterFlow =
    params.get('flow') ?? timedFlows.find((f) => f.name.startsWith('u|'))?.name ?? timedFlows[0]?.name;
  const scatter = useQuery({
    queryKey: ['file-scatter', id, scatterFlow],
    queryFn: ({ signal }) => getJson<TimingResponse>(`/api/files/${id}/timing${qs({ flow: scatterFlow })}`, signal),
    enabled: Boolean(scatterFlow),
  });
  const heatFlow = params.get('eaxc') ?? undefined;
  const heatmap = useQuery({
    queryKey: ['file-heatmap', id, heatFlow],
    queryFn: ({ signal }) => getJson<HeatmapResponse>(`/api/files/${id}/heatmap${qs({ flow: heatFlow })}`, signal),
  });

  const sum = summary.data?.summary ?? {};
  const firstTsNs = flows.data?.first_ts_ns ?? (sum.first_timestamp_ns as string | undefined) ?? null;
  const lastTsNs = sum.last_timestamp_ns as string | undefined;
  const firstMs = firstTsNs ? Number(BigInt(firstTsNs) / 1000000n) : 0;
  const durationMs = firstTsNs && lastTsNs ? Number((BigInt(lastTsNs) - BigInt(firstTsNs)) / 1000n) / 1000 : 0;
  const items = anomalies.data?.items ?? [];
  const timingFindings = useMemo(() => items.filter((a) => a.source === 'timing'), [items]);
  const scatterMarkers = useMemo(() => markersFor(items, firstTsNs, scatterFlow), [items, firstTsNs, scatterFlow]);
  const heatName = heatmap.data?.heatmap?.name;
  const heatMarkers = useMemo(() => markersFor(items, firstTsNs, heatName), [items, firstTsNs, heatName]);
  const allMarkers = useMemo(
    () =>
      markersFor(
        items.filter((a) => a.source === 'fronthaul'),
        firstTsNs,
      ),
    [items, firstTsNs],
  );
  const ptpMarkers = useMemo(() => markersFor(timingFindings, firstTsNs), [timingFindings, firstTsNs]);
  const scatterWindow = timedFlows.find((t) => t.name === scatterFlow)?.window;
  const scatterGroup = timing.data?.groups?.find((g) => g.window === scatterWindow);
  const reference = scatterGroup ? (scatterGroup.reference_us ?? histogramMedian(scatterGroup)) : 0;

  if (file.isError) return <ErrorBox error={file.error} onRetry={() => void file.refetch()} />;
  if (file.isPending) return <Loading what="file" />;
  const f = file.data;
  const ptpError =
    ptp.error instanceof ApiRequestError && ptp.error.status === 404
      ? 'PTP metrics are not available for this file (no PTP metrics route or no exchanges).'
      : ptp.error
        ? String(ptp.error)
        : null;
  const hasOran = (flows.data?.flows.length ?? 0) > 0;

  return (
    <section className="file-page">
      <h2 data-testid="file-title">{f.name}</h2>
      <p className="muted">
        {f.format} · {formatBytes(f.size)} · {f.packet_count.toLocaleString()} records ·{' '}
        {durationMs < 1000 ? `${durationMs.toFixed(3)} ms` : `${(durationMs / 1000).toFixed(3)} s`} of capture ·{' '}
        <Status value={f.status} /> ·{' '}
        <Link to={`/anomalies?file_id=${f.id}`}>{f.anomaly_count.toLocaleString()} anomalies</Link>
        {f.session_id && (
          <>
            {' '}
            · <Link to={`/sessions/${f.session_id}`}>session</Link>
          </>
        )}
      </p>
      <nav className="file-nav small" aria-label="Sections">
        <a href="#flows">Flows</a> · <a href="#timing">Timing</a> · <a href="#heatmap">PRB heatmap</a> ·{' '}
        <a href="#constellation">Constellation</a> · <a href="#ptp">PTP</a>
      </nav>

      {DIAG_FORMATS.has(f.format) && <UeFileView fileId={f.id} summary={sum} />}

      <h3 id="flows">Flows</h3>
      {flows.isError ? (
        <ErrorBox error={flows.error} />
      ) : flows.isPending ? (
        <Loading what="flows" />
      ) : hasOran ? (
        <>
          <FlowTable flows={flows.data.flows} onPick={(name) => setParam('flow', name)} />
          <DetectedValuesTable summary={sum} />
        </>
      ) : (
        <p className="muted">No O-RAN C/U-plane flows in this file.</p>
      )}
      {flows.data?.notes.map((n) => (
        <p key={n} className="warning small">
          {n}
        </p>
      ))}

      {hasOran && (
        <>
          <h3 id="timing">
            Arrival timing{' '}
            <span className="segmented small" role="group" aria-label="Timing mode">
              {(['absolute', 'relative'] as const).map((m) => (
                <button key={m} aria-pressed={mode === m} onClick={() => setParam('timing', m)}>
                  {m}
                </button>
              ))}
            </span>
          </h3>
          {timing.data && (
            <p className="muted small">
              The detector judged this capture in <strong>{timing.data.mode}</strong> mode. Absolute: offset of each
              message from the air time of its symbol, against the profile's window. Relative: offset from the reference
              offset (the capture clock is not GPS-aligned), against ± one window width.
            </p>
          )}
          {timing.isPending ? (
            <Loading what="timing" />
          ) : (
            timing.data && <TimingHistograms timing={timing.data} mode={mode} />
          )}
          {scatterFlow && (
            <div className="panel" id="scatter">
              <h4>
                Timing over the capture:{' '}
                <select
                  aria-label="Scatter flow"
                  value={scatterFlow}
                  onChange={(e) => setParam('flow', e.target.value)}
                >
                  {timedFlows.map((t) => (
                    <option key={t.name} value={t.name}>
                      {flowTitle(t.name)}
                    </option>
                  ))}
                </select>
              </h4>
              {scatter.data?.scatter ? (
                <TimingScatter
                  scatter={scatter.data.scatter}
                  windowUs={timing.data?.windows_us[scatter.data.scatter.window]}
                  reference={reference}
                  mode={mode}
                  markers={scatterMarkers}
                />
              ) : (
                <Loading what="scatter" />
              )}
            </div>
          )}

          <div className="panel">
            <h4>Smallest margin to the window per KPI bucket (stored metric fh_rx_margin_us_min)</h4>
            {margins.data ? (
              <MarginSeries
                rows={margins.data.items}
                firstTsNs={firstTsNs}
                durationMs={durationMs}
                markers={allMarkers}
              />
            ) : (
              <Loading what="margins" />
            )}
          </div>

          <h3 id="heatmap">PRB × time power</h3>
          {heatmap.data && heatmap.data.items.length > 0 ? (
            <div className="panel">
              <h4>
                <select
                  aria-label="Heatmap eAxC"
                  value={heatName ?? ''}
                  onChange={(e) => setParam('eaxc', e.target.value)}
                >
                  {heatmap.data.items.map((h) => (
                    <option key={h.name} value={h.name}>
                      {flowTitle(h.name)}
                    </option>
                  ))}
                </select>
              </h4>
              {heatmap.data.heatmap && <PrbHeatmap map={heatmap.data.heatmap} markers={heatMarkers} />}
              <h3 id="constellation">IQ constellation</h3>
              {heatmap.data.heatmap && (
                <Constellation key={heatmap.data.heatmap.name} samples={heatmap.data.heatmap.constellation} />
              )}
            </div>
          ) : heatmap.isPending ? (
            <Loading what="heatmap" />
          ) : (
            <p className="muted">No U-plane IQ decoded (no U-plane, or a compression whose IQ is not decoded).</p>
          )}
        </>
      )}

      <h3 id="ptp">PTP</h3>
      <PtpView
        ptp={ptp.data}
        ptpError={ptpError}
        findings={timingFindings}
        firstMs={firstMs}
        endMs={durationMs}
        markers={ptpMarkers}
      />
    </section>
  );
}
