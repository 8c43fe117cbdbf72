import { describe, expect, it } from 'vitest';
import { parseUeEventLine, type UeEvent } from './ue-event-line.js';

const ev = (text: string): UeEvent => {
  const r = parseUeEventLine(text, 1);
  if (r.kind !== 'event') throw new Error(`not an event: ${JSON.stringify(r)}`);
  return r.event;
};
const T = 1_765_011_600_000_000_000n; // 2025-12-06T09:00:00Z

describe('UE event line', () => {
  it('reads the timestamp to ns in UTC (Z, no zone, offset, brackets, comma)', () => {
    expect(ev('2025-12-06T09:00:00.123456789Z IMSI=001010000000001 ATTACH REQUEST').tsNs).toBe(T + 123_456_789n);
    expect(ev('2025-12-06 09:00:00.5 UE=1 attach accept').tsNs).toBe(T + 500_000_000n);
    expect(ev('2025-12-06T10:00:00+01:00 UE=1 attach accept').tsNs).toBe(T);
    expect(ev('[2025-12-06T09:00:00,250Z] UE=1 attach accept').tsNs).toBe(T + 250_000_000n);
  });

  it('classifies procedure and outcome, with the UE identity and the cause', () => {
    expect(
      ev('2025-12-06T09:00:00Z WARN IMSI=001010000000002 ATTACH REJECT cause=#7 (EPS services not allowed)'),
    ).toMatchObject({
      ue: 'imsi:001010000000002',
      procedure: 'attach',
      outcome: 'failed',
      cause: '#7 (EPS services not allowed)',
    });
    expect(ev('2025-12-06T09:00:00Z UE=17 authentication failure')).toMatchObject({
      procedure: 'attach',
      outcome: 'failed',
    });
    expect(ev('2025-12-06T09:00:00Z UE_ID=18 ATTACH TIMEOUT (T3410 expiry)').outcome).toBe('timeout');
    expect(ev('2025-12-06T09:00:00Z IMSI 001010000000003 DETACH network-forced')).toMatchObject({
      procedure: 'detach',
      outcome: 'network',
    });
    expect(ev('2025-12-06T09:00:00Z imsi-001010000000004 ABNORMAL DETACH')).toMatchObject({ outcome: 'abnormal' });
    expect(ev('2025-12-06T09:00:00Z IMSI=001010000000001 DETACH REQUEST (UE initiated)').outcome).toBe('request');
    expect(ev('2025-12-06T09:00:00Z SUPI=imsi-001010000000005 Registration accept')).toMatchObject({
      ue: 'imsi:001010000000005',
      procedure: 'attach',
      outcome: 'success',
    });
    expect(ev('2025-12-06T09:00:00Z RNTI=4660 RRC CONNECTION REJECT').procedure).toBe('rrc_setup');
    expect(ev('2025-12-06T09:00:00Z C-RNTI=0x1234 RRC connection re-establishment request').procedure).toBe(
      'rrc_reestablishment',
    );
    expect(ev('2025-12-06T09:00:00Z UE=4 RRC CONNECTION RELEASE').procedure).toBe('rrc_release');
    expect(ev('2025-12-06T09:00:00Z attach denied for UE 42').outcome).toBe('failed');
  });

  it('says why a line is not an event; blank and comment lines are not counted as unrecognised', () => {
    expect(parseUeEventLine('ATTACH REQUEST IMSI=001010000000001', 3)).toEqual({
      kind: 'unrecognised',
      reason: 'no_timestamp',
    });
    expect(parseUeEventLine('2025-13-06T09:00:00Z UE=1 attach', 3)).toEqual({
      kind: 'unrecognised',
      reason: 'no_timestamp',
    });
    expect(parseUeEventLine('2025-12-06T09:00:00Z core: AMF restart completed', 3)).toEqual({
      kind: 'unrecognised',
      reason: 'no_procedure',
    });
    expect(parseUeEventLine('2025-12-06T09:00:00Z UE initiated detach', 3)).toEqual({
      kind: 'unrecognised',
      reason: 'no_ue_identity',
    });
    expect(parseUeEventLine('   ', 3)).toEqual({ kind: 'blank' });
    expect(parseUeEventLine('# comment', 3)).toEqual({ kind: 'blank' });
  });
});
