import { useMemo } from 'react';
import type { AlignedData, Options } from 'uplot';
import { UPlotChart } from '../UPlotChart';
import type { AnomalyRow } from '../../api';
import type { PtpResponse } from '../../file-views';
import { markerPlugin, type Marker } from './markers';
import { fitValues } from '../axis-size';

type Port = PtpResponse['ports'][number];

/** Time error (min/mean/max) and mean path delay of one PTP port per second, findings marked. */
function PortChart({
  port,
  firstMs,
  endMs,
  markers,
}: {
  port: Port;
  firstMs: number;
  endMs: number;
  markers: Marker[];
}) {
  const plot = useMemo(() => {
    const x = port.series.t.map((t) => (Date.parse(t) - firstMs) / 1000);
    const data: AlignedData = [
      x,
      port.series.te_min_ns,
      port.series.te_mean_ns,
      port.series.te_max_ns,
      port.series.path_delay_ns,
    ];
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: false, range: [Math.min(0, ...x), Math.max(endMs / 1000, ...x, 0.001)] } },
      axes: [
        { label: 'capture time since the first packet (s)', size: 42 },
        { label: 'time error (ns)', size: fitValues() },
        { side: 1, scale: 'pd', label: 'mean path delay (ns)', size: fitValues(), grid: { show: false } },
      ],
      series: [
        { label: 's' },
        { label: 'TE min (ns)', stroke: '#90caf9' },
        { label: 'offset / TE mean (ns)', stroke: '#1f5fa8', width: 2 },
        { label: 'TE max (ns)', stroke: '#90caf9' },
        { label: 'mean path delay (ns)', stroke: '#8e24aa', scale: 'pd' },
      ],
      plugins: [
        markerPlugin(markers.map((m) => ({ ...m, ms: m.ms / 1000, ...(m.endMs ? { endMs: m.endMs / 1000 } : {}) }))),
      ],
    };
    return { data, options };
  }, [port, firstMs, endMs, markers]);
  return <UPlotChart label={`PTP time error ${port.port}`} options={plot.options} data={plot.data} height={240} />;
}

const SEVERITY_COLORS: Record<string, string> = {
  critical: '#c62828',
  major: '#e65100',
  minor: '#b08900',
  info: '#607d8b',
};

/** The timing findings over capture time, one lane per type (what happened when, with or without PTP metrics). */
function FindingsTimeline({ findings, firstMs, endMs }: { findings: AnomalyRow[]; firstMs: number; endMs: number }) {
  const plot = useMemo(() => {
    const types = [...new Set(findings.map((a) => a.type))].sort();
    const sorted = [...findings].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    const x = sorted.map((a) => (Date.parse(a.timestamp) - firstMs) / 1000);
    const severities = ['critical', 'major', 'minor', 'info'];
    const data = [
      x,
      ...severities.map((s) => sorted.map((a) => (a.severity === s ? types.indexOf(a.type) : null))),
    ] as AlignedData;
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: false, range: [0, Math.max(1, endMs / 1000)] }, y: { range: [-0.5, types.length - 0.5] } },
      axes: [
        { label: 'capture time since the first packet (s)', size: 42 },
        {
          size: fitValues(60),
          splits: () => types.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => types[i] ?? ''),
        },
      ],
      series: [
        { label: 's' },
        ...severities.map((s) => ({
          label: s,
          stroke: SEVERITY_COLORS[s],
          paths: () => null,
          points: { show: true, size: 7, fill: SEVERITY_COLORS[s], stroke: SEVERITY_COLORS[s] },
        })),
      ],
    };
    return { data, options, lanes: types.length };
  }, [findings, firstMs, endMs]);
  return (
    <UPlotChart
      label="Timing findings over time"
      options={plot.options}
      data={plot.data}
      height={Math.max(140, 60 + plot.lanes * 26)}
    />
  );
}

const fmtS = (v: number | undefined) =>
  v === undefined ? '—' : v < 1 ? `${(v * 1000).toFixed(2)} ms` : `${v.toFixed(3)} s`;

/** Grandmaster changes over time, from the `ptp_gm_change` findings: one lane per grandmaster identity. */
function GrandmasterTimeline({ changes, firstMs, endMs }: { changes: AnomalyRow[]; firstMs: number; endMs: number }) {
  const segments = useMemo(() => {
    const out: { gm: string; from: number; to: number }[] = [];
    const sorted = [...changes].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    sorted.forEach((a, i) => {
      const ev = a.evidence as { from_grandmaster?: string; to_grandmaster?: string };
      const at = Date.parse(a.timestamp) - firstMs;
      if (i === 0 && ev.from_grandmaster) out.push({ gm: String(ev.from_grandmaster), from: 0, to: at });
      const next = sorted[i + 1];
      out.push({
        gm: String(ev.to_grandmaster ?? '?'),
        from: at,
        to: next ? Date.parse(next.timestamp) - firstMs : endMs,
      });
    });
    return out;
  }, [changes, firstMs, endMs]);
  const lanes = [...new Set(segments.map((s) => s.gm))];
  const total = Math.max(1, endMs);
  return (
    <div className="gm-timeline" role="img" aria-label="Grandmaster timeline">
      {lanes.map((gm) => (
        <div key={gm} className="gm-lane">
          <span className="mono small gm-name">{gm}</span>
          <div className="gm-track">
            {segments
              .filter((s) => s.gm === gm)
              .map((s, i) => (
                <span
                  key={i}
                  className="gm-seg"
                  title={`${gm}: ${(s.from / 1000).toFixed(3)} s → ${(s.to / 1000).toFixed(3)} s`}
                  style={{
                    left: `${(s.from / total) * 100}%`,
                    width: `${Math.max(0.3, ((s.to - s.from) / total) * 100)}%`,
                  }}
                />
              ))}
          </div>
        </div>
      ))}
      <div className="muted small">
        0 s … {(total / 1000).toFixed(1)} s (capture time); one lane per grandmaster seen in Announce
      </div>
    </div>
  );
}

/**
 * The file's PTP view: per port offset (time error) and mean path delay over time, Sync and Announce
 * intervals, the metrics and verdicts of the timing issue when the PTP route has them, the grandmaster
 * timeline and the timing findings.
 */
export function PtpView({
  ptp,
  ptpError,
  findings,
  firstMs,
  endMs,
  markers,
}: {
  ptp: PtpResponse | undefined;
  ptpError: string | null;
  findings: AnomalyRow[];
  firstMs: number;
  endMs: number;
  markers: Marker[];
}) {
  const gm = findings.filter((a) => a.type === 'ptp_gm_change');
  const byType = new Map<string, number>();
  for (const a of findings) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
  return (
    <div className="ptp-view">
      {ptp && ptp.ports.length > 0 ? (
        ptp.ports.map((p) => (
          <div key={p.port} className="panel" data-ptp-port={p.port}>
            <h4>
              {p.port} · domain {p.domain ?? '—'} · {p.summary.exchanges.toLocaleString()} exchanges
            </h4>
            <p className="muted small">
              {p.master ? `master ${p.master} · ` : ''}
              {p.statement}
              {p.variable_only ? ' Relative clock: only the variation of the time error is meaningful.' : ''}
            </p>
            <PortChart port={p} firstMs={firstMs} endMs={endMs} markers={markers} />
            <table className="compact" aria-label={`PTP metrics ${p.port}`}>
              <tbody>
                <tr>
                  <th>max |TE|</th>
                  <td>{p.summary.max_abs_te_ns.toFixed(1)} ns</td>
                  <th>cTE</th>
                  <td>{p.summary.cte_ns.toFixed(1)} ns</td>
                  <th>
                    max |dTE<sub>L</sub>|
                  </th>
                  <td>{p.summary.max_abs_te_l_ns.toFixed(1)} ns</td>
                </tr>
                <tr>
                  <th>Sync interval</th>
                  <td>
                    {fmtS(p.intervals.sync?.mean_s)} ± {fmtS(p.intervals.sync?.std_s)}
                  </td>
                  <th>Announce interval</th>
                  <td>
                    {fmtS(p.intervals.announce?.mean_s)} ± {fmtS(p.intervals.announce?.std_s)}
                  </td>
                  <th>max Sync gap</th>
                  <td>{fmtS(p.intervals.sync?.max_s)}</td>
                </tr>
                {p.pdv && (
                  <tr>
                    <th>Sync PDV p50 / p99</th>
                    <td>
                      {p.pdv.p50_ns.toFixed(0)} / {p.pdv.p99_ns.toFixed(0)} ns
                    </td>
                    <th>PDV max</th>
                    <td>{p.pdv.max_ns.toFixed(0)} ns</td>
                    <th>floor packets</th>
                    <td>{p.pdv.fpp_pct.toFixed(1)} %</td>
                  </tr>
                )}
                {p.summary.worst_exchange && (
                  <tr>
                    <th>worst exchange</th>
                    <td colSpan={5}>
                      {p.summary.worst_exchange.te_ns.toFixed(1)} ns at Sync frame {p.summary.worst_exchange.sync_frame}
                      , Delay_Req {p.summary.worst_exchange.delay_req_frame}, Delay_Resp{' '}
                      {p.summary.worst_exchange.delay_resp_frame}
                    </td>
                  </tr>
                )}
                {p.mtie && p.mtie.length > 0 && (
                  <tr>
                    <th>MTIE</th>
                    <td colSpan={5} className="small">
                      {p.mtie
                        .slice(0, 8)
                        .map((m) => `${m.tau_s} s: ${m.ns.toFixed(0)} ns`)
                        .join(' · ')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            {p.verdicts.length > 0 && (
              <ul className="small">
                {p.verdicts.map((v, i) => (
                  <li key={i} className={v.pass ? '' : 'bad'}>
                    {v.standard} {v.class ?? ''} {v.criterion}: {v.value_ns.toFixed(1)} ns (limit {v.limit_ns} ns){' '}
                    {v.pass ? 'pass' : 'FAIL'}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))
      ) : (
        <p className="muted">
          {ptpError ?? 'No PTP two-way exchanges in this file (no offset or path delay to draw).'}
        </p>
      )}
      {gm.length > 0 && (
        <div className="panel">
          <h4>Grandmaster timeline ({gm.length} changes)</h4>
          <GrandmasterTimeline changes={gm} firstMs={firstMs} endMs={endMs} />
        </div>
      )}
      {findings.length > 0 && (
        <div className="panel">
          <h4>Timing findings over the capture ({findings.length})</h4>
          <FindingsTimeline findings={findings} firstMs={firstMs} endMs={endMs} />
        </div>
      )}
      {findings.length > 0 && (
        <p className="small" aria-label="Timing findings">
          Timing findings: {[...byType].map(([t, n]) => `${t} × ${n}`).join(', ')}
        </p>
      )}
    </div>
  );
}
