import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLinkLayers } from '../layers/link-layers.js';
import { isLinkTypeSupported } from '../layers/link-types.js';
import { parseLinkLayers } from '../layers/parse-link-layers.js';
import { createCaptureReader, readCaptureRecords } from './create-capture-reader.js';

/*
 * Reads every real capture in the shared samples and compares with tshark (Wireshark's reader):
 * frame count, first/last frame epoch time (9 decimals), and per frame what the link layers found
 * (VLAN tag count, first IP version, eCPRI over Ethernet, PTP). With L1T_REQUIRE_ALL_SUITES=1 a
 * missing tshark or samples directory fails instead of skipping.
 */
const SAMPLES = process.env.L1T_SAMPLES_DIR ?? '/work/shared/samples';
const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const REQUIRE_ALL = process.env.L1T_REQUIRE_ALL_SUITES === '1';
const available = existsSync(SAMPLES) && existsSync(TSHARK);

function captures(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? captures(p) : /\.pcap(ng)?$/.test(n) ? [p] : [];
    })
    .sort();
}

/** Epoch ns as tshark prints frame.time_epoch: seconds with 9 decimals. */
function epoch(ns: bigint): string {
  const s = ns / 1_000_000_000n;
  return `${s}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
}

describe('readers against tshark on the sample captures', () => {
  it.runIf(REQUIRE_ALL)('has tshark and the samples when L1T_REQUIRE_ALL_SUITES=1', () => {
    expect(existsSync(TSHARK), `tshark not found at ${TSHARK}`).toBe(true);
    expect(existsSync(SAMPLES), `samples directory ${SAMPLES} is missing`).toBe(true);
  });

  const files = available ? captures(SAMPLES) : [];
  it.runIf(available)('finds the sample captures', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  for (const file of files) {
    it(`reads ${relative(SAMPLES, file)} as tshark does`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      const format = bytes[0] === 0x0a ? 'pcapng' : 'pcap';
      const lines = execFileSync(
        TSHARK,
        ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.protocols'],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
      )
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => l.split('\t'));
      const layers = createLinkLayers();
      let count = 0;
      let first = '';
      let last = '';
      const mismatches: string[] = [];
      for (const rec of readCaptureRecords(bytes, format)) {
        if (rec.kind !== 'packet') continue;
        count++;
        last = epoch(rec.tsNs);
        if (count === 1) first = last;
        const row = lines[rec.index - 1];
        if (!row || !isLinkTypeSupported(rec.linkType)) continue;
        const protos = (row[2] ?? '').split(':');
        const l = parseLinkLayers(rec.linkType, rec.data, layers);
        const wantVlans = protos
          .slice(0, protos.findIndex((p) => p === 'ip' || p === 'ipv6' || p === 'ecpri' || p === 'ptp') >>> 0)
          .filter((p) => p === 'vlan').length;
        const firstIp = protos.find((p) => p === 'ip' || p === 'ipv6');
        const got = {
          vlans: l.vlanIds.length,
          ip: l.ipVersion === 4 ? 'ip' : l.ipVersion === 6 ? 'ipv6' : undefined,
          ecpri: l.l3kind === 'ecpri',
          ptp: l.payloadKind === 'ptp',
        };
        const want = {
          vlans: wantVlans,
          ip: firstIp,
          ecpri: protos.includes('ecpri') && protos[protos.indexOf('ecpri') - 1] === 'ethertype',
          ptp: protos.includes('ptp'),
        };
        if (JSON.stringify(got) !== JSON.stringify(want) && mismatches.length < 5) {
          mismatches.push(`frame ${rec.index}: ours ${JSON.stringify(got)} tshark ${row[2]} ${l.error ?? ''}`);
        }
      }
      expect(count).toBe(lines.length);
      expect(first).toBe(lines[0]?.[1] ?? '');
      expect(last).toBe(lines.at(-1)?.[1] ?? '');
      expect(mismatches).toEqual([]);

      // The same file streamed in odd-sized chunks gives the same packets.
      const streamed = createCaptureReader(format);
      let n = 0;
      let sum = 0;
      const check = (): void => {
        for (let r = streamed.next(); r !== undefined; r = streamed.next()) {
          if (r.kind !== 'packet') continue;
          n++;
          sum = (sum + r.capLen * 31 + (r.data[r.capLen >> 1] ?? 0) + Number(r.tsNs % 1000n)) % 1_000_000_007;
        }
      };
      for (let o = 0; o < bytes.length; o += 4093) {
        streamed.append(bytes.subarray(o, o + 4093));
        check();
      }
      streamed.end();
      check();
      let want = 0;
      for (const r of readCaptureRecords(bytes, format)) {
        if (r.kind === 'packet') {
          want = (want + r.capLen * 31 + (r.data[r.capLen >> 1] ?? 0) + Number(r.tsNs % 1000n)) % 1_000_000_007;
        }
      }
      expect([n, sum]).toEqual([count, want]);
    });
  }
});
