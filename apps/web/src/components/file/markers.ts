import type uPlot from 'uplot';

/** A finding drawn on a time axis: where (ms since the capture's first packet) and what. */
export interface Marker {
  ms: number;
  endMs?: number;
  label: string;
  severity: string;
}

const COLORS: Record<string, string> = {
  critical: '#c62828',
  major: '#e65100',
  minor: '#b08900',
  info: '#607d8b',
};

/** Draws the findings as vertical lines (a span as a shaded band) with a small flag on top of the plot. */
export function markerPlugin(markers: Marker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          for (const m of markers) {
            const x = u.valToPos(m.ms, 'x', true);
            if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) continue;
            const color = COLORS[m.severity] ?? '#607d8b';
            if (m.endMs !== undefined && m.endMs > m.ms) {
              const x1 = u.valToPos(m.endMs, 'x', true);
              ctx.fillStyle = `${color}22`;
              ctx.fillRect(x, u.bbox.top, Math.max(1, x1 - x), u.bbox.height);
            }
            ctx.strokeStyle = color;
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillStyle = color;
            ctx.beginPath();
            const s = 5 * devicePixelRatio;
            ctx.moveTo(x - s, u.bbox.top);
            ctx.lineTo(x + s, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + s * 1.4);
            ctx.fill();
          }
          ctx.restore();
        },
      ],
    },
  };
}
