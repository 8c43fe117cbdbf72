import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Anomaly, Metric } from '@l1t/contracts';
import { fullAnomaly, metric } from '../../store/src/test-support/anomaly-fixtures.js';
import { portSink, servePortSink } from './port-sink.js';
import type { FileResultSink } from './result-sink.js';

/** The main thread's side: a store that takes `delayMs` per batch. */
function slowTarget(delayMs: number) {
  const taken: string[] = [];
  const rows: (Anomaly | Metric)[] = [];
  const sink: FileResultSink = {
    begin: async (f) => void taken.push(`begin ${f.fileId}`),
    anomalies: (b) => void (taken.push(`anomalies ${b.length}`), rows.push(...b)),
    metrics: (b) => void (taken.push(`metrics ${b.length}`), rows.push(...b)),
    drain: () => new Promise((resolve) => setTimeout(resolve, delayMs)),
    end: async () => void taken.push('end'),
  };
  return { sink, taken, rows };
}

describe('portSink / servePortSink (a worker thread streaming to the main thread)', () => {
  it('hands every batch over in order, and holds the sender back while the receiver is slow', async () => {
    const { port1, port2 } = new MessageChannel();
    const target = slowTarget(5);
    const served = servePortSink(port1, target.sink);
    const sender = portSink(port2);
    await sender.begin({ fileId: 'f1', name: 'x.pcap' });
    let maxAhead = 0;
    for (let i = 0; i < 20; i++) {
      sender.anomalies([fullAnomaly(), fullAnomaly()]);
      sender.metrics([metric()]);
      await sender.drain();
      // batches posted minus batches the receiver has taken: bounded by the sender's window
      const taken = target.taken.filter((t) => t !== 'begin f1').length;
      maxAhead = Math.max(maxAhead, 2 * (i + 1) - taken);
    }
    await sender.end();
    await served;
    expect(target.taken[0]).toBe('begin f1');
    expect(target.taken.at(-1)).toBe('end');
    expect(target.taken.filter((t) => t === 'anomalies 2')).toHaveLength(20);
    expect(target.rows).toHaveLength(60);
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('ends the receiving sink when the sender goes away before its end (a worker that crashed)', async () => {
    const { port1, port2 } = new MessageChannel();
    const target = slowTarget(0);
    const served = servePortSink(port1, target.sink);
    const sender = portSink(port2);
    await sender.begin({ fileId: 'f3', name: 'z.pcap' });
    sender.anomalies([fullAnomaly()]);
    await sender.drain();
    port2.close();
    await served;
    expect(target.taken).toEqual(['begin f3', 'anomalies 1', 'end']);
  });

  it('reports a write error of the receiver to the sender', async () => {
    const { port1, port2 } = new MessageChannel();
    const failing: FileResultSink = {
      begin: () => Promise.resolve(),
      anomalies: () => undefined,
      metrics: () => undefined,
      drain: () => Promise.reject(new Error('store unreachable')),
      end: () => Promise.resolve(),
    };
    const served = servePortSink(port1, failing);
    const sender = portSink(port2);
    await sender.begin({ fileId: 'f2', name: 'y.pcap' });
    sender.anomalies([fullAnomaly()]);
    await expect(sender.end()).rejects.toThrow('store unreachable');
    await served;
  });
});
