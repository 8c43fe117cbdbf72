import type { Locator } from 'playwright-core';

/**
 * Charts (uPlot canvases: `.chart[role="img"]`, not heatmaps drawn edge to edge) under `scope` whose drawing reaches the canvas's left, right or bottom
 * edge: the ink of an axis value or label that did not fit its axis and was cut off there. Read from the
 * canvas pixels, so it judges what the engineer sees, whatever the font: a tick value such as "-120.5" drawn
 * wider than its axis starts left of the canvas and leaves ink in its first columns.
 *
 * Returns one line per cut edge ("KPI rsrp in dBm …: left 14 px") — empty when every chart fits.
 */
export async function chartsCutAtTheirEdges(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const cut: string[] = [];
    for (const chart of root.querySelectorAll('.chart[role="img"]')) {
      for (const canvas of chart.querySelectorAll('canvas')) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width < 8 || canvas.height < 8) continue;
        const { width: w, height: h } = canvas;
        // Ink: a pixel drawn with some opacity (uPlot's canvas background is transparent).
        const inked = (x: number, y: number, cw: number, ch: number): number => {
          const d = ctx.getImageData(x, y, cw, ch).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i]! > 96) n++;
          return n;
        };
        const edges: [string, number][] = [
          ['left', inked(0, 0, 2, h)],
          ['right', inked(w - 2, 0, 2, h)],
          ['bottom', inked(0, h - 2, w, 2)],
        ];
        for (const [edge, n] of edges)
          if (n > 0) cut.push(`${chart.getAttribute('aria-label') ?? 'chart'}: ${edge} ${n} px`);
      }
    }
    return cut;
  });
}

/** Adds a chart whose tick value is drawn past its left edge, as a clipped axis draws it: the probe's own test. */
export async function addClippedProbe(scope: Locator): Promise<void> {
  await scope.evaluate((root) => {
    const chart = root.ownerDocument.createElement('div');
    chart.className = 'chart';
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', 'clipped probe');
    chart.dataset.probe = 'clipped';
    const canvas = root.ownerDocument.createElement('canvas');
    canvas.width = 120;
    canvas.height = 40;
    const ctx = canvas.getContext('2d')!;
    ctx.font = '12px sans-serif';
    ctx.fillText('-120.5', -12, 24);
    chart.append(canvas);
    root.append(chart);
  });
}

/** Removes what {@link addClippedProbe} added. */
export async function removeClippedProbe(scope: Locator): Promise<void> {
  await scope.evaluate((root) => {
    for (const e of root.querySelectorAll('[data-probe="clipped"]')) e.remove();
  });
}
