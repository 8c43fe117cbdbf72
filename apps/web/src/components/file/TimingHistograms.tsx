import { useMemo } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import { UPlotChart } from '../UPlotChart';
import { flowTitle, type TimingFlow, type TimingGroup, type TimingResponse } from '../../file-views';
import { histogramMedian, WINDOW_TITLES } from './timing-math';
import { fitValues } from '../axis-size';

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

/** Margins of the worst message to the late and early edges (µs; negative: outside the window). */
function marginsOf(
  window: string,
  minUs: number,
  maxUs: number,
  windowUs: [number, number],
  mode: TimingMode,
  ref: number,
): { late: number; early: number } {
  const width = windowUs[1] - windowUs[0];
  const [a, b] = mode === 'absolute' ? windowUs : [-width, width];
  const min = minUs - ref;
  const max = maxUs - ref;
  // An advance (DL, UL C-plane) is late below the window; the UL U-plane delay is late above it.
  const advance = window !== 'ul_uplane';
  return { late: advance ? min - a : b - max, early: advance ? b - max : min - a };
}

const signed = (v: number) => <strong className={v < 0 ? 'bad' : ''}>{v.toFixed(2)} µs</strong>;

function Histogram({
  group: h,
  flows,
  windowUs,
  mode,
}: {
  group: TimingGroup;
  flows: TimingFlow[];
  windowUs: [number, number] | undefined;
  mode: TimingMode;
}) {
  const ref = mode === 'relative' ? (h.reference_us ?? histogramMedian(h)) : 0;
  const margins = windowUs && h.judged > 0 ? marginsOf(h.window, h.min_us, h.max_us, windowUs, mode, ref) : null;
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
        { label: 'messages', size: fitValues() },
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
  const judgedFlows = flows.filter((f) => f.judged > 0);
  return (
    <div className="panel" data-window={h.window} data-count={h.counts.reduce((a, b) => a + b, 0)}>
      <h4>
        {WINDOW_TITLES[h.window] ?? h.window} · {h.flows.length} flow{h.flows.length === 1 ? '' : 's'} ·{' '}
        {h.judged.toLocaleString()} messages · bin {h.bin_us} µs
        {h.late + h.early > 0 && (
          <span className="bad">
            {' '}
            · {h.late.toLocaleString()} late, {h.early.toLocaleString()} early
          </span>
        )}
      </h4>
      {margins && (
        <p className="small" data-margin-late={margins.late.toFixed(3)}>
          Margin of the worst message: {signed(margins.late)} to the late edge, {signed(margins.early)} to the early
          edge{margins.late < 0 || margins.early < 0 ? ' (negative: outside the window)' : ''}.
        </p>
      )}
      {mode === 'relative' && (
        <p className="muted small">
          reference {ref.toFixed(3)} µs{h.reference_us === null ? ' (median)' : ' (learned by the detector)'}
        </p>
      )}
      <UPlotChart label={`Arrival offsets ${h.window}`} options={plot.options} data={plot.data} height={200} />
      {windowUs && judgedFlows.length > 1 && (
        <details className="small">
          <summary>Margin per flow</summary>
          <table className="compact" aria-label={`Margins ${h.window}`}>
            <thead>
              <tr>
                <th>flow</th>
                <th className="num">messages</th>
                <th className="num">late edge</th>
                <th className="num">early edge</th>
              </tr>
            </thead>
            <tbody>
              {judgedFlows.map((f) => {
                const m = marginsOf(h.window, f.min_us, f.max_us, windowUs, mode, ref);
                return (
                  <tr key={f.name}>
                    <td>{flowTitle(f.name)}</td>
                    <td className="num">{f.judged.toLocaleString()}</td>
                    <td className="num">{signed(m.late)}</td>
                    <td className="num">{signed(m.early)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

/** Arrival-offset histograms per plane and direction, the profile's window drawn (issue 16). */
export function TimingHistograms({ timing, mode }: { timing: TimingResponse; mode: TimingMode }) {
  if (!timing.groups?.length) return <p className="muted">No O-RAN message was timed (timing off, or no clock).</p>;
  return (
    <div className="grid-2">
      {timing.groups.map((g) => (
        <Histogram
          key={g.window}
          group={g}
          flows={timing.flows.filter((f) => f.window === g.window)}
          windowUs={timing.windows_us[g.window]}
          mode={mode}
        />
      ))}
    </div>
  );
}
