import { describe, expect, it } from 'vitest';
import { FindingList } from '../decode/findings.js';
import { resolveDecodeOptions } from '../decode/options.js';
import { decodeOran } from './oran-decoder.js';
import { OranMessage } from './oran-message.js';
import { UplaneFormatCache } from './uplane.js';

/** eCPRI payload of a C-plane message up to and including sectionType. */
// prettier-ignore
function cplane(sectionType: number, numberOfSections: number, rest: number[], opts: { dir?: number; seq?: number[] } = {}): Uint8Array {
  // prettier-ignore
  return Uint8Array.from([
    0x00, 0x01, // ecpriRtcid: eAxC 1
    ...(opts.seq ?? [0x05, 0x80]), // ecpriSeqid: seq 5 | E=1 | subseq 0
    ((opts.dir ?? 1) << 7) | 0x10, // dataDirection | payloadVersion 1 | filterIndex 0
    0x20, // frameId 32
    0x10, 0x42, // subframe 1 | slot 1 | startSymbolId 2
    numberOfSections,
    sectionType,
    ...rest,
  ]);
}

/** sectionId(12) | rb | symInc | startPrbc(10) | numPrbc | reMask(12) | numSymbol(4). */
// prettier-ignore
function sectionFields(sectionId: number, startPrbc: number, numPrbc: number, reMask = 0xfff, numSymbol = 14): number[] {
  // prettier-ignore
  return [sectionId >> 4, ((sectionId & 15) << 4) | (startPrbc >> 8), startPrbc & 0xff, numPrbc, reMask >> 4, ((reMask & 15) << 4) | numSymbol];
}

function run(bytes: Uint8Array): { msg: OranMessage; findings: FindingList } {
  const msg = new OranMessage();
  const findings = new FindingList();
  decodeOran(bytes, 0, bytes.length, 'c', resolveDecodeOptions(), new UplaneFormatCache(), msg, findings);
  return { msg, findings };
}

describe('C-plane section types', () => {
  // prettier-ignore
  it('decodes type 1 with two sections and beam ids', () => {
    const { msg, findings } = run(
      cplane(1, 2, [
        0x00, 0x00, // udCompHdr | reserved
        ...sectionFields(1, 0, 106), 0x00, 0x07, // ef 0 | beamId 7
        ...sectionFields(2, 106, 0, 0xf0f, 2), 0x7f, 0xff, // ef 0 | beamId 32767
      ]),
    );
    expect(findings.count).toBe(0);
    expect([msg.frameId, msg.subframeId, msg.slotId, msg.symbolId, msg.numberOfSections, msg.sectionType, msg.udCompHdr]).toEqual([32, 1, 1, 2, 2, 1, 0]);
    const [a, b] = msg.cSections;
    expect([a!.sectionId, a!.startPrbc, a!.numPrbc, a!.reMask, a!.numSymbol, a!.beamId]).toEqual([1, 0, 106, 0xfff, 14, 7]);
    expect([b!.sectionId, b!.startPrbc, b!.numPrbc, b!.reMask, b!.numSymbol, b!.beamId]).toEqual([2, 106, 0, 0xf0f, 2, 0x7fff]);
  });

  // prettier-ignore
  it('decodes type 0 (unused RBs) common fields', () => {
    const { msg, findings } = run(cplane(0, 1, [0x01, 0x02, 0xc1, 0x01, 0x20, 0x00, ...sectionFields(9, 10, 20), 0x00, 0x00]));
    expect(findings.count).toBe(0);
    expect([msg.timeOffset, msg.fftSize, msg.scs, msg.cpLength, msg.cSections[0]!.sectionId]).toEqual([0x102, 12, 1, 0x120, 9]);
  });

  // prettier-ignore
  it('decodes type 3 (PRACH) with a negative frequency offset', () => {
    const { msg, findings } = run(
      cplane(3, 1, [0x00, 0x10, 0x81, 0x00, 0x00, 0x91, ...sectionFields(3, 0, 12, 0xfff, 1), 0x00, 0x02, 0xff, 0xff, 0xf0, 0x00], { dir: 0 }),
    );
    expect(findings.count).toBe(0);
    expect([msg.udCompHdr, msg.cSections[0]!.freqOffset, msg.cSections[0]!.beamId]).toEqual([0x91, -16, 2]);
  });

  // prettier-ignore
  it('decodes type 5 with ueId and type 6 channel information', () => {
    const t5 = run(cplane(5, 1, [0x00, 0x00, ...sectionFields(4, 0, 10), 0x00, 0x2a]));
    expect(t5.msg.cSections[0]!.ueId).toBe(42);
    const ci = Array(1 * 32 * 4).fill(0); // 1 PRB × 32 antennas × (ciI, ciQ) 16 bits
    const t6 = run(cplane(6, 1, [0x01, 0x00, 0x00, 0x05, 0xff, 0xfe, 0x00, 0x03, 0x01, ...ci]));
    expect(t6.findings.count).toBe(0);
    const s = t6.msg.cSections[0]!;
    expect([t6.msg.numberOfUEs, s.ueId, s.regularizationFactor, s.startPrbc, s.numPrbc]).toEqual([1, 5, -2, 3, 1]);
  });

  // prettier-ignore
  it('decodes type 7 (LAA) LBT_PDSCH_REQ fields', () => {
    const { msg, findings } = run(
      cplane(7, 2, [
        0x01, // laaMsgType 0 (LBT_PDSCH_REQ) | laaMsgLen 1 → 8 bytes follow
        0x12, 0x34, // lbtHandle
        0x55, 0x65, // lbtOffset 0x155 | lbtMode 2 | reserved | lbtDeferFactor 5
        0xaa, 0xa4, // lbtBackoffCounter 0x2aa | MCOT 9 | reserved
        0x00, 0x00, // reserved
        0x20, // laaMsgType 2 (LBT_PDSCH_RSP) | laaMsgLen 0 → 4 bytes follow
        0x00, 0x07, // lbtHandle
        0xb1, 0x23, // lbtPdschRes 2 | inParSF 1 | sfStatus 1 | sfnSf 0x123
      ]),
    );
    expect(findings.count).toBe(0);
    const [a, b] = msg.cSections;
    expect([a!.laaMsgType, a!.laaMsgLen, a!.laa.lbtHandle, a!.laa.lbtOffset, a!.laa.lbtMode, a!.laa.lbtDeferFactor, a!.laa.lbtBackoffCounter, a!.laa.mcot]).toEqual([0, 1, 0x1234, 0x155, 2, 5, 0x2aa, 9]);
    expect([b!.laaMsgType, b!.laa.lbtHandle, b!.laa.lbtPdschRes, b!.laa.initialPartialSF, b!.laa.sfStatus, b!.laa.sfnSfEnd]).toEqual([2, 7, 2, 1, 1, 0x123]);
  });

  // prettier-ignore
  it('takes numberOfUEs sections for a type 6 message with numberOfSections 0', () => {
    const ci = Array(32 * 4).fill(0);
    const { msg, findings } = run(cplane(6, 0, [0x02, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, ...ci, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x01, ...ci]));
    expect(findings.count).toBe(0);
    expect([msg.sectionCount, msg.cSections[1]!.ueId]).toEqual([2, 6]);
  });
});

describe('C-plane section extensions', () => {
  // prettier-ignore
  it('decodes extensions 1, 4, 5, 6, 10 and 11 in one chain', () => {
    const { msg, findings } = run(
      cplane(1, 1, [
        0x00, 0x00,
        ...sectionFields(1, 0, 8), 0x80, 0x01, // ef 1 | beamId 1
        // ext 1: ef | type 1, extLen 2 (8 bytes): bfwCompHdr 9-bit BFP, exponent 6, 4 bytes weights, pad
        0x81, 0x02, 0x91, 0x06, 0x12, 0x34, 0x56, 0x78,
        // ext 4: csf 1 | modCompScaler 0x1234
        0x84, 0x01, 0x92, 0x34,
        // ext 5: one set mcScaleReMask 0xabc | csf 1 | mcScaleOffset 0x1234, padded to 8 bytes
        0x85, 0x02, 0xab, 0xc9, 0x23, 0x40, 0x00, 0x00,
        // ext 6: repetition 0 | rbgSize 2 | rbgMask 0x0abcdef | priority 1 | symbolMask 0x3fff
        0x86, 0x02, 0x20, 0xab, 0xcd, 0xef, 0x7f, 0xff,
        // ext 10: beamGroupType 2 | numPortc 2, beam ids 5 and 6, pad
        0x8a, 0x02, 0x82, 0x00, 0x05, 0x00, 0x06, 0x00,
        // ext 11 (last, ef 0): 16-bit extLen 3, disableBFWs 1, numBundPrb 4 → 2 beam ids (9, 10), pad
        0x0b, 0x00, 0x03, 0x80, 0x04, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x00, 0x00,
      ]),
    );
    expect(findings.count).toBe(0);
    const s = msg.cSections[0]!;
    expect(s.extensionCount).toBe(6);
    const [e1, e4, e5, e6, e10, e11] = s.extensions;
    expect([e1!.extType, e1!.extLen, e1!.bfwIqWidth, e1!.bfwCompMeth, e1!.bfwExponent]).toEqual([1, 2, 9, 1, 6]);
    // weight bytes 12 34 56 78 (+ pad) → 9-bit I = 0b000100100 (36), Q = 0b011010001 (209)
    expect([e1!.numBfWeights, e1!.bfwI[0], e1!.bfwQ[0]]).toEqual([1, 36, 209]);
    expect([e4!.csf, e4!.modCompScaler]).toEqual([1, 0x1234]);
    expect([e5!.mcScaleSets, e5!.mcScaleReMask[0], e5!.mcScaleCsf[0], e5!.mcScaleOffset[0]]).toEqual([1, 0xabc, 1, 0x1234]);
    expect([e1!.ef, e4!.ef, e11!.ef]).toEqual([1, 1, 0]);
    expect([e6!.repetition, e6!.rbgSize, e6!.rbgMask, e6!.priority, e6!.symbolMask]).toEqual([0, 2, 0x0abcdef, 1, 0x3fff]);
    expect([e10!.beamGroupType, e10!.numPortc, e10!.beamIdCount, e10!.beamIds[0], e10!.beamIds[1]]).toEqual([2, 2, 2, 5, 6]);
    expect([e11!.extLen, e11!.disableBFWs, e11!.numBundPrb, e11!.numBundles, e11!.beamIds[0], e11!.beamIds[1], e11!.beamIdCount]).toEqual([3, 1, 4, 2, 9, 10, 2]);
  });

  // prettier-ignore
  it('derives ext 11 weights per bundle from extLen and reads every bundle beam id', () => {
    const bundle = (beam: number): number[] => [0x05, beam >> 8, beam & 0xff, ...Array(9).fill(0xff)]; // exponent, beamId, 4 × 9-bit (I, Q)
    const body = [0x00, 0x04, 0x91, ...bundle(21), ...bundle(22)]; // disableBFWs 0, numBundPrb 4, bfwCompHdr 9-bit BFP
    const len = Math.ceil((3 + body.length) / 4);
    const ext = [0x0b, 0x00, len, ...body];
    while (ext.length < len * 4) ext.push(0);
    const { msg, findings } = run(cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, ...ext]));
    expect(findings.count).toBe(0);
    const e = msg.cSections[0]!.extensions[0]!;
    expect([e.numBundles, e.numBfWeights, e.beamIdCount, e.beamIds[0], e.beamIds[1]]).toEqual([2, 4, 2, 21, 22]);
  });

  // prettier-ignore
  it('keeps unknown extensions as type and length', () => {
    const { msg, findings } = run(cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, 0x12, 0x01, 0xaa, 0xbb]));
    expect(findings.count).toBe(0);
    expect([msg.cSections[0]!.extensions[0]!.extType, msg.cSections[0]!.extensions[0]!.extLen]).toEqual([18, 1]);
  });
});

describe('C-plane malformed input', () => {
  // prettier-ignore
  it('flags extLen 0', () => {
    expect(run(cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, 0x04, 0x00, 0, 0])).findings.has('ext_len_zero')).toBe(true);
  });

  // prettier-ignore
  it('flags an extLen that disagrees with the extension fields', () => {
    // ext 4 must be 1 word; here it claims 2
    expect(run(cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, 0x04, 0x02, 0x80, 0x01, 0, 0, 0, 0])).findings.has('ext_len_wrong')).toBe(true);
  });

  // prettier-ignore
  it('flags an extension past the message and a section overrunning it', () => {
    expect(run(cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, 0x04, 0x03, 0, 0])).findings.has('ext_len_overrun')).toBe(true);
    expect(run(cplane(1, 2, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x00, 0x01, 0x00])).findings.has('section_overrun')).toBe(true);
  });

  it('flags a fragmented C-plane message (E ≠ 1 or subSeqId ≠ 0)', () => {
    expect(run(cplane(1, 0, [0, 0], { seq: [0x05, 0x00] })).findings.has('cplane_fragment')).toBe(true);
    expect(run(cplane(1, 0, [0, 0], { seq: [0x05, 0x81] })).findings.has('cplane_fragment')).toBe(true);
  });

  it('flags section types illegal for the direction, reserved and unknown', () => {
    expect(run(cplane(10, 0, [], { dir: 1 })).findings.has('section_type_direction')).toBe(true);
    expect(run(cplane(10, 0, [], { dir: 0 })).findings.count).toBe(0);
    expect(run(cplane(2, 0, [])).findings.has('reserved_value')).toBe(true);
    expect(run(cplane(42, 0, [])).findings.has('unknown_section_type')).toBe(true);
  });

  // prettier-ignore
  it('survives random bytes and every truncation', () => {
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 3000; n++) {
      const bytes = Uint8Array.from({ length: rnd() }, rnd);
      if (bytes.length > 9) bytes[9] = [0, 1, 3, 5, 6, 7][n % 6]!;
      expect(() => run(bytes)).not.toThrow();
    }
    const good = cplane(1, 1, [0x00, 0x00, ...sectionFields(1, 0, 8), 0x80, 0x01, 0x81, 0x02, 0x91, 0x06, 0x12, 0x34, 0x56, 0x78, 0x0b, 0x00, 0x02, 0x80, 0x04, 0x00, 0x09, 0x00]);
    for (let cut = 0; cut <= good.length; cut++) expect(() => run(good.subarray(0, cut))).not.toThrow();
  });
});
