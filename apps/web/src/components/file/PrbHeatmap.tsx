import { useEffect, useMemo, useRef, useState } from 'react';
import type { Heatmap } from '../../file-views';
import type { Marker } from './markers';

const LEFT = 52;
const BOTTOM = 40;
const TOP = 16;
const RIGHT = 8;
const ZERO = '#8d8d8d';
const CLIPPED = '#e53935';

/** Perceptual-ish blue → green → yellow ramp for 0..1. */
function ramp(t: number): string {
  const stops = [
    [33, 30, 110],
    [32, 120, 160],
    [60, 175, 110],
    [250, 225, 60],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((v, k) => Math.round(v + (stops[i + 1]![k]! - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function ticks(max: number, target: number): number[] {
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/**
 * PRB × time power grid of one U-plane eAxC (issue 16: which PRBs are hot or silent): colour = mean power of
 * the cell's non-zero PRBs (dBFS), grey = all-zero PRBs (more than half the cell's samples), red = clipped
 * PRBs, white = nothing carried; findings marked on the time axis.
 */
export function PrbHeatmap({ map, markers }: { map: Heatmap; markers: Marker[] }) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<string | null>(null);
  const height = Math.max(220, Math.min(460, map.prbs * 3 + TOP + BOTTOM));
  const range = useMemo(() => {
    const vals = map.power_dbfs.filter((v): v is number => v !== null).sort((a, b) => a - b);
    if (vals.length === 0) return [-60, 0] as const;
    const lo = vals[Math.floor(vals.length * 0.02)]!;
    const hi = vals[Math.ceil(vals.length * 0.98) - 1]!;
    return [lo, Math.max(hi, lo + 1)] as const;
  }, [map]);
  const totals = useMemo(
    () => ({ zero: map.zero.reduce((a, b) => a + b, 0), clipped: map.clipped.reduce((a, b) => a + b, 0) }),
    [map],
  );

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(320, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const cv = canvas.current;
    if (!cv) return;
    const dpr = window.devicePixelRatio || 1;
    cv.width = width * dpr;
    cv.height = height * dpr;
    const ctx = cv.getContext('2d')!;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, height);
    const pw = width - LEFT - RIGHT;
    const ph = height - TOP - BOTTOM;
    const cw = pw / Math.max(1, map.columns);
    const rh = ph / Math.max(1, map.prbs);
    for (let c = 0; c < map.columns; c++) {
      for (let r = 0; r < map.prbs; r++) {
        const i = c * map.prbs + r;
        const n = map.samples[i]!;
        if (n === 0) continue;
        const p = map.power_dbfs[i];
        ctx.fillStyle =
          map.clipped[i]! > 0
            ? CLIPPED
            : map.zero[i]! * 2 > n || p === null || p === undefined
              ? ZERO
              : ramp((p - range[0]) / (range[1] - range[0]));
        // PRB 0 at the bottom, as on a spectrum plot
        ctx.fillRect(LEFT + c * cw, TOP + ph - (r + 1) * rh, Math.ceil(cw), Math.ceil(rh));
      }
    }
    ctx.strokeStyle = '#556';
    ctx.strokeRect(LEFT, TOP, pw, ph);
    ctx.fillStyle = '#1d232b';
    ctx.font = '11px system-ui';
    const totalMs = map.columns * map.column_ms;
    for (const t of ticks(totalMs, Math.max(2, Math.floor(pw / 90)))) {
      const x = LEFT + (t / totalMs) * pw;
      ctx.fillRect(x, TOP + ph, 1, 4);
      ctx.fillText(String(t), x - 8, TOP + ph + 15);
    }
    ctx.fillText('capture time since the first packet (ms)', LEFT + pw / 2 - 110, height - 6);
    for (const prb of ticks(map.prbs - 1, Math.max(2, Math.floor(ph / 40)))) {
      const y = TOP + ph - (prb + 0.5) * rh;
      ctx.fillRect(LEFT - 4, y, 4, 1);
      ctx.fillText(String(prb), LEFT - 30, y + 4);
    }
    ctx.save();
    ctx.translate(12, TOP + ph / 2 + 20);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('PRB index', 0, 0);
    ctx.restore();
    for (const m of markers) {
      const x = LEFT + (m.ms / totalMs) * pw;
      if (x < LEFT || x > LEFT + pw) continue;
      ctx.fillStyle = m.severity === 'critical' ? '#c62828' : '#e65100';
      ctx.beginPath();
      ctx.moveTo(x - 5, TOP - 10);
      ctx.lineTo(x + 5, TOP - 10);
      ctx.lineTo(x, TOP);
      ctx.fill();
    }
  }, [map, width, height, range, markers]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const pw = width - LEFT - RIGHT;
    const ph = height - TOP - BOTTOM;
    const c = Math.floor(((e.clientX - rect.left - LEFT) / pw) * map.columns);
    const r = Math.floor(((TOP + ph - (e.clientY - rect.top)) / ph) * map.prbs);
    if (c < 0 || r < 0 || c >= map.columns || r >= map.prbs) return setHover(null);
    const i = c * map.prbs + r;
    const p = map.power_dbfs[i];
    setHover(
      `${(c * map.column_ms).toFixed(2)}–${((c + 1) * map.column_ms).toFixed(2)} ms, PRB ${r}: ` +
        `${p === null || p === undefined ? 'no energy' : `${p.toFixed(1)} dBFS`} · ${map.samples[i]} PRB samples, ` +
        `${map.zero[i]} all-zero, ${map.clipped[i]} clipped`,
    );
  };

  return (
    <div
      ref={box}
      data-zero={totals.zero}
      data-clipped={totals.clipped}
      data-markers={markers.length}
      className="heatmap"
    >
      <canvas
        ref={canvas}
        role="img"
        aria-label={`PRB heatmap ${map.name}`}
        style={{ width, height }}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      />
      <div className="legend small">
        <span
          className="ramp"
          style={{ background: `linear-gradient(to right, ${[0, 0.33, 0.66, 1].map(ramp).join(',')})` }}
        />
        {range[0].toFixed(1)} … {range[1].toFixed(1)} dBFS (mean power of non-zero PRBs) ·{' '}
        <span className="swatch" style={{ background: ZERO }} /> all-zero PRBs ({totals.zero.toLocaleString()}) ·{' '}
        <span className="swatch" style={{ background: CLIPPED }} /> clipped ({totals.clipped.toLocaleString()}) · column{' '}
        {map.column_ms} ms
        {map.skipped_prbs > 0 &&
          ` · sampled: ${map.decoded_prbs.toLocaleString()} PRBs drawn, ${map.skipped_prbs.toLocaleString()} left out`}
      </div>
      <div className="muted small hover-line">{hover ?? 'Point at a cell for its values.'}</div>
    </div>
  );
}
