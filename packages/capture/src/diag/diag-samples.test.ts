/**
 * The 19 real DIAG logs in shared/samples (mobileinsight-core, MECProj1 — see the MANIFEST), read through
 * the streaming reader and the decoder registry in 64 KiB chunks. Pinned per file: every frame accounted
 * for, per-code counts, the time span, and measurement ranges.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { CaptureTruncatedError } from '../bytes/capture-errors.js';
import { DiagDecoderRegistry } from './decoders/registry.js';
import { DiagLogReader } from './diag-log-reader.js';
import { hexCode } from './diag-packet.js';
import { DiagTally } from './diag-tally.js';
import { diagTimeToUtcMs, diagTimeToUtcNs, formatUtcNs } from './diag-time.js';

interface Pin {
  records: number;
  decoded: number;
  notDecoded: number;
  commands: number;
  badFrames: number;
  /** Distinct log codes seen. */
  logCodes: number;
  decodedPairs: Record<string, number>;
  /** The three most frequent log codes. */
  top: Record<string, number>;
  /** Span of the timestamps (records with timestamp 0, an unset clock, excluded and counted in `zeroTs`). */
  first: string;
  last: string;
  zeroTs?: number;
  /** Offset of an unterminated last frame (file cut short). */
  cutAt?: number;
  /** Records per subscription of the 0x98 multi-SIM wrapper. */
  subscriptions?: Record<string, number>;
}

// prettier-ignore
const PINS: Record<string, Pin> = {
  'mobileinsight-core/20201115_181637_Xiaomi-Mi10_46000.mi2log': { records: 13, decoded: 12, notDecoded: 0, commands: 1, badFrames: 0, logCodes: 1, decodedPairs: { '0xB821 v8': 12 }, top: { '0xB821': 12 }, first: '2020-11-15T10:16:07.795809898Z', last: '2020-11-15T10:16:19.320302352Z', subscriptions: { 1: 12 } },
  'mobileinsight-core/20201116_123302_Xiaomi-Mi10_46000.mi2log': { records: 1209, decoded: 1047, notDecoded: 160, commands: 1, badFrames: 1, logCodes: 10, decodedPairs: { '0xB0C0 v26': 890, '0xB821 v8': 76, '0xB0C1 v2': 53, '0xB0C2 v3': 28 }, top: { '0xB0C0': 890, '0xB821': 76, '0xB0EE': 63 }, first: '2020-11-16T04:28:51.386345634Z', last: '2020-11-16T04:32:44.346256999Z', subscriptions: { 1: 734, 2: 473 } },
  'mobileinsight-core/20201116_195619_Xiaomi-Mi10_46000.mi2log': { records: 869, decoded: 826, notDecoded: 43, commands: 0, badFrames: 0, logCodes: 6, decodedPairs: { '0xB0C0 v26': 574, '0xB821 v8': 227, '0xB0C1 v2': 15, '0xB0C2 v3': 10 }, top: { '0xB0C0': 574, '0xB821': 227, '0xB0E5': 33 }, first: '2020-11-16T11:52:44.369381809Z', last: '2020-11-16T11:56:01.492667655Z', subscriptions: { 1: 675, 2: 194 } },
  'mobileinsight-core/attach_sample.mi2log': { records: 5058, decoded: 3815, notDecoded: 1243, commands: 0, badFrames: 0, logCodes: 9, decodedPairs: { '0xB0C0 v15': 3044, '0xB0C1 v2': 653, '0xB0C2 v3': 118 }, top: { '0xB0C0': 3044, '0xB0C1': 653, '0xB0EE': 493 }, first: '2020-05-08T17:24:25.469462642Z', last: '2020-05-08T17:49:07.223997898Z' },
  'mobileinsight-core/bler_sample.mi2log': { records: 4073, decoded: 3067, notDecoded: 1006, commands: 0, badFrames: 0, logCodes: 11, decodedPairs: { '0xB193 v36': 2792, '0xB0C0 v20': 159, '0xB18A v1': 116 }, top: { '0xB193': 2792, '0xB082': 380, '0xB0B3': 338 }, first: '2019-07-30T10:18:48.750012340Z', last: '2019-07-30T10:19:24.895176620Z' },
  'mobileinsight-core/latency_sample.mi2log': { records: 2630, decoded: 1169, notDecoded: 1461, commands: 0, badFrames: 0, logCodes: 2, decodedPairs: { '0xB139 v102': 1169 }, top: { '0xB066': 1461, '0xB139': 1169 }, first: '2020-02-17T23:11:03.990862789Z', last: '2020-02-17T23:12:02.426941661Z' },
  'mobileinsight-core/mobility_sample.mi2log': { records: 8183, decoded: 7389, notDecoded: 794, commands: 0, badFrames: 0, logCodes: 7, decodedPairs: { '0xB0C0 v8': 6478, '0xB0C1 v2': 601, '0xB0C2 v3': 310 }, top: { '0xB0C0': 6478, '0xB0C1': 601, '0xB0EE': 541 }, first: '2018-01-18T20:08:53.001374149Z', last: '2018-02-03T05:29:06.852018947Z' },
  'mobileinsight-core/test_log_dl_retx.mi2log': { records: 14404, decoded: 0, notDecoded: 14404, commands: 0, badFrames: 0, logCodes: 2, decodedPairs: {}, top: { '0xB082': 7278, '0xB092': 7126 }, first: '2017-03-15T00:17:13.938273353Z', last: '2017-03-15T00:22:56.257563514Z' },
  'mobileinsight-core/volte_sample.mi2log': { records: 3597, decoded: 2103, notDecoded: 1494, commands: 0, badFrames: 0, logCodes: 9, decodedPairs: { '0xB0C0 v15': 2069, '0xB0C2 v3': 20, '0xB0C1 v2': 14 }, top: { '0xB0C0': 2069, '0xB0E5': 496, '0xB0E2': 424 }, first: '2018-07-24T00:32:31.559470615Z', last: '2018-09-29T00:23:38.235304374Z' },
  'MECProj1/diag_log_20150726_164823_LGE-LGLS660_Sprint.mi2log': { records: 27073, decoded: 4839, notDecoded: 22233, commands: 0, badFrames: 1, logCodes: 32, decodedPairs: { '0xB0C0 v7': 3853, '0xB0C1 v1': 675, '0xB0C2 v2': 311 }, top: { '0x107C': 8551, '0x1086': 4796, '0xB0C0': 3853 }, first: '2015-07-26T23:48:21.896250000Z', last: '2015-07-27T03:39:04.242500000Z' },
  'MECProj1/diag_log_20150727_200409_Samsung-SM-G900T_ATT.mi2log': { records: 13445, decoded: 2953, notDecoded: 10488, commands: 4, badFrames: 0, logCodes: 84, decodedPairs: { '0xB0C0 v7': 2680, '0xB0C2 v2': 159, '0xB0C1 v1': 114 }, top: { '0xB0C0': 2680, '0x4179': 2212, '0x4186': 1099 }, first: '2015-07-28T01:52:26.990000000Z', last: '2015-07-28T03:38:53.980000000Z', zeroTs: 2 },
  'MECProj1/diag_log_20150727_203911_LGE-LGLS660_Sprint.mi2log': { records: 1276, decoded: 890, notDecoded: 378, commands: 8, badFrames: 0, logCodes: 17, decodedPairs: { '0xB0C0 v7': 790, '0xB0C1 v1': 51, '0xB0C2 v2': 49 }, top: { '0xB0C0': 790, '0xB0EE': 109, '0xB0C8': 66 }, first: '2015-07-28T02:55:46.523750000Z', last: '2015-07-28T03:39:07.480000000Z' },
  'MECProj1/diag_log_20150729_085300_LGE-LGLS660_Sprint.mi2log': { records: 47830, decoded: 14696, notDecoded: 33118, commands: 16, badFrames: 0, logCodes: 35, decodedPairs: { '0xB0C0 v7': 13178, '0xB0C1 v1': 847, '0xB0C2 v2': 671 }, top: { '0xB0C0': 13178, '0x107C': 10420, '0x1086': 6306 }, first: '2015-07-29T14:28:51.160000000Z', last: '2015-07-30T02:56:56.260000000Z' },
  'MECProj1/diag_log_20150903_175258_null_Motorola-Nexus6_FiNetwork.mi2log': { records: 3643, decoded: 446, notDecoded: 3177, commands: 19, badFrames: 1, logCodes: 55, decodedPairs: { '0xB179 v4': 87, '0xB193 v7': 293, '0xB18A v1': 32, '0xB0C0 v8': 28, '0xB0C1 v2': 3, '0xB17F v5': 2, '0xB0C2 v3': 1 }, top: { '0x1098': 1098, '0x11EB': 1088, '0xB193': 293 }, first: '2015-09-04T00:52:49.840456943Z', last: '2015-09-04T00:53:08.319454689Z' },
  'MECProj1/diag_log_20151224_125901_35917806148196_LGE-LS660_Sprint.mi2log': { records: 3326, decoded: 567, notDecoded: 2758, commands: 1, badFrames: 0, logCodes: 5, decodedPairs: { '0xB126 v23': 277, '0xB0C0 v7': 290 }, top: { '0x7131': 1409, '0xB0EE': 1127, '0xB0C0': 290 }, first: '2015-12-24T01:06:08.558750000Z', last: '2015-12-24T20:59:00.723750000Z' },
  'MECProj1/diag_log_20151226_091558_351881062060429_samsung-SM-G900T_T-Mobile.mi2log': { records: 12585, decoded: 10886, notDecoded: 1695, commands: 4, badFrames: 0, logCodes: 11, decodedPairs: { '0xB179 v3': 3252, '0xB126 v23': 2840, '0xB193 v4': 4068, '0xB0C0 v7': 699, '0xB0C2 v2': 27 }, top: { '0xB193': 4068, '0xB179': 3252, '0xB126': 2840 }, first: '2015-12-26T16:41:00.833750000Z', last: '2015-12-26T17:15:24.055000000Z', cutAt: 1056286 },
  'MECProj1/diag_log_20160118_000130_867686020539332_Huawei-Nexus6P_ATT.mi2log': { records: 1627, decoded: 1467, notDecoded: 160, commands: 0, badFrames: 0, logCodes: 7, decodedPairs: { '0xB179 v4': 161, '0xB126 v23': 42, '0xB193 v19': 1171, '0xB064 v1': 65, '0xB063 v2': 25, '0xB0C0 v9': 3 }, top: { '0xB193': 1171, '0xB179': 161, '0xB195': 160 }, first: '2016-01-18T04:59:35.166934680Z', last: '2016-01-18T05:01:12.500835723Z' },
  'MECProj1/diag_log_20160622_220819_990004954898213_samsung-SM-G900V_VerizonWireless.mi2log': { records: 6705, decoded: 5992, notDecoded: 713, commands: 0, badFrames: 0, logCodes: 15, decodedPairs: { '0xB179 v3': 2124, '0xB126 v23': 587, '0xB193 v4': 2544, '0xB063 v2': 337, '0xB0C0 v7': 246, '0xB064 v1': 141, '0xB0C2 v2': 13 }, top: { '0xB193': 2544, '0xB179': 2124, '0xB126': 587 }, first: '2016-06-23T04:42:26.715000000Z', last: '2016-06-23T05:08:17.451250000Z' },
  'MECProj1/two-default-bearers-verizion-volte.mi2log': { records: 3512, decoded: 3464, notDecoded: 46, commands: 2, badFrames: 0, logCodes: 10, decodedPairs: { '0xB126 v23': 3319, '0xB0C0 v7': 100, '0xB193 v4': 40, '0xB0C2 v2': 5 }, top: { '0xB126': 3319, '0xB0C0': 100, '0xB193': 40 }, first: '2015-12-18T19:01:47.476250000Z', last: '2015-12-18T19:06:10.195000000Z' },
};

/* TS 36.133 §9.1.4 / §9.1.7 reporting ranges including the Rel-12 extensions: RSRP −156…−31 dBm, RSRQ −34…2.5 dB. */
const RSRP_RANGE = [-156, -31];
const RSRQ_RANGE = [-34, 2.5];
const DAY_MS = 86_400_000;

function* chunksOf(path: string, size = 64 * 1024): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = new Uint8Array(size);
      const n = readSync(fd, buf, 0, size, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function readLog(path: string) {
  const reader = new DiagLogReader('diag_hdlc');
  const registry = new DiagDecoderRegistry();
  const tally = new DiagTally();
  const codes = new Map<string, number>();
  const ms: number[] = [];
  let first: bigint | undefined;
  let last: bigint | undefined;
  let zeroTs = 0;
  let cutAt: number | undefined;
  const meas = {
    cells: 0,
    rsrpOutside: 0,
    rsrqOutside: 0,
    combinedNotBestChain: 0,
    cellInfoOdd: 0,
    macOdd: 0,
    nrOdd: 0,
    puschPowerOutside: 0,
  };
  /** 0xB139 PUSCH Tx power (dBm) per allocated RB count. */
  const puschPowerByRbs = new Map<number, number[]>();
  const drain = (): void => {
    for (let rec = reader.next(); rec; rec = reader.next()) {
      if (rec.kind !== 'log') {
        tally.add(rec, undefined);
        continue;
      }
      const p = rec.packet;
      const res = registry.decode(p.logCode, p.body);
      tally.add(rec, res);
      codes.set(hexCode(p.logCode), (codes.get(hexCode(p.logCode)) ?? 0) + 1);
      if (p.ticks === 0) zeroTs++;
      else {
        const ns = diagTimeToUtcNs(p.ticks, p.fraction);
        if (first === undefined || ns < first) first = ns;
        if (last === undefined || ns > last) last = ns;
        ms.push(diagTimeToUtcMs(p.ticks, p.fraction));
      }
      if (res.status === 'decoded' && p.logCode === 0xb0c2) {
        // TDD: UL = DL EARFCN; FDD bands 1–64: UL = DL + 18000; bands ≥ 65 number their uplink from 131072
        // (TS 36.101 §5.7.3, e.g. band 66 in attach_sample: 66586 / 132122); a 3-digit MCC (ITU-T E.212).
        const f = res.fields as Record<string, number>;
        const split = f.ul_earfcn! - f.earfcn!;
        const ulOk = split === 0 || split === 18000 || (f.band! >= 65 && f.ul_earfcn! >= 131072);
        if (!ulOk || f.mcc! < 200 || f.mcc! > 799) meas.cellInfoOdd++;
      }
      if (res.status === 'decoded' && (p.logCode === 0xb063 || p.logCode === 0xb064)) {
        // MAC transport blocks: HARQ ids 0–7 (FDD, TS 36.213 §7), subframes 0–9, SFN < 1024; TA command
        // 0–63 (TS 36.321 §6.1.3.5); power headroom −23…40 dB (TS 36.133 §9.1.8.4)
        const f = res.fields as Record<string, (number | null)[]>;
        const odd = (k: string, lo: number, hi: number): boolean =>
          (f[k] ?? []).some((v) => v !== null && (v < lo || v > hi));
        if (odd('harq_id', 0, 7) || odd('subframe', 0, 9) || odd('sfn', 0, 1023)) meas.macOdd++;
        if (odd('ta_command', 0, 63) || odd('power_headroom_db', -23, 40)) meas.macOdd++;
      }
      if (res.status === 'decoded' && p.logCode === 0xb139) {
        // UE output power between the −40 dBm minimum (TS 36.101 §6.3.2) and power class 1's 31 dBm (§6.2.2)
        const f = res.fields as Record<string, number[]>;
        f.pusch_tx_power_dbm!.forEach((dbm, i) => {
          if (dbm < -40 || dbm > 31) meas.puschPowerOutside++;
          const rbs = f.num_rb![i]!;
          puschPowerByRbs.set(rbs, [...(puschPowerByRbs.get(rbs) ?? []), dbm]);
        });
      }
      if (res.status === 'decoded' && p.logCode === 0xb821) {
        // NR PCI 0–1007 (TS 38.211 §7.4.2.1), NR-ARFCN 0–3279165 (TS 38.104 §5.4.2.1), a named channel
        const f = res.fields as Record<string, number | string | null>;
        if ((f.pci as number) > 1007 || (f.arfcn as number) > 3279165 || f.channel === null) meas.nrOdd++;
      }
      if (res.status === 'decoded' && p.logCode === 0xb179) {
        // serving and neighbour RSRP/RSRQ inside the TS 36.133 reporting ranges
        const f = res.fields!;
        const rsrps = [f.rsrp as number, ...(f.neighbour_rsrp as number[])];
        const rsrqs = [f.rsrq as number, ...(f.neighbour_rsrq as number[])];
        for (const v of rsrps) if (v < RSRP_RANGE[0]! || v > RSRP_RANGE[1]!) meas.rsrpOutside++;
        for (const v of rsrqs) if (v < RSRQ_RANGE[0]! || v > RSRQ_RANGE[1]!) meas.rsrqOutside++;
      }
      if (res.status === 'decoded' && p.logCode === 0xb17f) {
        const f = res.fields as Record<string, number>;
        meas.cells++;
        if (f.rsrp! < RSRP_RANGE[0]! || f.rsrp! > RSRP_RANGE[1]!) meas.rsrpOutside++;
        if (f.rsrq! < RSRQ_RANGE[0]! || f.rsrq! > RSRQ_RANGE[1]!) meas.rsrqOutside++;
      }
      if (res.status === 'decoded' && p.logCode === 0xb193) {
        const f = res.fields as Record<string, (number | null)[] & (number | null)[][]>;
        f.rsrp!.forEach((rsrp, i) => {
          meas.cells++;
          const rsrq = f.rsrq![i] as number | null;
          if (rsrp !== null && ((rsrp as number) < RSRP_RANGE[0]! || (rsrp as number) > RSRP_RANGE[1]!))
            meas.rsrpOutside++;
          if (rsrq !== null && (rsrq < RSRQ_RANGE[0]! || rsrq > RSRQ_RANGE[1]!)) meas.rsrqOutside++;
          const chains = (f.rsrp_rx![i] as (number | null)[]).filter((v): v is number => v !== null);
          if (rsrp !== null && chains.length > 0 && rsrp !== Math.max(...chains)) meas.combinedNotBestChain++;
        });
      }
    }
  };
  try {
    for (const c of chunksOf(path)) {
      reader.append(c);
      drain();
    }
    reader.end();
    drain();
  } catch (err) {
    if (!(err instanceof CaptureTruncatedError)) throw err;
    cutAt = err.byteOffset;
  }
  return { tally, codes, first, last, zeroTs, cutAt, ms, meas, puschPowerByRbs, frames: reader.frameCounts! };
}

const samples = requireSharedDir('samples');

describe.runIf(samples.available)('the 19 real DIAG logs', () => {
  it.each(Object.entries(PINS))(
    '%s: every frame accounted for, per-code counts, time span and measurement ranges',
    (name, pin) => {
      const r = readLog(`${samples.path}/${name}`);
      const t = r.tally;
      // decoded + not decoded + malformed + other commands + bad frames = every frame of the stream
      expect(t.decoded + t.unknown + t.malformed + t.commands + t.badFrames).toBe(t.records);
      expect(t.records).toBe(r.frames.frames);
      expect(t.badFrames).toBe(r.frames.crc + r.frames.short + r.frames.oversize + r.frames.framing);
      expect(t.malformed).toBe(0);
      const top = Object.fromEntries([...r.codes].sort((a, b) => b[1] - a[1]).slice(0, 3));
      const decodedPairs = Object.fromEntries(
        t
          .sortedPairs()
          .filter((c) => c.decoded > 0)
          .map((c) => [`${hexCode(c.logCode)} v${c.version}`, c.decoded]),
      );
      expect({
        records: t.records,
        decoded: t.decoded,
        notDecoded: t.unknown,
        commands: t.commands,
        badFrames: t.badFrames,
        logCodes: r.codes.size,
        decodedPairs,
        top,
        first: formatUtcNs(r.first!),
        last: formatUtcNs(r.last!),
        ...(r.zeroTs ? { zeroTs: r.zeroTs } : {}),
        ...(r.cutAt !== undefined ? { cutAt: r.cutAt } : {}),
        ...(t.subscriptions.size ? { subscriptions: Object.fromEntries(t.subscriptions) } : {}),
      }).toEqual(pin);
      // The summary lists every (code, version) pair that was not decoded, and their counts add up.
      const listed = (t.toJson().log_codes as { not_decoded: number }[]).reduce((n, c) => n + c.not_decoded, 0);
      expect(listed).toBe(t.unknown);
      // Timestamps fall on the date in the file name (local time there; UTC may be the next day).
      const dated = /(20\d{2})(\d{2})(\d{2})_\d{6}/.exec(name);
      if (dated) {
        const day = Date.UTC(+dated[1]!, +dated[2]! - 1, +dated[3]!);
        expect(r.ms.every((m) => m >= day && m < day + 2 * DAY_MS)).toBe(true);
      }
      // RSRP/RSRQ inside the 3GPP reporting ranges; the combined RSRP is the best receive chain's.
      expect(r.meas).toMatchObject({
        rsrpOutside: 0,
        rsrqOutside: 0,
        combinedNotBestChain: 0,
        cellInfoOdd: 0,
        macOdd: 0,
        nrOdd: 0,
        puschPowerOutside: 0,
      });
      const b193 = Object.entries(pin.decodedPairs).filter(([k]) => k.startsWith('0xB193'));
      expect(r.meas.cells).toBeGreaterThanOrEqual(b193.reduce((n, [, v]) => n + v, 0));
    },
  );

  it('latency_sample 0xB139: the PUSCH Tx power grows with the RBs as the 10·log10(M_PUSCH) term of TS 36.213 §5.1.1.1', () => {
    const r = readLog(`${samples.path}/mobileinsight-core/latency_sample.mi2log`);
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const byRbs = [...r.puschPowerByRbs].sort((a, b) => a[0] - b[0]);
    expect(byRbs.map(([rbs, v]) => [rbs, v.length])).toEqual([
      [1, 31],
      [2, 789],
      [3, 329],
      [4, 34],
      [5, 6],
      [12, 4],
    ]);
    const all = byRbs.flatMap(([, v]) => v);
    expect([Math.min(...all), Math.max(...all)]).toEqual([12, 28]);
    const one = mean(r.puschPowerByRbs.get(1)!);
    // each RB count's mean power above the 1-RB mean by 10·log10(M) within 1 dB (MobileInsight's "x − 128"
    // would put every value near −110 dBm; a wrong bit field would not follow M)
    for (const [rbs, v] of byRbs) expect(Math.abs(mean(v) - one - 10 * Math.log10(rbs)), `${rbs} RBs`).toBeLessThan(1);
  });
});
