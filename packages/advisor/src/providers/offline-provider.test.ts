import { describe, expect, it } from 'vitest';
import { readKnowledgeFiles } from '../knowledge/knowledge-files.js';
import { ANSWER_SECTIONS } from '../prompt/system-prompt.js';
import { sampleAnomaly, sampleRequest } from '../test-support/sample-anomaly.js';
import { OfflineProvider, fillPlaceholders, inlineValue } from './offline-provider.js';

describe('OfflineProvider', () => {
  it('yields its first chunk within 50 ms and writes the five sections, labelled offline, with the evidence', async () => {
    const knowledge = await readKnowledgeFiles();
    const p = new OfflineProvider();
    const times: number[] = [];
    for (let run = 0; run < 20; run++) {
      const t0 = performance.now();
      for await (const ev of p.stream(sampleRequest({ knowledge }))) {
        if (ev.type === 'text') {
          times.push(performance.now() - t0);
          break;
        }
      }
    }
    times.sort((a, b) => a - b);
    console.info(
      `offline first chunk: median ${times[10]!.toFixed(2)} ms, max ${times[19]!.toFixed(2)} ms over 20 runs`,
    );
    expect(times[19]!).toBeLessThanOrEqual(50);

    let text = '';
    let end;
    for await (const ev of p.stream(sampleRequest({ knowledge })))
      if (ev.type === 'text') text += ev.text;
      else end = ev;
    expect(text).toMatch(/^> Offline advice/);
    const positions = ANSWER_SECTIONS.map((s) => text.indexOf(`## ${s}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('`missing`: 2');
    expect(text).toContain('ecpri.pcid == 1'); // {{flow.eaxc}} filled in the entry's Wireshark filter
    expect(text).toContain('O-RAN WG4 CUS §5.4.4.4');
    expect(end).toMatchObject({ type: 'end', stopReason: 'end_turn', usage: { inputTokens: 0 } });
  });

  it('answers with generic steps when the type has no entry', async () => {
    let text = '';
    for await (const ev of new OfflineProvider().stream(
      sampleRequest({ anomaly: sampleAnomaly({ type: 'new_detector_type' }) }),
    ))
      if (ev.type === 'text') text += ev.text;
    expect(text).toContain('No knowledge entry exists for this type yet');
    expect(text).toContain('## Prevention');
  });

  it('stops when aborted', async () => {
    const c = new AbortController();
    const it = new OfflineProvider().stream(sampleRequest(), c.signal)[Symbol.asyncIterator]();
    await it.next();
    c.abort();
    await expect(it.next()).rejects.toThrow();
  });

  it('renders capture values inline without markup or control characters, and fills placeholders', () => {
    expect(inlineValue('a|b`c\n<script>')).toBe('a\\|b\\`c \\<script\\>');
    expect(inlineValue('x'.repeat(200)).length).toBe(121);
    const a = sampleAnomaly();
    expect(fillPlaceholders('eAxC {{flow.eaxc}} frame {{packet_index}} {{evidence.missing}} {{flow.nothing}}', a)).toBe(
      'eAxC 1 frame 1234 2 <nothing>',
    );
  });
});
