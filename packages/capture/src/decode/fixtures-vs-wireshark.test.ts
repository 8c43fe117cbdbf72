/**
 * Byte-built frames (every C-plane section type Wireshark 4.0 decodes, section extensions 4/6/10/11,
 * U-plane BFP at several widths) written to a temporary pcap, dissected by tshark and by us, and
 * compared field by field. Complements the sample-file agreement test with layouts the samples lack.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodedPacket } from './decoded-packet.js';
import type { DecodeOptions } from './options.js';
import { createPacketDecoder } from './packet-decoder.js';
import { toWiresharkFields } from './wireshark-fields.js';

const TSHARK = process.env['TSHARK'] ?? '/usr/bin/tshark';
const REQUIRE = process.env['L1T_REQUIRE_ALL_SUITES'] === '1';
const run = existsSync(TSHARK) || REQUIRE ? it : it.skip;
const dir = mkdtempSync(join(tmpdir(), 'l1t-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// prettier-ignore
function ecpriFrame(type: number, payload: number[]): number[] {
  const eth = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x33, 0x22, 0x33, 0x00, 0x11, 0xae, 0xfe];
  const frame = [...eth, 0x10, type, payload.length >> 8, payload.length & 0xff, ...payload];
  while (frame.length < 60) frame.push(0);
  return frame;
}

// prettier-ignore
function writePcap(name: string, frames: number[][]): string {
  const parts: number[] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
  frames.forEach((f, i) => {
    const le32 = (v: number): number[] => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];
    parts.push(...le32(1000 + i), ...le32(0), ...le32(f.length), ...le32(f.length), ...f);
  });
  const path = join(dir, name);
  writeFileSync(path, Uint8Array.from(parts));
  return path;
}

/** C-plane eCPRI payload up to sectionType: eAxC 1, seq 5 E=1, frame 32, subframe 1, slot 1, symbol 2. */
// prettier-ignore
function cplane(sectionType: number, n: number, rest: number[], dir = 1): number[] {
  // prettier-ignore
  return [0x00, 0x01, 0x05, 0x80, (dir << 7) | 0x10, 0x20, 0x10, 0x42, n, sectionType, ...rest];
}
// prettier-ignore
function sf(sectionId: number, startPrbc: number, numPrbc: number, reMask = 0xfff, numSymbol = 14): number[] {
  // prettier-ignore
  return [sectionId >> 4, ((sectionId & 15) << 4) | (startPrbc >> 8), startPrbc & 0xff, numPrbc, reMask >> 4, ((reMask & 15) << 4) | numSymbol];
}

// prettier-ignore
const CPLANE_FRAMES = [
  cplane(0, 1, [0x01, 0x02, 0xc1, 0x01, 0x20, 0x00, ...sf(9, 10, 20), 0, 0]),
  cplane(3, 2, [0x00, 0x10, 0x81, 0x00, 0x00, 0x91, ...sf(3, 0, 12, 0xfff, 1), 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, ...sf(4, 12, 12, 0xfff, 1), 0x00, 0x03, 0x00, 0x01, 0x00, 0x00], 0),
  cplane(5, 2, [0x00, 0x00, ...sf(4, 0, 10), 0x00, 0x2a, ...sf(5, 10, 5, 0x0ff, 2), 0x00, 0x2b]),
  cplane(6, 1, [0x01, 0x00, 0x00, 0x05, 0xff, 0xfe, 0x00, 0x03, 0x01, ...Array(32 * 4).fill(0)]),
  cplane(1, 2, [
    0x00, 0x00,
    ...sf(1, 0, 8), 0x80, 0x01,
    0x84, 0x01, 0x92, 0x34, // ext 4
    0x86, 0x02, 0x20, 0xab, 0xcd, 0xef, 0x7f, 0xff, // ext 6
    0x8a, 0x02, 0x82, 0x00, 0x05, 0x00, 0x06, 0x00, // ext 10, beam vector listing
    0x0b, 0x00, 0x03, 0x80, 0x04, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x00, 0x00, // ext 11, disableBFWs
    ...sf(2, 8, 16, 0xf00, 7), 0x00, 0x11,
  ]),
];

// prettier-ignore
const CFIELDS = [
  'oran_fh_cus.sectionType', 'oran_fh_cus.numberOfSections', 'oran_fh_cus.startSymbolId', 'oran_fh_cus.sectionId',
  'oran_fh_cus.startPrbc', 'oran_fh_cus.numPrbc', 'oran_fh_cus.reMask', 'oran_fh_cus.numSymbol', 'oran_fh_cus.ef',
  'oran_fh_cus.beamId', 'oran_fh_cus.ueId', 'oran_fh_cus.extType', 'oran_fh_cus.extLen', 'oran_fh_cus.timeOffset',
  'oran_fh_cus.cpLength', 'oran_fh_cus.frameStructure.fft', 'oran_fh_cus.frameStructure.spacing', 'oran_fh_cus.numberOfUEs',
  'oran_fh_cus.regularizationFactor', 'oran_fh_cus.rbgSize', 'oran_fh_cus.rbgMask', 'oran_fh_cus.symbolMask',
  'oran_fh_cus.beamGroupType', 'oran_fh_cus.numPortc', 'oran_fh_cus.disableBFWs', 'oran_fh_cus.rad',
  'oran_fh_cus.numBundPrbs', 'oran_fh_cus.csf', 'oran_fh_cus.modcompscaler', 'oran_fh_cus.udCompHdrWidth',
  'oran_fh_cus.udCompHdrMeth', 'oran_fh_cus.du_port_id', 'oran_fh_cus.ru_port_id', 'oran_fh_cus.sequence_id',
  'oran_fh_cus.data_direction', 'oran_fh_cus.frameId', 'oran_fh_cus.subframe_id', 'oran_fh_cus.slotId',
];

function norm(v: string): string {
  if (/^0x[0-9a-f]+$/i.test(v)) return String(parseInt(v, 16));
  if (v === 'True') return '1';
  if (v === 'False') return '0';
  return v;
}
function ours(v: unknown): string {
  if (v === undefined) return '';
  return (Array.isArray(v) ? v : [v]).map((x) => (x === true ? '1' : x === false ? '0' : String(x))).join(';');
}

// prettier-ignore
function compare(path: string, fields: string[], prefs: string[], options: Partial<DecodeOptions>, frames: number[][]): string[] {
  const args = ['-n', '-r', path, ...prefs, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=;'];
  for (const f of fields) args.push('-e', f);
  const lines = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
  const dec = createPacketDecoder(options);
  const out = new DecodedPacket();
  const diffs: string[] = [];
  frames.forEach((frame, i) => {
    dec.decode(1, Uint8Array.from(frame), 0n, i + 1, out);
    const mine = toWiresharkFields(out);
    const cols = (lines[i] ?? '').split('\t');
    fields.forEach((f, k) => {
      const ws = (cols[k] ?? '').split(';').filter((x) => x !== '').map(norm).join(';');
      let me = ours(mine[f]);
      if (f === 'oran_fh_cus.startSymbolId' && out.oran.plane === 'u') me = ours(mine['oran_fh_cus.symbolId']); // 4.0 naming
      if (ws !== me) diffs.push(`frame ${i + 1} ${f}: wireshark ${ws} ours ${me}`);
    });
  });
  return diffs;
}

describe('byte-built frames agree with tshark 4.0', () => {
  run('C-plane section types 0, 1, 3, 5, 6 and extensions 4, 6, 10, 11', () => {
    const frames = CPLANE_FRAMES.map((p) => ecpriFrame(2, p));
    const diffs = compare(writePcap('cplane.pcap', frames), CFIELDS, [], {}, frames);
    expect(diffs).toEqual([]);
  });

  for (const width of [1, 4, 8, 9, 12, 14, 16]) {
    // prettier-ignore
    run(`U-plane BFP ${width}-bit: sections, PRB ranges and per-PRB exponents`, () => {
      const prbBytes = 1 + 3 * width;
      const prb = (exp: number): number[] => [exp, ...Array.from({ length: prbBytes - 1 }, (_, k) => (k * 37 + exp) & 0xff)];
      const uplane = (sections: [number, number, number][]): number[] => [
        0x12, 0x34, 0x07, 0x80, 0x90, 0x0c, 0x30, 0x47, // eAxC, seq 7, DL, frame 12, subframe 3, slot 1, symbol 7
        ...sections.flatMap(([id, start, n]) => [id >> 4, ((id & 15) << 4) | (start >> 8), start & 0xff, n, ...Array.from({ length: n }, (_, k) => prb(k % (17 - width))).flat()]),
      ];
      const frames = [uplane([[1, 0, 3]]), uplane([[2, 3, 2], [3, 5, 4]]), uplane([[4, 100, 1]])].map((p) => ecpriFrame(0, p));
      const fields = ['oran_fh_cus.sectionId', 'oran_fh_cus.startPrbu', 'oran_fh_cus.numPrbu', 'oran_fh_cus.exponent', 'oran_fh_cus.startSymbolId', 'oran_fh_cus.frameId', 'oran_fh_cus.slotId', 'oran_fh_cus.bandsector_id', 'oran_fh_cus.cc_id'];
      const prefs = ['-o', `oran_fh_cus.oran.iq_bitwidth_down:${width}`, '-o', 'oran_fh_cus.oran.ud_comp_down:Block Floating Point Compression'];
      const diffs = compare(writePcap(`uplane-${width}.pcap`, frames), fields, prefs, { compMethod: 'bfp', iqWidth: width, compHdr: 'static' }, frames);
      expect(diffs).toEqual([]);
    });
  }
});
