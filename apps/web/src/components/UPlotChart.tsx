import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** uPlot (canvas, fast on dense series) sized to its container; options without width/height. */
export function UPlotChart({
  options,
  data,
  height = 220,
  label,
}: {
  options: Omit<Options, 'width' | 'height'>;
  data: AlignedData;
  height?: number;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const p = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height } as Options, data, el);
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
    // Options are rebuilt by callers on data change; a new plot per change is simple and cheap enough.
  }, [options, data, height]);
  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
