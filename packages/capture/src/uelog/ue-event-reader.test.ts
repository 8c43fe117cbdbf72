import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { UeEvent } from './ue-event-line.js';
import { looksLikeUeEventLog, MAX_UE_LINE_BYTES, UeEventReader } from './ue-event-reader.js';

const SAMPLE = readFileSync(new URL('../../../../docs/samples/ue-events.txt', import.meta.url));

function read(bytes: Uint8Array, chunk: number) {
  const events: UeEvent[] = [];
  const r = new UeEventReader((e) => events.push(e));
  for (let o = 0; o < bytes.length; o += chunk) r.push(bytes.subarray(o, o + chunk));
  r.end();
  return { r, events };
}

describe('UE event reader', () => {
  it('accounts for every line of the sample in the repo, whatever the chunking', () => {
    const whole = read(SAMPLE, SAMPLE.length);
    expect(whole.r.counts).toEqual({ lines: 17, events: 15, blank: 1, unrecognised: 1, cut_lines: 0 });
    expect(whole.r.unrecognisedBy).toEqual({ no_timestamp: 0, no_ue_identity: 0, no_procedure: 1 });
    expect(whole.r.examples).toEqual([
      { line: 17, text: '2026-12-06T09:00:13.000Z INFO  core: AMF restart completed', reason: 'no_procedure' },
    ]);
    expect(whole.events.map((e) => `${e.line} ${e.ue} ${e.procedure} ${e.outcome}`)).toEqual([
      '2 imsi:001010000000001 attach request',
      '3 imsi:001010000000001 attach success',
      '4 imsi:001010000000001 attach success',
      '5 imsi:001010000000002 attach request',
      '6 imsi:001010000000002 attach failed',
      '7 ue:17 rrc_setup success',
      '8 ue:17 attach failed',
      '9 ue:18 attach timeout',
      '10 imsi:001010000000001 detach request',
      '11 imsi:001010000000003 detach network',
      '12 imsi:001010000000004 detach abnormal',
      '13 imsi:001010000000005 attach success',
      '14 ue:17 rrc_release normal',
      '15 rnti:4660 rrc_setup failed',
      '16 rnti:4660 rrc_reestablishment request',
    ]);
    for (const size of [1, 7, 64]) expect(read(SAMPLE, size).events).toEqual(whole.events);
  });

  it('CR LF, a last line with no break, and a line longer than the bound', () => {
    const crlf = new TextEncoder().encode(
      '2025-12-06T09:00:00Z UE=1 attach request\r\n2025-12-06T09:00:01Z UE=1 attach accept',
    );
    const { r, events } = read(crlf, 5);
    expect(events.map((e) => e.outcome)).toEqual(['request', 'success']);
    expect(r.counts.lines).toBe(2);
    const long = new Uint8Array(MAX_UE_LINE_BYTES + 100).fill(0x41);
    const cut = read(long, 1000);
    expect(cut.r.counts).toMatchObject({ lines: 1, unrecognised: 1, cut_lines: 1 });
  });

  it('recognises a UE event log by its head, and not a ptp4l log', () => {
    const head = SAMPLE.toString().split('\n').slice(0, 64);
    expect(looksLikeUeEventLog(head)).toBe(true);
    expect(
      looksLikeUeEventLog([
        'ptp4l[5196.770]: master offset -23 s2 freq -1900 path delay 700',
        'ptp4l[5197.770]: master offset 12 s2 freq -1890 path delay 702',
      ]),
    ).toBe(false);
  });

  it('any bytes (random, NUL, invalid UTF-8) are lines counted, never a crash', () => {
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    for (let trial = 0; trial < 20; trial++) {
      const bytes = Uint8Array.from({ length: 5000 }, rnd);
      const { r } = read(bytes, 1 + trial * 37);
      expect(r.counts.lines).toBe(r.counts.events + r.counts.blank + r.counts.unrecognised);
      expect(r.counts.lines).toBe(bytes.filter((b) => b === 0x0a).length + (bytes[bytes.length - 1] === 0x0a ? 0 : 1));
    }
  });
});
