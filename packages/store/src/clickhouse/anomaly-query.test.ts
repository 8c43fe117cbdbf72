import { describe, expect, it } from 'vitest';
import { buildAnomalyWhere } from './anomaly-where.js';

describe('buildAnomalyWhere', () => {
  it('binds every filter value as a typed parameter, never as SQL text', () => {
    const hostile = `'; DROP TABLE x; --`;
    const w = buildAnomalyWhere({
      fileId: hostile,
      sessionId: hostile,
      type: [hostile],
      severity: ['major'],
      source: ['ue'],
      q: hostile,
      eaxc: 3,
    });
    expect(w?.clause).not.toContain('DROP');
    expect(w?.clause).toContain('file_id = {file_id:String}');
    expect(w?.params).toMatchObject({ file_id: hostile, session_id: hostile, types: [hostile], q: hostile, eaxc: 3 });
    // Also bound as a LIKE pattern over the idx_text expression (migration 0006), lowercased.
    expect(w?.params.q_like).toBe(`%${hostile.toLowerCase()}%`);
  });

  it('escapes LIKE metacharacters of a search needle, and leaves a non-ASCII one to the UTF-8 search', () => {
    expect(buildAnomalyWhere({ q: '50%_OFF\\x' })?.params.q_like).toBe('%50\\%\\_off\\\\x%');
    const utf8 = buildAnomalyWhere({ q: 'Zelle ÄÖ' });
    expect(utf8?.clause).toContain('positionCaseInsensitiveUTF8(description, {q:String})');
    expect(utf8?.params.q).toBe('Zelle ÄÖ');
    expect(utf8?.params.q_like).toBeUndefined();
  });

  it('converts time bounds to nanosecond DateTime64 text', () => {
    expect(buildAnomalyWhere({ from: '2026-11-26T03:11:54.000000001Z' })?.params.from).toBe(
      '2026-11-26 03:11:54.000000001',
    );
  });

  it('matches nothing for an empty or invalid id list, and drops invalid ids from exclusions', () => {
    expect(buildAnomalyWhere({ ids: [] })).toBeUndefined();
    expect(buildAnomalyWhere({ ids: ['x'] })).toBeUndefined();
    expect(buildAnomalyWhere({ excludeIds: ['x'] })).toEqual({ clause: '', params: {} });
  });
});
