import { esc } from './html.js';

const SEV_COLOR: Record<string, string> = { critical: '#b3261e', major: '#e07000', minor: '#b59b00', info: '#4a6fa5' };
const SEVERITIES = ['critical', 'major', 'minor', 'info'];

/** Horizontal bars (inline SVG): label, count, in the given order. */
export function barChart(title: string, bars: { label: string; value: number; color?: string }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 20;
  const w = 640;
  const labelW = 200;
  const h = bars.length * rowH + 24;
  const rows = bars
    .map((b, i) => {
      const y = 18 + i * rowH;
      const len = Math.round(((w - labelW - 60) * b.value) / max);
      return `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="11">${esc(b.label)}</text><rect x="${labelW}" y="${y + 2}" width="${Math.max(1, len)}" height="${rowH - 6}" fill="${b.color ?? '#3366cc'}"/><text x="${labelW + len + 4}" y="${y + 12}" font-size="11">${b.value.toLocaleString('en')}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}"><text x="0" y="12" font-size="12" font-weight="600">${esc(title)}</text>${rows}</svg>`;
}

/** Seconds (float) of an ISO timestamp with nanoseconds. */
const sec = (iso: string): number => Date.parse(iso) / 1000 + Number(iso.slice(23, 29) || 0) / 1e9;

/**
 * Findings over capture time (inline SVG): one lane per severity, a mark per finding and a bar over the span
 * of an aggregated one; the x axis spans the findings, labelled in UTC with its extent.
 */
export function findingsOverTime(
  title: string,
  items: readonly { severity: string; timestamp: string; end_timestamp?: string }[],
): string {
  const w = 720;
  const left = 70;
  const right = 20;
  const laneH = 26;
  const top = 24;
  const h = top + SEVERITIES.length * laneH + 40;
  if (items.length === 0) return '';
  const xs = items.map((a) => sec(a.timestamp));
  const ends = items.map((a, i) => (a.end_timestamp ? Math.max(xs[i]!, sec(a.end_timestamp)) : xs[i]!));
  const lo = Math.min(...xs);
  const hi = Math.max(...ends);
  const span = Math.max(hi - lo, 0.001);
  const x = (t: number) => left + ((t - lo) / span) * (w - left - right);
  const lanes = SEVERITIES.map(
    (s, i) =>
      `<text x="${left - 6}" y="${top + i * laneH + 17}" text-anchor="end" font-size="11">${s}</text><line x1="${left}" x2="${w - right}" y1="${top + i * laneH + 13}" y2="${top + i * laneH + 13}" stroke="#e3e8ec"/>`,
  ).join('');
  const marks = items
    .map((a, i) => {
      const lane = Math.max(0, SEVERITIES.indexOf(a.severity));
      const y = top + lane * laneH + 13;
      const c = SEV_COLOR[a.severity] ?? '#666';
      const bar =
        ends[i]! > xs[i]!
          ? `<rect x="${x(xs[i]!)}" y="${y - 4}" width="${Math.max(2, x(ends[i]!) - x(xs[i]!))}" height="8" fill="${c}" opacity="0.35"/>`
          : '';
      return `${bar}<circle cx="${x(xs[i]!).toFixed(1)}" cy="${y}" r="4" fill="${c}"/>`;
    })
    .join('');
  const fmt = (t: number) => new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 23);
  const axis = `<text x="${left}" y="${h - 12}" font-size="11">${fmt(lo)}</text><text x="${w - right}" y="${h - 12}" font-size="11" text-anchor="end">${fmt(hi)}</text><text x="${(left + w - right) / 2}" y="${h - 12}" font-size="11" text-anchor="middle">capture time (UTC), ${span < 1 ? `${(span * 1000).toFixed(1)} ms` : `${span.toFixed(1)} s`}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}"><text x="0" y="12" font-size="12" font-weight="600">${esc(title)}</text>${lanes}${marks}${axis}</svg>`;
}

export { SEV_COLOR, SEVERITIES };
