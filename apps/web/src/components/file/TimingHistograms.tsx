import { useMemo } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import { UPlotChart } from '../UPlotChart';
import type { TimingFlow, TimingResponse } from '../../file-views';
import { histogramMedian, mergeHistograms, WINDOW_TITLES } from './timing-math';

export type TimingMode = 'absolute' | 'relative';

/** Draws a shaded band [a, b] (values of `axis`) under the series: the profile's reception window. */
export function bandPlugin(a: number, b: number, label: string, axis: 'x' | 'y' = 'x'): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const p0 = u.valToPos(a, axis, true);
          const p1 = u.valToPos(b, axis, true);
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.fillStyle = 'rgba(46, 160, 67, 0.13)';
          if (axis === 'x') ctx.fillRect(Math.min(p0, p1), top, Math.abs(p1 - p0), height);
          else ctx.fillRect(left, Math.min(p0, p1), width, Math.abs(p1 - p0));
          ctx.strokeStyle = 'rgba(46, 160, 67, 0.8)';
          ctx.setLineDash([4, 3]);
          for (const p of [p0, p1]) {
            ctx.beginPath();
            if (axis === 'x') {
              ctx.moveTo(p, top);
              ctx.lineTo(p, top + height);
            } else {
              ctx.moveTo(left, p);
              ctx.lineTo(left + width, p);
            }
            ctx.stroke();
          }
          ctx.fillStyle = '#2e7d32';
          ctx.font = `${11 * devicePixelRatio}px system-ui`;
          if (axis === 'x') ctx.fillText(label, Math.min(p0, p1) + 4, top + 14 * devicePixelRatio);
          else ctx.fillText(label, left + 4, Math.min(p0, p1) + 12 * devicePixelRatio);
          ctx.restore();
        },
      ],
    },
  };
}

function Histogram({
  window,
  flows,
  windowUs,
  mode,
}: {
  window: string;
  flows: TimingFlow[];
  windowUs: [number, number] | undefined;
  mode: TimingMode;
}) {
  const h = useMemo(() => mergeHistograms(flows), [flows]);
  const ref = mode === 'relative' ? (h.reference_us ?? histogramMedian(h)) : 0;
  const late = flows.reduce((s, f) => s + f.late, 0);
  const early = flows.reduce((s, f) => s + f.early, 0);
  const margins = useMemo(() => {
    const judged = flows.filter((f) => f.judged > 0);
    if (!windowUs || judged.length === 0) return null;
    const min = Math.min(...judged.map((f) => f.min_us)) - ref;
    const max = Math.max(...judged.map((f) => f.max_us)) - ref;
    const width = windowUs[1] - windowUs[0];
    const [a, b] = mode === 'absolute' ? windowUs : [-width, width];
    // An advance (DL, UL C-plane) is late below the window; the UL U-plane delay is late above it.
    const advance = window !== 'ul_uplane';
    return { late: advance ? min - a : b - max, early: advance ? b - max : min - a };
  }, [flows, windowUs, ref, mode, window]);
  const plot = useMemo(() => {
    const x = h.counts.map((_, i) => h.lo_us + (i + 0.5) * h.bin_us - ref);
    const data: AlignedData = [x, h.counts];
    const width = windowUs ? windowUs[1] - windowUs[0] : 0;
    const band: [number, number] | undefined = windowUs
      ? mode === 'absolute'
        ? windowUs
        : [-width, width]
      : undefined;
    const xs = [...x];
    if (band) xs.push(band[0], band[1]);
    const pad = h.bin_us * 2;
    const options: Omit<Options, 'width' | 'height'> = {
      scales: {
        x: { time: false, range: [Math.min(...xs) - pad, Math.max(...xs) + pad] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        { label: mode === 'absolute' ? 'offset from air time (µs)' : 'offset from the reference (µs)', size: 42 },
        { label: 'messages', size: 60 },
      ],
      legend: { show: false },
      series: [
        {},
        {
          label: 'messages',
          stroke: '#1f5fa8',
          fill: 'rgba(31, 95, 168, 0.45)',
          paths: uPlot.paths.bars!({ size: [0.95, Infinity], align: 0 }),
          points: { show: false },
        },
      ],
      plugins: band
        ? [bandPlugin(band[0], band[1], mode === 'absolute' ? `window ${band[0]}–${band[1]} µs` : '± 1 window width')]
        : [],
    };
    return { data, options };
  }, [h, ref, mode, windowUs]);
  return (
    <div className="panel" data-window={window} data-count={h.total}>
      <h4>
        {WINDOW_TITLES[window] ?? window} · {flows.length} flow{flows.length === 1 ? '' : 's'} ·{' '}
        {h.total.toLocaleString()} messages · bin {h.bin_us} µs
        {late + early > 0 && (
          <span className="bad">
            {' '}
            · {late.toLocaleString()} late, {early.toLocaleString()} early
          </span>
        )}
      </h4>
      {margins && (
        <p className="small" data-margin-late={margins.late.toFixed(3)}>
          Margin of the worst message:{' '}
          <strong className={margins.late < 0 ? 'bad' : ''}>{margins.late.toFixed(2)} µs</strong> to the late edge,{' '}
          <strong className={margins.early < 0 ? 'bad' : ''}>{margins.early.toFixed(2)} µs</strong> to the early edge
          {margins.late < 0 || margins.early < 0 ? ' (negative: outside the window)' : ''}.
        </p>
      )}
      {mode === 'relative' && (
        <p className="muted small">
          reference {ref.toFixed(3)} µs{h.reference_us === null ? ' (median)' : ' (learned by the detector)'}
        </p>
      )}
      <UPlotChart label={`Arrival offsets ${window}`} options={plot.options} data={plot.data} height={200} />
    </div>
  );
}

/** Arrival-offset histograms per plane and direction, the profile's window drawn (issue 16). */
export function TimingHistograms({ timing, mode }: { timing: TimingResponse; mode: TimingMode }) {
  const groups = useMemo(() => {
    const by = new Map<string, TimingFlow[]>();
    for (const f of timing.flows) by.set(f.window, [...(by.get(f.window) ?? []), f]);
    return [...by.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [timing]);
  if (groups.length === 0) return <p className="muted">No O-RAN message was timed (timing off, or no clock).</p>;
  return (
    <div className="grid-2">
      {groups.map(([w, flows]) => (
        <Histogram key={w} window={w} flows={flows} windowUs={timing.windows_us[w]} mode={mode} />
      ))}
    </div>
  );
}
