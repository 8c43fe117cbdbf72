import uPlot from 'uplot';

/** uPlot's `tzDate` for UTC ticks: charts labelled "(UTC)" must not show the browser's local time. */
export const utcDate = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
