import { describe, expect, it } from 'vitest';
import type { AnalyzerOutput, FileAnalyzer } from '../analysis-types.js';
import { createAnalyzer } from './registry.js';
import { TextLogDispatcher } from './text-log-dispatcher.js';
import { TEXT_HEAD_LINES, type TextLogKind } from './text-log-kinds.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A kind that keeps every byte it is given, to show the dispatcher hands over the whole file in order. */
function keepingKind(kind: string, marker: RegExp, seen: { heads: string[][] }): TextLogKind {
  return {
    kind,
    recognise: (head) => {
      seen.heads.push([...head]);
      return head.some((l) => marker.test(l));
    },
    create: () => {
      const bytes: number[] = [];
      const a: FileAnalyzer = {
        push: (c) => bytes.push(...c),
        finish: (): AnalyzerOutput => ({
          summary: {
            records: bytes.length,
            unknownRecords: 0,
            malformedRecords: 0,
            details: { text: new TextDecoder().decode(new Uint8Array(bytes)) },
          },
          anomalies: [],
          metrics: [],
        }),
      };
      return a;
    },
  };
}

function run(d: FileAnalyzer, text: string, chunk = 7): AnalyzerOutput {
  const b = utf8(text);
  for (let i = 0; i < b.length; i += chunk) d.push(b.subarray(i, i + chunk));
  return d.finish();
}

describe('TextLogDispatcher', () => {
  it('gives the whole file, in order, to the first kind that recognises its head', () => {
    const seen = { heads: [] as string[][] };
    const text = Array.from({ length: 200 }, (_, i) => (i === 3 ? 'MARK here\r\n' : `line ${i}\n`)).join('');
    const out = run(
      new TextLogDispatcher({ fileName: 'f', profile: undefined }, [
        keepingKind('other', /NEVER/, seen),
        keepingKind('marked', /^MARK here$/, seen),
      ]),
      text,
    );
    expect(out.summary.details).toMatchObject({ text_log_kind: 'marked', text });
    expect(out.warning).toBeUndefined();
    // Both kinds saw the same head: TEXT_HEAD_LINES whole lines, CR stripped.
    expect(seen.heads[0]).toHaveLength(TEXT_HEAD_LINES);
    expect(seen.heads[1]).toEqual(seen.heads[0]);
    expect(seen.heads[0]![3]).toBe('MARK here');
  });

  it('decides at the end for a file shorter than the head, unterminated last line included', () => {
    const seen = { heads: [] as string[][] };
    const out = run(
      new TextLogDispatcher({ fileName: 'f', profile: undefined }, [keepingKind('k', /^last$/, seen)]),
      'a\nb\nlast',
      2,
    );
    expect(seen.heads).toEqual([['a', 'b', 'last']]);
    expect(out.summary.details).toMatchObject({ text_log_kind: 'k', text: 'a\nb\nlast' });
  });

  it('counts the lines of a text none recognises and says it was not analysed', () => {
    const out = run(
      createAnalyzer('text', 'text', { fileName: 'events.txt', profile: undefined }),
      'ue attach ok\nue detach\n',
    );
    expect(out.summary.records).toBe(2);
    expect(out.summary.details).toMatchObject({ record_kind: 'line', text_log_kind: 'unrecognised' });
    expect(out.warning).toBe('text log not recognised: 2 lines, not analysed');
  });
});
