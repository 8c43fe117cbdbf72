/**
 * Real captures through the packet decoder: the clean ones give no findings, the malformed ones the
 * findings MANIFEST.md describes, and without a profile the heuristics infer the capture parameters
 * MANIFEST.md lists. With L1T_REQUIRE_ALL_SUITES=1 missing samples fail the suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Inferred } from '../oran/oran-message.js';
import { readCaptureRecords } from '../reader/create-capture-reader.js';
import { DecodedPacket } from './decoded-packet.js';
import type { DecodeOptions } from './options.js';
import { createPacketDecoder } from './packet-decoder.js';
import { toWiresharkFields } from './wireshark-fields.js';

const SAMPLES = process.env['L1T_SAMPLES_DIR'] ?? '/work/shared/samples';
const REQUIRE = process.env['L1T_REQUIRE_ALL_SUITES'] === '1';
const run = existsSync(SAMPLES) || REQUIRE ? it : it.skip;
const E = { duPort: 4, bandSector: 4, cc: 4, ruPort: 4 };

interface Census {
  findings: Record<string, number>;
  /** `method/width` of every U-plane section. */
  formats: Record<string, number>;
  guessedAll: boolean;
  clippedPrbs: number;
}

function census(file: string, options: Partial<DecodeOptions>): Census {
  const path = join(SAMPLES, file);
  expect(existsSync(path), `${file} missing`).toBe(true);
  const dec = createPacketDecoder(options);
  const out = new DecodedPacket();
  const c: Census = { findings: {}, formats: {}, guessedAll: true, clippedPrbs: 0 };
  for (const r of readCaptureRecords(new Uint8Array(readFileSync(path)), 'pcap')) {
    if (r.kind !== 'packet') continue;
    dec.decode(r.linkType, r.data, r.tsNs, r.index, out);
    for (let i = 0; i < out.findings.count; i++) {
      const code = out.findings.items[i]!.code;
      c.findings[code] = (c.findings[code] ?? 0) + 1;
    }
    if (!out.hasOran || out.oran.plane !== 'u') continue;
    if ((out.oran.inferred & (Inferred.IQ_WIDTH | Inferred.COMP_METHOD)) === 0) c.guessedAll = false;
    for (let s = 0; s < out.oran.sectionCount; s++) {
      const sec = out.oran.uSections[s]!;
      const key = `${sec.compMethod === 1 ? 'bfp' : sec.compMethod === 0 ? 'none' : sec.compMethod}/${sec.iqWidth}`;
      c.formats[key] = (c.formats[key] ?? 0) + 1;
      c.clippedPrbs += sec.clippedPrbs;
    }
  }
  return c;
}

// Capture parameters from samples/MANIFEST.md.
const CLEAN: [string, string, number][] = [
  ['Utilities/VIAVI_MIMO_DL_cap5.pcap', 'none/16', 106],
  ['Utilities/fh_1x1.pcap', 'bfp/9', 106],
  ['Utilities/fh_1x1_non0.pcap', 'bfp/9', 106],
  ['Utilities/fh_ks.pcap', 'none/16', 51],
  ['Utilities/nv_offset0_ref0_2sym.pcap', 'bfp/9', 106],
  ['Vikas_python/ecpri_iq.pcap', 'bfp/9', 51],
  ['dos-attacker/up_dl_short_1mb.pcap', 'none/16', 273],
  ['dos-attacker/up_ul_long_1mb.pcap', 'none/16', 273],
];

describe('real captures', () => {
  for (const [file, format, nrb] of CLEAN) {
    run(`${file}: no findings with its profile`, () => {
      const [method, width] = format.split('/');
      const c = census(file, {
        eaxcBits: E,
        compMethod: method as 'bfp' | 'none',
        iqWidth: Number(width),
        compHdr: 'static',
        nrb,
      });
      expect(c.findings).toEqual({});
      expect(Object.keys(c.formats)).toEqual([format]);
    });
    run(`${file}: without a profile the heuristics infer ${format} and say they guessed`, () => {
      const c = census(file, { eaxcBits: E });
      expect(c.findings).toEqual({});
      expect(Object.keys(c.formats)).toEqual([format]);
      expect(c.guessedAll).toBe(true);
    });
  }

  run('C-plane-only captures decode without findings', () => {
    expect(census('dos-attacker/cp_dl_short_1mb.pcap', { eaxcBits: E }).findings).toEqual({});
    expect(census('dos-attacker/cp_ul_long_1mb.pcap', { eaxcBits: E }).findings).toEqual({});
  });

  run('pcap-analyzer/sample_oran.pcap: every frame declares an eCPRI size past its end', () => {
    expect(census('pcap-analyzer/sample_oran.pcap', { eaxcBits: E }).findings).toEqual({
      payload_size_beyond_frame: 8,
    });
  });

  run('udp-ecpri.pcap: C bit set with no message behind it, and an all-PRB section past the message', () => {
    const c = census('Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap', {
      eaxcBits: E,
      compMethod: 'bfp',
      iqWidth: 9,
      compHdr: 'static',
      nrb: 273,
      ecpriUdpPorts: [123],
    });
    expect(c.findings['concatenation']).toBe(3);
    expect(c.findings['section_overrun']).toBe(3);
  });

  run('udp-ecpri.pcap: the opt-in heuristic finds eCPRI on UDP port 123 without configuration', () => {
    const dec = createPacketDecoder({ ecpriUdpHeuristic: true });
    const out = new DecodedPacket();
    let ecpri = 0;
    for (const r of readCaptureRecords(
      new Uint8Array(readFileSync(join(SAMPLES, 'Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap'))),
      'pcap',
    )) {
      if (r.kind === 'packet' && dec.decode(r.linkType, r.data, r.tsNs, r.index, out).kind === 'ecpri') ecpri++;
    }
    expect(ecpri).toBe(3);
  });

  run('RoE (0xFC3D) xRAN vectors are classified as other traffic, never decoded as eCPRI', () => {
    const files = [
      'capture_01102019_124636.pcap',
      'capture_01102019_141934.pcap',
      'capture_01112019_165047.pcap',
      'capture_xran.pcap',
      'xran-2Umsg.pcap',
      'xran-rb-1.pcap',
      'xran-slotid-0.pcap',
      'xran-uplane-2sections.pcap',
      'xran-uplane-multi-prbs.pcap',
      'roe.pcapng',
      'xran.pcapng',
    ];
    const dec = createPacketDecoder({ ecpriUdpHeuristic: true });
    const out = new DecodedPacket();
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(join(SAMPLES, 'Wireshark-xRAN-RoE-eCPRI', f)));
      let n = 0;
      for (const r of readCaptureRecords(bytes, f.endsWith('.pcapng') ? 'pcapng' : 'pcap')) {
        if (r.kind !== 'packet') continue;
        dec.decode(r.linkType, r.data, r.tsNs, r.index, out);
        expect([out.kind, out.findings.count], f).toEqual(['other', 0]);
        n++;
      }
      expect(n, f).toBeGreaterThan(0);
    }
  });

  run('mutated real frames (random byte flips) never throw, under every profile', () => {
    const sources = [
      'Utilities/fh_1x1.pcap',
      'dos-attacker/cp_ul_long_1mb.pcap',
      'Vikas_python/ecpri.pcap',
      'Utilities/fh_ks.pcap',
      'ptp-analyzer/ptp_example.pcap',
    ];
    const frames: Uint8Array[] = [];
    for (const f of sources) {
      const bytes = new Uint8Array(readFileSync(join(SAMPLES, f)));
      let n = 0;
      for (const r of readCaptureRecords(bytes, bytes[0] === 0x0a ? 'pcapng' : 'pcap', { copyData: true })) {
        if (r.kind === 'packet' && n++ < 40) frames.push(r.data);
      }
    }
    const profiles: Partial<DecodeOptions>[] = [
      {},
      { compHdr: 'dynamic' },
      { eaxcBits: E, compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 106 },
      { compMethod: 'none', iqWidth: 16, compHdr: 'static' },
    ];
    let seed = 99;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    const out = new DecodedPacket();
    for (const p of profiles) {
      const dec = createPacketDecoder(p);
      for (let round = 0; round < 3; round++) {
        for (const frame of frames) {
          const m = frame.slice();
          for (let k = 0; k < 4; k++) m[18 + (rnd() % Math.max(1, m.length - 18))] = rnd() & 0xff; // keep the Ethernet/VLAN header
          expect(() => toWiresharkFields(dec.decode(1, m, 0n, 1, out))).not.toThrow();
          expect(() => dec.decode(1, m.subarray(0, rnd() % (m.length + 1)), 0n, 1, out)).not.toThrow();
        }
      }
    }
  });

  run('Vikas_python/ecpri.pcap: the test-pattern U-plane overruns, the type-10 C-plane is a fragment', () => {
    const c = census('Vikas_python/ecpri.pcap', { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 273 });
    expect(c.findings['section_overrun']).toBe(1);
    expect(c.findings['cplane_fragment']).toBe(1);
  });
});
