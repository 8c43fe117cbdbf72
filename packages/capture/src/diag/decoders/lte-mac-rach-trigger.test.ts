import { describe, expect, it } from 'vitest';
import { rachTriggerBody, type RachConfigRaw, type RachReasonRaw } from '../test-support/diag-fixtures.js';
import { DiagDecoderRegistry } from './registry.js';

const reg = new DiagDecoderRegistry();
const rlf: RachReasonRaw = {
  reason: 1,
  contention: 1,
  preamble: 37,
  msg3Size: 7,
  group: 0,
  radioConditionDb: 12,
  cRnti: 0x4a2f,
};
const cfg: RachConfigRaw = {
  initialPowerRaw: 256 - 104,
  rampingStepDb: 2,
  preambleTransMax: 10,
  contentionTimerMs: 64,
  pmaxDbm: 23,
};
const noConfig = {
  rach_config_version: null,
  preamble_initial_power_dbm: null,
  power_ramping_step_db: null,
  preamble_trans_max: null,
  contention_resolution_timer_ms: null,
  pmax_dbm: null,
};

describe('0xB061 LTE MAC RACH Trigger', () => {
  it('reason v1 alone: reason, preamble, Msg3 size, group, radio condition, C-RNTI; no config', () => {
    const body = rachTriggerBody(1, rlf);
    expect(body.length).toBe(4 + 4 + 15);
    const r = reg.decode(0xb061, body);
    expect(r).toMatchObject({ status: 'decoded', version: 1, name: 'LTE MAC RACH Trigger' });
    expect(r.fields).toEqual({
      cell_index: 0,
      rach_reason: 'radio_link_failure',
      contention_based: true,
      preamble: 37,
      msg3_size: 7,
      preamble_group: 'A',
      radio_condition_db: 12,
      c_rnti: 0x4a2f,
      ...noConfig,
    });
  });

  it('reason v2 with a v2 config: cell, contention-free handover, initial power, ramping, retries, timer, P-Max', () => {
    const body = rachTriggerBody(
      2,
      { ...rlf, reason: 4, contention: 0, cellIndex: 1, group: 1 },
      { version: 2, values: cfg },
    );
    const r = reg.decode(0xb061, body);
    expect(r).toMatchObject({ status: 'decoded', version: 2 });
    expect(r.fields).toMatchObject({
      cell_index: 1,
      rach_reason: 'handover',
      contention_based: false,
      preamble_group: 'B',
      rach_config_version: 2,
      preamble_initial_power_dbm: -104,
      power_ramping_step_db: 2,
      preamble_trans_max: 10,
      contention_resolution_timer_ms: 64,
      pmax_dbm: 23,
    });
  });

  it('config v4 (per cell) and v5 (u16 power index, −120 + 2x dBm); a negative P-Max', () => {
    const v4 = reg.decode(0xb061, rachTriggerBody(1, rlf, { version: 4, values: { ...cfg, pmaxDbm: -5 } }));
    expect(v4.fields).toMatchObject({
      rach_config_version: 4,
      preamble_initial_power_dbm: -104,
      preamble_trans_max: 10,
      pmax_dbm: -5,
    });
    const v5 = reg.decode(0xb061, rachTriggerBody(1, rlf, { version: 5, values: { ...cfg, initialPowerRaw: 8 } }));
    expect(v5.fields).toMatchObject({
      rach_config_version: 5,
      preamble_initial_power_dbm: -104,
      contention_resolution_timer_ms: 64,
    });
  });

  it('a config sub-packet of another version leaves the config fields null; an unknown reason is named by its code', () => {
    const body = rachTriggerBody(1, { ...rlf, reason: 9 }, { version: 2, values: cfg });
    body[5] = 3; // config sub-packet version 3
    expect(reg.decode(0xb061, body).fields).toMatchObject({
      ...noConfig,
      rach_config_version: 3,
      rach_reason: 'reason 9',
    });
  });

  it('no reason sub-packet or another reason version is unknown; every cut is malformed or unknown, never a throw', () => {
    const v3 = rachTriggerBody(2, rlf);
    v3[5] = 3;
    expect(reg.decode(0xb061, v3)).toMatchObject({ status: 'unknown', version: 3 });
    for (const body of [rachTriggerBody(1, rlf), rachTriggerBody(2, rlf, { version: 4, values: cfg })]) {
      for (let n = 0; n < body.length; n++) {
        const r = reg.decode(0xb061, body.subarray(0, n));
        expect(r.status, `cut at ${n}`).not.toBe('decoded');
      }
    }
    // a sub-packet size beyond the body: malformed at the size field
    const absurd = rachTriggerBody(1, rlf);
    absurd[6] = 0xff;
    expect(reg.decode(0xb061, absurd)).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/sub-packet size/),
    });
  });
});
