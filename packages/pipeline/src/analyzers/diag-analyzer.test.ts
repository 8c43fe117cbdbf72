import { Anomaly, Metric, type Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import {
  concat,
  diagLogPacket,
  dlfRecord,
  hdlcFrame,
  qmdl2Header,
  rawTs,
  scmrBody,
  scmrV4,
  SERV_CELL_314,
  servCellInfoBody,
  weakCell,
} from '../../../capture/src/diag/test-support/diag-fixtures.js';
import { nrRrcConfigBody } from '../../../capture/src/diag/build/nr-bodies.js';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';
import { fileInput } from '../sources.js';
import { checkProfileThresholds, thresholdListing } from '../thresholds.js';

function bytesInput(name: string, bytes: Uint8Array, chunk = 5): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
  };
}

const CELL = weakCell(1, 2);
const B193 = diagLogPacket(0xb193, rawTs(800 * 1_100_000_000), [...scmrBody(4, scmrV4(2300, CELL))]);
const B0EE = (i: number): Uint8Array => diagLogPacket(0xb0ee, rawTs(800 * 1_100_000_001 + i), [2, 0, 0, 0]);

const hex = (h: string): number[] => h.match(/../g)!.map((x) => parseInt(x, 16));

describe('DiagAnalyzer', () => {
  it('lists the NR serving cells of 0xB823 and 0xB825 beside the LTE ones, one entry per cell', async () => {
    const t = 800 * 1_100_000_000;
    // 0xB823 v0.4 and 0xB825 v0.8: device records from SCAT's tests and the SCAT-lineage parser (decoder tests)
    const b823 = hex('040000009d02e0ca0900d6c609005a005a0000127df204000000060102010001297900004e00');
    const b825Device = hex(
      '08000000100102010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
        '0101014e000101009d0252d2090052d209004e00010b0b0000210201020000000102000000000000000000',
    );
    // the 0xB823 cell seen first by 0xB825 (0.A, 90 MHz = code 11): listed once, with 0xB823's PLMN and cell id
    const cc = {
      ccId: 0,
      pci: 669,
      dlArfcn: 641760,
      ulArfcn: 640726,
      ssbArfcn: 641280,
      band: 78,
      bandType: 1,
      dlBw: 11,
      ulBw: 11,
    };
    const b825Same = nrRrcConfigBody({
      version: 0xa,
      state: 3,
      configStatus: 1,
      mode: 2,
      srbs: 2,
      drbs: 1,
      lteBands: [],
      groupBands: [78],
      ccs: [cc],
      rbIds: [1],
    });
    const stream = concat([
      hdlcFrame(diagLogPacket(0xb825, rawTs(t), [...b825Same])),
      hdlcFrame(diagLogPacket(0xb823, rawTs(t + 1), b823)),
      hdlcFrame(diagLogPacket(0xb825, rawTs(t + 2), b825Device)),
    ]);
    const r = await analyzeFile(bytesInput('nr-cells.qmdl', stream, 64));
    expect(r.summary).toMatchObject({ records: 3, unknownRecords: 0, malformedRecords: 0 });
    expect(r.summary.details.cells_seen).toEqual([
      'NR PCI 669 NR-ARFCN 641760 (band n78, 262-01, cell 21248152064)',
      'NR PCI 669 NR-ARFCN 643666 (band n78, 90 MHz, sa)',
    ]);
  });

  it('lists each LTE serving cell of 0xB0C2 once, in order of first sight, however the records repeat', async () => {
    const cell = SERV_CELL_314;
    const a = servCellInfoBody(2, cell);
    const b = servCellInfoBody(2, { ...cell, pci: 7, cellId: 21453828 });
    const c = servCellInfoBody(3, { ...cell, band: 66 }); // differs from A in its band only
    const t = 800 * 1_100_000_000;
    // repeats of the record before (skipped without a text) and returns to a cell listed before
    const bodies = [a, a, b, b, a, c, a, b]; // c only right after a
    const stream = concat(bodies.map((body, i) => hdlcFrame(diagLogPacket(0xb0c2, rawTs(t + i), body))));
    const r = await analyzeFile(bytesInput('lte-cells.qmdl', stream, 64));
    expect(r.summary).toMatchObject({ records: 8, unknownRecords: 0, malformedRecords: 0 });
    expect(r.summary.details.cells_seen).toEqual([
      'PCI 314 EARFCN 2300 (band 4, 310-260, cell 21453827)',
      'PCI 7 EARFCN 2300 (band 4, 310-260, cell 21453828)',
      'PCI 314 EARFCN 2300 (band 66, 310-260, cell 21453827)',
    ]);
  });

  it('says what was only recognised instead of a bare "0 anomalies"', async () => {
    const stream = concat([hdlcFrame(B0EE(0)), hdlcFrame(B0EE(1)), hdlcFrame(Uint8Array.of(0x73, 0, 0, 0))]);
    const r = await analyzeFile(bytesInput('only-rrc-state.qmdl', stream));
    expect(r.status).toBe('done');
    expect(r.summary).toMatchObject({ records: 3, unknownRecords: 3, malformedRecords: 0 });
    expect(r.summary.details.decode_status).toBe(
      'recognised, not decoded (2 records: 2 of log code 0xB0EE version 2); 1 other DIAG command frames',
    );
  });

  it('decodes what it knows, counts the rest per (log code, version) and every bad frame', async () => {
    const bad = hdlcFrame(B193);
    bad[5] = bad[5]! ^ 0xff; // corrupt the CRC-covered payload
    const stream = concat([hdlcFrame(B193), bad, hdlcFrame(B0EE(0)), hdlcFrame(B193)]);
    const r = await analyzeFile(bytesInput('mixed.qmdl', stream));
    const d = r.summary.details;
    expect(r.summary.records).toBe(4);
    expect(d).toMatchObject({
      decoded_records: 2,
      not_decoded_records: 1,
      bad_frames: 1,
      bad_frame_reasons: { crc: 1 },
    });
    expect(d.decode_status).toBe(
      'decoded 2 of 4 records (2 of 0xB193 version 4); recognised, not decoded: 1 records (1 of log code 0xB0EE version 2); 1 bad frames (CRC/framing)',
    );
    expect(d.log_codes).toEqual([
      {
        log_code: '0xB193',
        version: 4,
        name: 'LTE ML1 Serving Cell Meas Response',
        decoded: 2,
        not_decoded: 0,
        malformed: 0,
      },
      { log_code: '0xB0EE', version: 2, decoded: 0, not_decoded: 1, malformed: 0 },
    ]);
    // 1_100_000_000 s after the GPS epoch, minus 18 leap seconds.
    expect(r.summary.firstTimestampNs).toBe(BigInt(315_964_800 + 1_100_000_000 - 18) * 1_000_000_000n);
  });

  it('keeps every record before a cut and warns; reads .dlf and .qmdl2 the same way', async () => {
    const stream = concat([hdlcFrame(B193), hdlcFrame(B0EE(0))]);
    const cut = await analyzeFile(bytesInput('cut.qmdl', stream.subarray(0, stream.length - 3)));
    expect(cut.status).toBe('done');
    expect(cut.summary.records).toBe(1);
    expect(cut.warning).toMatch(/unterminated DIAG frame \(file cut short\)/);
    const dlf = await analyzeFile(
      bytesInput(
        'x.dlf',
        concat([
          dlfRecord(0xb193, rawTs(5), [...B193.subarray(16)]),
          dlfRecord(0xb0ee, rawTs(6), [2]),
          dlfRecord(0xb0ee, rawTs(7), [2]),
        ]),
      ),
    );
    expect(dlf.format).toBe('dlf');
    expect(dlf.summary.details).toMatchObject({
      record_kind: 'dlf_record',
      decoded_records: 1,
      not_decoded_records: 2,
    });
    const q2 = await analyzeFile(bytesInput('x.qmdl2', concat([qmdl2Header(1), hdlcFrame(B193), hdlcFrame(B193)])));
    expect(q2.format).toBe('qmdl2');
    expect(q2.summary.details).toMatchObject({ decoded_records: 2 });
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)(
    'accounts for every frame of a real log read through the pooled file buffers',
    async () => {
      const path = `${samples.path}/MECProj1/diag_log_20151226_091558_351881062060429_samsung-SM-G900T_T-Mobile.mi2log`;
      const r = await analyzeFile(fileInput(path, 'tmobile.mi2log'));
      const d = r.summary.details as Record<string, number>;
      expect(r.summary.records).toBe(12585);
      expect(
        d.decoded_records! +
          d.not_decoded_records! +
          d.malformed_log_packets! +
          d.other_command_frames! +
          d.bad_frames!,
      ).toBe(12585);
      expect(d.decoded_records).toBe(4068 + 3252 + 2840 + 699 + 27); // 0xB193, 0xB179, 0xB126, 0xB0C0, 0xB0C2
      expect(r.warning).toMatch(/^analysed up to offset 1056286: the last 72 bytes/);
      // UE serving-cell detectors over its 4068 0xB193 records (Galaxy S5 on T-Mobile, PCI 314, RSRP −116…−127 dBm).
      expect(d.serving_cell_samples).toBe(4068);
      expect(r.summary.details.cells_seen).toEqual(['PCI 314 EARFCN 2300 (band 4, 310-260, cell 21453827)']);
      const byType: Record<string, number> = {};
      for (const a of r.anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
      expect(byType).toEqual({ rsrp_low: 1, rx_imbalance: 68 });
      expect(r.anomalies.find((a) => a.type === 'rsrp_low')).toMatchObject({
        source: 'ue',
        radio: { cell: '2300/314', pci: 314, earfcn: 2300 },
        evidence: { min_rsrp_dbm: -127.0625 },
      });
      for (const a of r.anomalies) Anomaly.parse(a); // the stored contract
      for (const m of r.metrics.slice(0, 50)) Metric.parse(m);
      expect(new Set(r.metrics.map((m) => m.name))).toEqual(
        new Set([
          'ue_rsrp_dbm',
          'ue_rsrq_db',
          'ue_sinr_db',
          'ue_rsrp_rx_dbm',
          'ue_rssi_dbm',
          'ue_rssi_rx_dbm',
          'ue_rsrq_rx_db',
          'ue_sinr_rx_db',
          'ue_dl_rank', // 0xB126: the PDSCH's spatial rank
        ]),
      );
    },
  );

  it('documents the UE thresholds beside the others and checks a profile against them', () => {
    expect(
      thresholdListing()
        .filter((l) => l.type === 'rsrp_low')
        .map((l) => l.option),
    ).toEqual(['max_rsrp_dbm', 'min_duration_ms']);
    expect(() => checkProfileThresholds({ thresholds: { rsrp_low: { max_rsrp_dbm: -110 } } })).not.toThrow();
    expect(() => checkProfileThresholds({ thresholds: { rsrp_low: { max_rsrp: -110 } } })).toThrow(
      /thresholds.rsrp_low.max_rsrp/,
    );
  });

  it.runIf(samples.available)('applies the profile thresholds to the UE detectors', async () => {
    const path = `${samples.path}/MECProj1/diag_log_20160118_000130_867686020539332_Huawei-Nexus6P_ATT.mi2log`;
    const types = async (profile?: Profile): Promise<string[]> =>
      (await analyzeFile(fileInput(path, 'nexus6p.mi2log'), profile ? { profile } : {})).anomalies.map((a) => a.type);
    expect(await types()).toEqual(['rx_imbalance', 'ul_power_limited']);
    expect(await types({ thresholds: { rx_imbalance: { min_delta_db: 12 } } })).toEqual(['ul_power_limited']);
  });

  it.runIf(samples.available)(
    'feeds the MAC power headroom reports and TA commands of the Nexus 6P log to the link detectors and KPIs',
    async () => {
      const path = `${samples.path}/MECProj1/diag_log_20160118_000130_867686020539332_Huawei-Nexus6P_ATT.mi2log`;
      const r = await analyzeFile(fileInput(path, 'nexus6p.mi2log'));
      // 0xB064: 243 PHRs in 65 records; 0xB063: 2 TA commands (T_A 32 and 31) in 25 records
      expect(r.summary.details.ue_link_inputs).toEqual({
        pdsch_tbs: 0,
        pusch_transmissions: 243,
        rach_attempts: 0,
        ta_updates: 2,
        beam_events: 0,
      });
      // The last three seconds: power headroom reports at 1 dB or less from record 780 to the last one at
      // record 1605 (sliding 1 s windows; the fullest holds 47 reports, all limited).
      const ul = r.anomalies.filter((a) => a.type === 'ul_power_limited');
      expect(
        ul.map((a) => [
          a.timestamp,
          a.packet_index,
          a.evidence.end_packet_index,
          a.radio,
          a.evidence.limited_ratio,
          a.evidence.transmissions,
        ]),
      ).toEqual([['2016-01-18T05:01:09.250439090Z', 780, 1605, { cell: '700/185', pci: 185, earfcn: 700 }, 1, 47]]);
      const sum = (name: string): number => r.metrics.filter((m) => m.name === name).reduce((n, m) => n + m.value, 0);
      expect(sum('ue_ta_command_count')).toBe(2);
      expect(sum('ue_ta_adjust_units')).toBe(1); // (32 − 31) + (31 − 31)
      expect(r.metrics.filter((m) => m.name === 'ue_power_headroom_min_db').map((m) => m.value)).toEqual([
        1, -4, -4, -5, 0, 0, 0, -1,
      ]);
      for (const m of r.metrics) Metric.parse(m);
    },
  );

  it.runIf(samples.available)(
    'reports the two rejected RRC re-establishments of the implicit-detach log as radio link failures',
    async () => {
      const path = `${samples.path}/MECProj1/diag_log_20150729_085300_LGE-LGLS660_Sprint.mi2log`;
      const r = await analyzeFile(fileInput(path, 'implicit-detach.mi2log'));
      expect(r.summary.details.ue_detectors).toBe('radio_link_failure');
      expect(r.anomalies.map((a) => [a.type, a.timestamp, a.radio, a.evidence.outcome])).toEqual([
        [
          'radio_link_failure',
          '2015-07-29T15:58:25.227500000Z',
          { cell: '8665/301', pci: 301, earfcn: 8665, rnti: 4181 },
          'rejected (RRCConnectionReestablishmentReject): connection dropped',
        ],
        [
          'radio_link_failure',
          '2015-07-29T15:59:55.450000000Z',
          { cell: '8665/368', pci: 368, earfcn: 8665, rnti: 33941 },
          'rejected (RRCConnectionReestablishmentReject): connection dropped',
        ],
      ]);
    },
  );

  it.runIf(samples.available)(
    'tells the radio-link story of bler_sample: out-of-sync with T310, low RSRP, then RLF and re-establishment',
    async () => {
      const r = await analyzeFile(
        fileInput(`${samples.path}/mobileinsight-core/bler_sample.mi2log`, 'bler_sample.mi2log'),
      );
      const byType: Record<string, number> = {};
      for (const a of r.anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
      expect(byType).toEqual({
        out_of_sync: 4,
        radio_link_failure: 1,
        rsrp_low: 3,
        rsrp_drop: 7,
        sinr_drop: 14,
        rx_imbalance: 2,
      });
      expect(r.summary.details.ue_detectors).toBe(
        'rsrp_low, rsrp_drop, sinr_drop, rx_imbalance, radio_link_failure, out_of_sync',
      );
      const rlf = r.anomalies.find((a) => a.type === 'radio_link_failure')!;
      expect(rlf).toMatchObject({
        timestamp: '2019-07-30T10:19:21.387021121Z',
        radio: { pci: 193, rnti: 28459 },
        evidence: { reestablishment_cause: 'otherFailure', outcome: 're-established (RRCConnectionReestablishment)' },
      });
      const oos = r.anomalies.filter((a) => a.type === 'out_of_sync' && a.timestamp < rlf.timestamp);
      expect(oos.at(-1)!.evidence).toMatchObject({ max_out_of_sync_count: 20 });
    },
  );
});
