import { describe, expect, it } from 'vitest';
import { FaultSpecError, formatFaultSpec, parseFaultSpec } from './fault-spec.js';

describe('parseFaultSpec', () => {
  it('parses the documented example', () => {
    expect(parseFaultSpec('seq_gap@1.5:eaxc=1,count=3;rx_window_late@2.0;iq_zero@3.0:slots=20')).toEqual([
      { type: 'seq_gap', at: 1.5, flow: { eaxc: 1 }, count: 3 },
      { type: 'rx_window_late', at: 2 },
      { type: 'iq_zero', at: 3, params: { slots: 20 } },
    ]);
  });

  it('accepts units, packet indices, flow keys and string params', () => {
    expect(parseFaultSpec(' ecpri_malformed@250ms:kind=revision,plane=c,dir=ul ; seq_duplicate@#1200 ')).toEqual([
      { type: 'ecpri_malformed', at: 0.25, params: { kind: 'revision' }, flow: { plane: 'c', direction: 'ul' } },
      { type: 'seq_duplicate', at: { packet: 1200 } },
    ]);
    expect(parseFaultSpec('traffic_gap@800us')[0]?.at).toBeCloseTo(0.0008);
    expect(parseFaultSpec('')).toEqual([]);
  });

  it('round-trips through formatFaultSpec', () => {
    const spec = 'seq_gap@1.5:eaxc=1,count=3;ptp_time_error@#10:offset_ns=2000';
    expect(formatFaultSpec(parseFaultSpec(spec))).toBe(spec);
  });

  it('rejects unknown types, bad times and bad options with the fragment named', () => {
    expect(() => parseFaultSpec('bogus@1')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('seq_gap')).toThrow(/missing "@time"/);
    expect(() => parseFaultSpec('seq_gap@soon')).toThrow(/bad time/);
    expect(() => parseFaultSpec('seq_gap@1:count=0')).toThrow(/count/);
    expect(() => parseFaultSpec('seq_gap@1:plane=x')).toThrow(/seq_gap@1:plane=x/);
    expect(() => parseFaultSpec('seq_gap@#0')).toThrow(/1-based/);
  });
});
