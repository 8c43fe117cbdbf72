import { describe, expect, it } from 'vitest';
import { anomalyCsvHeader, anomalyCsvRow, csvCell } from './csv.js';

describe('csvCell', () => {
  it('prefixes cells a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('quotes separators, quotes and line breaks (RFC 4180) and leaves plain values alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('seq_gap')).toBe('seq_gap');
    expect(csvCell(0.98)).toBe('0.98');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ a: 1, b: 'x' })).toBe('"{""a"":1,""b"":""x""}"');
  });
});

describe('anomalyCsvRow', () => {
  it('flattens flow and radio keys into the header columns', () => {
    const row = anomalyCsvRow({
      id: 'x',
      type: 'seq_gap',
      source: 'fronthaul',
      severity: 'critical',
      confidence: 0.9,
      timestamp: '2026-01-01T00:00:00.000000000Z',
      file: 'a.pcap',
      packet_index: 3,
      packet_count: 1,
      flow: { eaxc: 2, plane: 'u', direction: 'dl' },
      radio: { frame_id: 1, subframe_id: 2, slot_id: 0, symbol_id: 5 },
      description: '=cmd',
      evidence: { missing: 2 },
    });
    const header = anomalyCsvHeader().trim().split(',');
    const cells = row.trim().split(',');
    expect(cells[header.indexOf('eaxc')]).toBe('2');
    expect(cells[header.indexOf('symbol_id')]).toBe('5');
    expect(cells[header.indexOf('description')]).toBe("'=cmd");
  });
});
