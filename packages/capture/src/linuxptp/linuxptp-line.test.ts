import { describe, expect, it } from 'vitest';
import { looksLikeLinuxptpLog, parseLinuxptpLine } from './linuxptp-line.js';

describe('parseLinuxptpLine', () => {
  it('reads a ptp4l servo sample (clock.c "master offset %10d s%d freq %+7.0f path delay %9d")', () => {
    expect(parseLinuxptpLine('ptp4l[4029.594]: master offset        928 s0 freq   +9696 path delay      7843')).toEqual(
      {
        program: 'ptp4l',
        monoS: 4029.594,
        event: { kind: 'servo', clock: 'master', offsetNs: 928, servoState: 0, freqPpb: 9696, delayNs: 7843 },
      },
    );
    expect(
      parseLinuxptpLine('ptp4l[564430.540]: master offset        354 s2 freq   -2893 path delay      3926')!.event,
    ).toMatchObject({
      offsetNs: 354,
      servoState: 2,
      freqPpb: -2893,
    });
  });

  it('reads port state transitions, with and without the interface, and the fault type', () => {
    expect(
      parseLinuxptpLine('ptp4l[4030.594]: port 1 (enp0s31f6): UNCALIBRATED to SLAVE on MASTER_CLOCK_SELECTED')!.event,
    ).toEqual({
      kind: 'port_state',
      port: 1,
      iface: 'enp0s31f6',
      from: 'UNCALIBRATED',
      to: 'SLAVE',
      event: 'MASTER_CLOCK_SELECTED',
    });
    expect(parseLinuxptpLine('ptp4l[88.1]: port 1: SLAVE to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)')!.event).toEqual(
      {
        kind: 'port_state',
        port: 1,
        from: 'SLAVE',
        to: 'FAULTY',
        event: 'FAULT_DETECTED',
        faultType: 'FT_UNSPECIFIED',
      },
    );
    expect(
      parseLinuxptpLine('ptp4l[4021.638]: port 0 (/var/run/ptp4l): INITIALIZING to LISTENING on INIT_COMPLETE')!.event,
    ).toMatchObject({
      port: 0,
      iface: '/var/run/ptp4l',
    });
  });

  it('reads best-master selection and foreign masters', () => {
    expect(parseLinuxptpLine('ptp4l[4027.594]: selected best master clock b49691.fffe.3b6a34')!.event).toEqual({
      kind: 'best_master',
      clock: 'b49691.fffe.3b6a34',
      local: false,
    });
    expect(
      parseLinuxptpLine('ptp4l[564420.652]: selected local clock a0369f.fffe.f9498d as best master')!.event,
    ).toEqual({
      kind: 'best_master',
      clock: 'a0369f.fffe.f9498d',
      local: true,
    });
    expect(
      parseLinuxptpLine('ptp4l[4023.594]: port 1 (enp0s31f6): new foreign master b49691.fffe.3b6a34-1')!.event,
    ).toEqual({
      kind: 'foreign_master',
      port: 1,
      iface: 'enp0s31f6',
      master: 'b49691.fffe.3b6a34-1',
    });
  });

  it('reads phc2sys and ts2phc servo samples (phc2sys.c, ts2phc.c formats)', () => {
    expect(
      parseLinuxptpLine('phc2sys[2879.418]: ethsfpp2 sys offset -9056054883 s2 freq -900000000 delay    555')!.event,
    ).toEqual({
      kind: 'servo',
      clock: 'ethsfpp2 sys',
      offsetNs: -9056054883,
      servoState: 2,
      freqPpb: -900000000,
      delayNs: 555,
    });
    expect(
      parseLinuxptpLine('phc2sys[10.0]: CLOCK_REALTIME phc offset        -7 s2 freq  +12345')!.event,
    ).toMatchObject({
      clock: 'CLOCK_REALTIME phc',
      offsetNs: -7,
    });
    expect(parseLinuxptpLine('ts2phc[77.5]: /dev/ptp0 offset         -3 s2 freq      +12 holdover')!.event).toEqual({
      kind: 'servo',
      clock: '/dev/ptp0',
      offsetNs: -3,
      servoState: 2,
      freqPpb: 12,
      holdover: true,
    });
  });

  it('reads faults, summaries, the syslog form and message tags', () => {
    expect(parseLinuxptpLine('ptp4l[5.2]: timed out while polling for tx timestamp')!.event).toMatchObject({
      kind: 'fault',
      fault: 'tx_timestamp_timeout',
    });
    expect(
      parseLinuxptpLine('phc2sys[2880.418]: clockcheck: clock jumped backward or running slower than expected!')!.event,
    ).toMatchObject({
      kind: 'fault',
      fault: 'clock_jump',
    });
    expect(parseLinuxptpLine('ptp4l[9.0]: port 1 (eth0): send delay request failed')!.event).toMatchObject({
      fault: 'send_failed',
    });
    expect(parseLinuxptpLine('ptp4l[100.0]: rms   12 max   30 freq  -2345 +/-   4 delay  1980 +/-   3')!.event).toEqual(
      {
        kind: 'servo_summary',
        rmsNs: 12,
        maxNs: 30,
        freqPpb: -2345,
        delayNs: 1980,
      },
    );
    const s = parseLinuxptpLine(
      'Dec  6 09:00:01 du1 ptp4l[1234]: [4021.623] [ptp4l.0.config] master offset -5 s2 freq +1 path delay 100',
    )!;
    expect(s).toMatchObject({
      program: 'ptp4l',
      monoS: 4021.623,
      tag: 'ptp4l.0.config',
      event: { offsetNs: -5, delayNs: 100 },
    });
  });

  it('reads phc2sys summaries that name their clock', () => {
    expect(
      parseLinuxptpLine('phc2sys[200.0]: CLOCK_REALTIME rms    9 max   21 freq  -4321 +/-  10 delay   600 +/-   5')!
        .event,
    ).toEqual({
      kind: 'servo_summary',
      clock: 'CLOCK_REALTIME',
      rmsNs: 9,
      maxNs: 21,
      freqPpb: -4321,
      delayNs: 600,
    });
  });

  it('gives undefined for other text and "other" for unknown linuxptp messages', () => {
    expect(parseLinuxptpLine('vostroMaster_lasse100bc_jv3301slave.txt')).toBeUndefined();
    expect(parseLinuxptpLine('ptp4l[4021.623]: selected /dev/ptp0 as PTP clock')!.event).toEqual({
      kind: 'other',
      text: 'selected /dev/ptp0 as PTP clock',
    });
  });
});

describe('looksLikeLinuxptpLog', () => {
  it('wants at least half the non-empty head lines to be linuxptp lines', () => {
    expect(looksLikeLinuxptpLog(['title.txt', 'ptp4l[1.0]: master offset 1 s2 freq +1 path delay 1'])).toBe(true);
    expect(looksLikeLinuxptpLog(['a', 'b', 'ptp4l[1.0]: x'])).toBe(false);
    expect(looksLikeLinuxptpLog(['ue attach ok', 'ue detach'])).toBe(false);
    expect(looksLikeLinuxptpLog([])).toBe(false);
  });
});
