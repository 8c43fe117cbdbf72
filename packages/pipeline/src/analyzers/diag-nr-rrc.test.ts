import { describe, expect, it } from 'vitest';
import {
  concat,
  diagLogPacket,
  hdlcFrame,
  nrRrcOtaBody,
  perBits,
  rawTs,
} from '../../../capture/src/diag/test-support/diag-fixtures.js';
import { nrBeamMgmtBody, nrRachTriggerBody } from '../../../capture/src/diag/build/nr-bodies.js';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';
import { fileInput } from '../sources.js';

const bytesInput = (name: string, bytes: Uint8Array): AnalyzeInput => ({
  name,
  size: bytes.length,
  async *open() {
    yield bytes;
  },
});

/* 0xB821 v8 PDU numbers (SCAT's table): 3 DL-CCCH, 4 DL-DCCH, 6 UL-CCCH; first UPER bits: c1 (0), c1 index. */
const REQUEST: [number, number[]] = [
  6,
  perBits([
    [0, 1],
    [2, 2],
    [0, 5],
  ]),
]; // UL-CCCH rrcReestablishmentRequest
const SETUP_REQUEST: [number, number[]] = [
  6,
  perBits([
    [0, 1],
    [0, 2],
    [0, 5],
  ]),
]; // UL-CCCH rrcSetupRequest
const REESTABLISHMENT: [number, number[]] = [
  4,
  perBits([
    [0, 1],
    [3, 4],
    [0, 3],
  ]),
]; // DL-DCCH rrcReestablishment
const SETUP: [number, number[]] = [
  3,
  perBits([
    [0, 1],
    [1, 2],
    [0, 5],
  ]),
]; // DL-CCCH rrcSetup

function nrLog(messages: [number, number[]][]): Uint8Array {
  return concat(
    messages.map(([pdu, msg], i) =>
      hdlcFrame(
        diagLogPacket(0xb821, rawTs(800 * 1_300_000_000 + 40 * i), [...nrRrcOtaBody(8, 501, 632628, pdu, msg)]),
      ),
    ),
  );
}

describe('NR RRC OTA (0xB821) → radio_link_failure', () => {
  it('an RRCReestablishmentRequest answered by RRCReestablishment is one finding on the NR cell', async () => {
    const r = await analyzeFile(bytesInput('nr-rlf.qmdl', nrLog([REQUEST, REESTABLISHMENT])));
    expect(r.summary.details.ue_detectors).toBe('radio_link_failure');
    expect(r.anomalies.map((a) => [a.type, a.packet_index, a.radio, a.evidence.outcome])).toEqual([
      ['radio_link_failure', 1, { cell: '632628/501', pci: 501, arfcn: 632628 }, 're-established (RRCReestablishment)'],
    ]);
  });

  it('no trigger: a connection setup is not a radio link failure', async () => {
    const r = await analyzeFile(bytesInput('nr-setup.qmdl', nrLog([SETUP_REQUEST, SETUP])));
    expect(r.summary.details.rrc_messages).toBe(2);
    expect(r.anomalies).toEqual([]);
  });

  it('a MAC RACH trigger for radio link failure (0xB889) and the request it carries are one finding', async () => {
    const T = 800 * 1_300_000_000;
    const at = (ticks: number, code: number, body: Uint8Array) =>
      hdlcFrame(diagLogPacket(code, rawTs(T + ticks), [...body]));
    const beam = at(0, 0xb975, nrBeamMgmtBody({ pci: 501, ssbIndex: 3, rsrp: -90, rsrq: -11, beams: [] }));
    const rlf = (ticks: number) => at(ticks, 0xb889, nrRachTriggerBody({ cRnti: 0x5a11, reason: 1, contention: 1 }));
    const rrc = (ticks: number, [pdu, msg]: [number, number[]]) =>
      at(ticks, 0xb821, nrRrcOtaBody(8, 501, 632628, pdu, msg));
    const both = await analyzeFile(
      bytesInput('nr-mac-rlf.qmdl', concat([beam, rlf(10), rrc(40, REQUEST), rrc(60, REESTABLISHMENT)])),
    );
    expect(both.anomalies.map((a) => [a.type, a.packet_index, a.evidence.mac_rlf_trigger_records])).toEqual([
      ['radio_link_failure', 3, [2]],
    ]);
    // the MAC side alone (no RRC in the log): one finding at the trigger, on the beam report's cell
    const alone = await analyzeFile(bytesInput('nr-mac-rlf-only.qmdl', concat([beam, rlf(10), rlf(50)])));
    expect(alone.summary.details.ue_detectors).toContain('radio_link_failure');
    expect(alone.anomalies.map((a) => [a.type, a.packet_index, a.packet_count, a.radio?.pci])).toEqual([
      ['radio_link_failure', 2, 2, 501],
    ]);
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)(
    'the Xiaomi Mi 10 logs (315 NR RRC messages, no re-establishment request) give no NR radio_link_failure',
    async () => {
      for (const name of ['20201115_181637', '20201116_123302', '20201116_195619']) {
        const path = `${samples.path}/mobileinsight-core/${name}_Xiaomi-Mi10_46000.mi2log`;
        const r = await analyzeFile(fileInput(path, `${name}.mi2log`));
        expect(r.anomalies.filter((a) => a.type === 'radio_link_failure' && a.radio?.arfcn !== undefined)).toEqual([]);
      }
    },
  );
});
