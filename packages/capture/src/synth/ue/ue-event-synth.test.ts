import { describe, expect, it } from 'vitest';
import { UeEventReader } from '../../uelog/ue-event-reader.js';
import type { UeEvent } from '../../uelog/ue-event-line.js';
import { FaultSpecError } from '../fault-spec.js';
import { parseUeEventFaultSpec, synthUeEvents, UE_EVENT_FAULT_TYPES } from './ue-event-synth.js';

function read(text: string) {
  const events: UeEvent[] = [];
  const r = new UeEventReader((e) => events.push(e));
  r.push(new TextEncoder().encode(text));
  r.end();
  return { r, events };
}

describe('l1t synth ue (event text log)', () => {
  it('every line but the comment is a UE event the reader recognises; deterministic per seed', () => {
    const s = synthUeEvents({ durationS: 600 }, [], 3);
    const { r, events } = read(s.text);
    expect(r.counts).toMatchObject({ lines: s.stats.lines, blank: 1, unrecognised: 0, events: s.stats.lines - 1 });
    expect(new Set(events.map((e) => e.ue)).size).toBe(40);
    expect(synthUeEvents({ durationS: 600 }, [], 3).text).toBe(s.text);
  });

  it('labels each fault at its line, with the UE the reader names', () => {
    for (const type of UE_EVENT_FAULT_TYPES) {
      const s = synthUeEvents({ durationS: 600 }, parseUeEventFaultSpec(`${type}@200:ue=4`), 1);
      const l = s.labels[0]!;
      const e = read(s.text).events.find((x) => x.line === l.packet_index)!;
      expect([type, e.ue]).toEqual([type, l.ue]);
      const want = {
        attach_failure: 'attach failed',
        abnormal_detach: 'detach abnormal',
        attach_storm: 'attach request',
        ue_behaviour_outlier: 'rrc_setup failed',
      }[type];
      expect(`${e.procedure} ${e.outcome}`).toBe(want);
    }
    expect(() => parseUeEventFaultSpec('attach_storm@x')).toThrow(FaultSpecError);
    expect(() => synthUeEvents({ durationS: 600 }, parseUeEventFaultSpec('attach_storm@700'), 1)).toThrow(
      /outside the log/,
    );
  });
});
