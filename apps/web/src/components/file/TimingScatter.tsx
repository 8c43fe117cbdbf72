import { useMemo } from 'react';
import type { AlignedData, Options } from 'uplot';
import { UPlotChart } from '../UPlotChart';
import type { Scatter } from '../../file-views';
import { bandPlugin, type TimingMode } from './TimingHistograms';
import { markerPlugin, type Marker } from './markers';
import { fitValues } from '../axis-size';

const KIND_NAMES = ['on time', 'late', 'early'];
const KIND_COLORS = ['#1f5fa8', '#c62828', '#e65100'];

/**
 * Per-symbol arrival offsets of one flow over capture time (the "how much margin do I have" view), absolute
 * against the window or relative to the reference; late/early messages in colour, findings as markers.
 */
export function TimingScatter({
  scatter,
  windowUs,
  reference,
  mode,
  markers,
}: {
  scatter: Scatter;
  windowUs: [number, number] | undefined;
  reference: number;
  mode: TimingMode;
  markers: Marker[];
}) {
  const plot = useMemo(() => {
    const ref = mode === 'relative' ? reference : 0;
    const x = scatter.t_ms;
    const ys = [0, 1, 2].map((k) => scatter.offset_us.map((v, i) => (scatter.kind[i] === k ? v - ref : null)));
    const data = [x, ...ys] as AlignedData;
    const width = windowUs ? windowUs[1] - windowUs[0] : 0;
    const band = windowUs ? (mode === 'absolute' ? windowUs : ([-width, width] as [number, number])) : undefined;
    const vals = scatter.offset_us.map((v) => v - ref);
    if (band) vals.push(band[0], band[1]);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const pad = Math.max(1, (hi - lo) * 0.05);
    const options: Omit<Options, 'width' | 'height'> = {
      scales: { x: { time: false }, y: { range: [lo - pad, hi + pad] } },
      axes: [
        { label: 'capture time since the first packet (ms)', size: 42 },
        {
          label: mode === 'absolute' ? 'offset from air time (µs)' : 'offset from the reference (µs)',
          size: fitValues(),
        },
      ],
      series: [
        { label: 'ms' },
        ...[0, 1, 2].map((k) => ({
          label: KIND_NAMES[k],
          stroke: KIND_COLORS[k],
          paths: () => null,
          points: { show: true, size: k === 0 ? 3 : 5, fill: KIND_COLORS[k], stroke: KIND_COLORS[k] },
        })),
      ],
      plugins: [
        ...(band ? [bandPlugin(band[0], band[1], mode === 'absolute' ? 'window' : '± 1 window width', 'y')] : []),
        markerPlugin(markers),
      ],
    };
    return { data, options };
  }, [scatter, windowUs, reference, mode, markers]);
  return (
    <div
      data-points={scatter.t_ms.length}
      data-late-points={scatter.kind.filter((k) => k === 1).length}
      data-markers={markers.length}
    >
      <UPlotChart label={`Timing scatter ${scatter.name}`} options={plot.options} data={plot.data} height={260} />
      <p className="muted small">
        {scatter.t_ms.length.toLocaleString()} messages drawn
        {scatter.every > 1 ? ` (every ${scatter.every}th message: the capture is long)` : ' (every message)'}; the
        shaded band is the window, markers are findings.
      </p>
    </div>
  );
}
