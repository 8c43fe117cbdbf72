/**
 * Every traffic shape against tshark (Debian 4.0) on the `l1t decode` contract fields (interfaces.md,
 * DECODE_CONTRACT_FIELDS): our decoder with the shape's profile and tshark with the matching preferences
 * must print the same values, packet by packet. Explained Wireshark 4.0 behaviour, as in
 * decode/wireshark-agreement.test.ts: the U-plane symbol shows under startSymbolId, O-RAN messages get no
 * ecpri.pcid, and a concatenated PDU is dissected up to its first message only (we compare that one).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODE_CONTRACT_FIELDS, DecodedPacket, createPacketDecoder, toWiresharkFields } from '../decode/index.js';
import type { SynthProfile } from './traffic-shapes.js';
import { TRAFFIC_SHAPES } from './traffic-shapes.js';
import { shapeCapture } from './test-support/shape-capture.js';
import { tsharkAvailable } from './test-support/synth-reader.js';

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-ws-'));
const FIELDS = [...DECODE_CONTRACT_FIELDS];

function prefs(p: SynthProfile): string[] {
  const comp = p.uplane.comp_method === 'bfp' ? 'Block Floating Point Compression' : 'No compression';
  const out = ['-n'];
  for (const d of ['up', 'down']) {
    out.push('-o', `oran_fh_cus.oran.iq_bitwidth_${d}:${p.uplane.iq_width}`);
    out.push('-o', `oran_fh_cus.oran.ud_comp_${d}:${comp}`);
    out.push('-o', `oran_fh_cus.oran.ud_comp_hdr_${d}:${p.uplane.comp_hdr === 'dynamic' ? 'TRUE' : 'FALSE'}`);
  }
  out.push('-o', `oran_fh_cus.oran.rbs_in_uplane_section:${p.nrb}`);
  for (const port of p.ecpri_udp_ports ?? []) out.push('-d', `udp.port==${port},ecpri`);
  return out;
}

const norm = (v: string): string =>
  /^0x[0-9a-f]+$/i.test(v) && v.length <= 10 ? String(parseInt(v, 16)) : v.toLowerCase();
const ours = (v: unknown): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase());

describe('traffic shapes against tshark on the decode contract fields', () => {
  for (const shape of TRAFFIC_SHAPES) {
    it.runIf(HAVE_TSHARK)(`${shape}: 100 % of the contract fields agree`, () => {
      const cap = shapeCapture(shape, { durationS: 0.004, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } }, '', 5);
      const file = join(dir, `${shape}.${cap.cfg.format}`);
      writeFileSync(file, cap.bytes);
      const args = ['-r', file, ...prefs(cap.profile), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=;'];
      for (const f of FIELDS) args.push('-e', f);
      const lines = execFileSync('tshark', args, {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .split('\n')
        .filter((l) => l !== '');
      expect(lines).toHaveLength(cap.recs.length);
      const p = cap.profile;
      const decoder = createPacketDecoder({
        compMethod: p.uplane.comp_method,
        iqWidth: p.uplane.iq_width,
        compHdr: p.uplane.comp_hdr,
        nrb: p.nrb,
        ecpriUdpPorts: p.ecpri_udp_ports ?? [],
      });
      const pkt = new DecodedPacket();
      let compared = 0;
      const bad: string[] = [];
      cap.recs.forEach((r, i) => {
        decoder.decode(1, r.data, r.tsNs, r.index, pkt);
        const mine = toWiresharkFields(pkt);
        const cols = lines[i]!.split('\t');
        const uplane = pkt.hasOran && pkt.oran.plane === 'u';
        const concatenated = pkt.oranCount > 1;
        FIELDS.forEach((field, k) => {
          const ws = (cols[k] ?? '') === '' ? [] : cols[k]!.split(';').map(norm);
          const src = uplane && field === 'oran_fh_cus.startSymbolId' ? 'oran_fh_cus.symbolId' : field;
          let me = ours(mine[src]);
          if (uplane && field === 'oran_fh_cus.symbolId' && ws.length === 0) return;
          if (field === 'ecpri.pcid' && pkt.hasOran && ws.length === 0) return;
          // Wireshark 4.0 stops after the first message of a concatenated PDU: compare what it shows
          if (concatenated && ws.length > 0 && me.length > ws.length) me = me.slice(0, ws.length);
          if (ws.length === 0 && me.length === 0) return;
          compared++;
          if (ws.join(';') !== me.join(';'))
            bad.push(
              `frame ${r.index} ${field}: tshark ${ws.join(';').slice(0, 60)} ours ${me.join(';').slice(0, 60)}`,
            );
        });
      });
      expect(compared).toBeGreaterThan(cap.recs.length * 5);
      expect(bad.slice(0, 8)).toEqual([]);
    });
  }
});
