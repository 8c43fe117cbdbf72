import { describe, expect, it } from 'vitest';
import type { Metric, MetricDraft } from '@l1t/contracts';
import { ResultCollector } from './result-collector.js';
import type { FileResultSink } from './result-sink.js';

const draft = (i: number): MetricDraft => ({
  timestamp: `2026-12-07T12:00:0${i}.000000000Z`,
  source: 'ue',
  name: 'ue_dl_bler_pct',
  labels: { cell: `lte:${i}` },
  value: i / 4,
});

function sinkInto(rows: Metric[]): FileResultSink {
  return {
    begin: () => Promise.resolve(),
    anomalies: () => undefined,
    metrics: (b) => void rows.push(...b),
    drain: () => Promise.resolve(),
    end: () => Promise.resolve(),
  };
}

describe('ResultCollector', () => {
  it('holds copies of the rows given before the file id is known, and streams the same rows as direct ones', async () => {
    const drafts = [0, 1, 2].map(draft);
    const held: Metric[] = [];
    const c = new ResultCollector({ file: 'f', sessionId: 's' }, sinkInto(held));
    c.metrics(drafts);
    // the analyzer's rows are not kept past the call (allocation-site pretenuring: result-collector.ts)
    drafts[0]!.value = 99;
    c.start('fid');
    await c.flushHeld();

    const direct: Metric[] = [];
    const d = new ResultCollector({ file: 'f', sessionId: 's' }, sinkInto(direct));
    d.start('fid');
    d.metrics([0, 1, 2].map(draft));

    expect(JSON.stringify(held)).toBe(JSON.stringify(direct));
    expect(held[0]!.value).toBe(0);
    expect(c.counts.metricCount).toBe(3);
  });
});
