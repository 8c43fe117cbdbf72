import { useMemo } from 'react';
import type { AlignedData, Options } from 'uplot';
import { UPlotChart } from '../UPlotChart';
import type { MetricRow } from '../../api';
import { flowTitle, relMs } from '../../file-views';
import { markerPlugin, type Marker } from './markers';
import { fitValues } from '../axis-size';

const COLORS = ['#1f5fa8', '#2e7d32', '#8e24aa', '#00838f', '#6d4c41', '#c0ca33', '#5c6bc0', '#ef6c00'];

/**
 * The stored KPI `fh_rx_margin_us_min` per flow over the capture (the smallest distance of a message to the
 * nearer window edge in each KPI bucket — 10 ms in a capture's first second, then 100 ms, then 1 s); below
 * zero a message was outside the window. Findings marked.
 */
export function MarginSeries({
  rows,
  firstTsNs,
  durationMs,
  markers,
}: {
  rows: MetricRow[];
  firstTsNs: string | null;
  durationMs: number;
  markers: Marker[];
}) {
  const plot = useMemo(() => {
    const flows = [...new Set(rows.map((r) => r.labels.flow ?? ''))].sort().slice(0, COLORS.length);
    const byTime = new Map<number, Map<string, number>>();
    for (const r of rows) {
      const t = relMs(r.timestamp, firstTsNs);
      if (t === null || !flows.includes(r.labels.flow ?? '')) continue;
      const at = byTime.get(t) ?? new Map<string, number>();
      at.set(r.labels.flow ?? '', r.value);
      byTime.set(t, at);
    }
    const x = [...byTime.keys()].sort((a, b) => a - b);
    const data = [x, ...flows.map((f) => x.map((t) => byTime.get(t)?.get(f) ?? null))] as AlignedData;
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: false, range: [0, Math.max(durationMs, ...x, 1)] } },
      axes: [
        { label: 'capture time since the first packet (ms)', size: 42 },
        { label: 'smallest margin (µs)', size: fitValues() },
      ],
      series: [
        { label: 'ms' },
        ...flows.map((f, i) => ({
          label: flowTitle(f),
          stroke: COLORS[i],
          // each flow's points are stamped with its first message in the bucket: join them across the others'
          spanGaps: true,
          points: { show: x.length < 400 },
        })),
      ],
      plugins: [markerPlugin(markers)],
    };
    // points of the flow with the most (the buckets the capture spans)
    const points = Math.max(0, ...flows.map((f) => rows.filter((r) => r.labels.flow === f).length));
    return { data, options, points };
  }, [rows, firstTsNs, durationMs, markers]);
  if (rows.length === 0) return <p className="muted">No margin KPI stored for this file.</p>;
  return (
    <div data-kpi-points={plot.points}>
      <UPlotChart label="Margin to the window over time" options={plot.options} data={plot.data} height={220} />
    </div>
  );
}
