import uPlot, { type Axis } from 'uplot';

/** uPlot's defaults for a value axis: tick length and the gap between tick and value (uPlot 1.6 `axisOpts`). */
const TICK_PX = 10;
const GAP_PX = 5;
/** A little air on the far side of the widest value, so a glyph's overhang is not cut by the canvas edge. */
const AIR_PX = 4;

/**
 * A y-axis `size` that fits its widest tick value, measured in the axis's own font on the chart's canvas.
 * A fixed size (uPlot's 50 px default, or the 60–70 px set per chart) cut values such as "-120.5" dBm or
 * "-1250000" ns at the canvas edge; counting characters misjudges proportional fonts. uPlot calls `size`
 * again until the tick values and the size agree, so the axis grows with the values it shows.
 */
export function fitValues(minPx = 30): Axis.Size {
  return (u, values, axisIdx) => {
    const axis = u.axes[axisIdx];
    // After init uPlot keeps each axis font as [css font at device pixels, device px, css px].
    const font = axis?.font as unknown as [string, number, number] | string | undefined;
    const ctx = u.ctx;
    ctx.save();
    ctx.font = Array.isArray(font) ? font[0] : (font ?? '12px sans-serif');
    let widest = 0;
    for (const v of values ?? []) if (v != null) widest = Math.max(widest, ctx.measureText(String(v)).width);
    ctx.restore();
    const cssWidth = widest / uPlot.pxRatio;
    return Math.max(minPx, Math.ceil(TICK_PX + GAP_PX + cssWidth + AIR_PX));
  };
}
