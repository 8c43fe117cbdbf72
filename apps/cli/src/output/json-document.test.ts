/**
 * The json document written piecewise (output/json-document.ts) is byte for byte JSON.stringify(doc, null, 2),
 * and the findings it waits for are kept as deflated text, not as objects (issue 14: peak RSS of
 * `l1t analyze --format json` at 4 GB).
 */
import type { Anomaly } from '@l1t/contracts';
import { analyzeFile, anomalyCallbackSink, fileInput } from '@l1t/pipeline';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { fileJson } from './render.js';
import { documentElementText, GatheredAnomalies, JsonElements, writeJsonDocument } from './json-document.js';

const samples = requireSharedDir('samples');

/** The document as writeJsonDocument writes it, and how many pieces it took. */
async function written(doc: Record<string, unknown>): Promise<{ text: string; pieces: number }> {
  const parts: Buffer[] = [];
  await writeJsonDocument(doc, (piece) => {
    parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
    return Promise.resolve();
  });
  return { text: Buffer.concat(parts).toString('utf8'), pieces: parts.length };
}

const elements = (list: unknown[]): JsonElements =>
  new JsonElements(list.map((v) => Buffer.from(documentElementText(v), 'utf8')));

const inTimeOrder = (x: Anomaly, y: Anomaly): number =>
  x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : x.packet_index - y.packet_index;

describe('writeJsonDocument', () => {
  it('writes what JSON.stringify(doc, null, 2) gives, streamed members or not', async () => {
    const odd = {
      text: 'line\nfeed "quoted" → — § \u2028 \ud800 end',
      nested: [[], {}, [1, [2, { a: null }]], { b: [{}] }],
      numbers: [0, -0, 1e21, 1.5e-7, NaN, Infinity],
      gone: undefined,
      fn: () => 1,
    };
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{}, {}],
      [{ a: elements([]) }, { a: [] }],
      [
        { a: elements([1]), b: 2 },
        { a: [1], b: 2 },
      ],
      [
        { x: undefined, a: elements([odd, 'two', [odd], null]), b: elements([]), c: odd },
        { x: undefined, a: [odd, 'two', [odd], null], b: [], c: odd },
      ],
      [{ a: elements([undefined, () => 1]) }, { a: [undefined, () => 1] }],
      [
        { s: 'only', t: elements([{ deep: { deeper: [odd] } }]) },
        { s: 'only', t: [{ deep: { deeper: [odd] } }] },
      ],
    ];
    for (const [streamed, plain] of cases) expect((await written(streamed)).text).toBe(JSON.stringify(plain, null, 2));
  });

  it.runIf(samples.available)(
    'writes a real analysis (PTP announce attack findings) as JSON.stringify would, in pieces',
    async () => {
      const path = `${samples.path}/s-plane_security/prod_successful_announce_attack_ptp.pcap`;
      const found: Anomaly[] = [];
      const gathered = new GatheredAnomalies();
      const result = await analyzeFile(fileInput(path), {
        views: false,
        sink: anomalyCallbackSink((a) => {
          found.push(a);
          gathered.add(a);
        }),
      });
      expect(found.length).toBeGreaterThan(20);
      const files = [fileJson(result)];
      const summary = { files: 1, anomalies: found.length };
      const expected = JSON.stringify({ files, anomalies: [...found].sort(inTimeOrder), summary }, null, 2);
      const out = await written({ files, anomalies: new JsonElements(gathered.inTimeOrder()), summary });
      expect(Buffer.from(out.text)).toEqual(Buffer.from(expected));
      expect(JSON.parse(out.text)).toEqual(JSON.parse(expected));
      // the findings are not joined into one string first: more pieces than members
      expect(out.pieces).toBeGreaterThan(3);
    },
  );
});

describe('GatheredAnomalies', () => {
  it.runIf(samples.available)(
    'gives back many findings in time order as their text, keeping a fraction of it (deflated slabs)',
    async () => {
      const path = `${samples.path}/s-plane_security/2024-10-08-announce_attack_1.pcap`;
      const found: Anomaly[] = [];
      await analyzeFile(fileInput(path), { views: false, sink: anomalyCallbackSink((a) => void found.push(a)) });
      expect(found.length).toBeGreaterThan(10);
      // ~13 MB of text in a scrambled order (several slabs of 1 MB, findings taken back from deflated slabs
      // before and after the one being filled); equal timestamps are ordered by packet index, then arrival
      const many: Anomaly[] = [];
      let seed = 7;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let i = 0; i < 6000; i++) {
        const a = found[next() % found.length]!;
        many.push({ ...a, packet_index: next() % 50 });
      }
      const gathered = new GatheredAnomalies();
      for (const a of many) gathered.add(a);
      const back = [...gathered.inTimeOrder()].map((b) => Buffer.from(b).toString('utf8'));
      expect(back).toEqual([...many].sort(inTimeOrder).map((a) => documentElementText(a)));
      expect(gathered.bytes).toBeGreaterThan(8 << 20);
      // fails when the findings are kept as they are (objects, or their text as it is)
      expect(gathered.keptBytes).toBeLessThan(gathered.bytes / 4);
    },
  );
});
