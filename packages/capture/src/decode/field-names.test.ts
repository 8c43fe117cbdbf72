import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { readCaptureRecords } from '../reader/create-capture-reader.js';
import { DecodedPacket } from './decoded-packet.js';
import { PACKET_FIELD_NAMES, unknownDecodeFields } from './field-names.js';
import { createPacketDecoder } from './packet-decoder.js';
import { toWiresharkFields } from './wireshark-fields.js';
import { DECODE_CONTRACT_FIELDS } from './wireshark-fields.js';

const samples = requireSharedDir('samples');

// Captures that together carry every kind of packet the decoder names: C/U-plane with extensions, eCPRI
// over UDP, PTP of every message type (one- and two-step), concatenated eCPRI messages.
const CAPTURES = [
  'Utilities/fh_ks.pcap',
  'Utilities/VIAVI_MIMO_DL_cap5.pcap',
  'Vikas_python/ecpri.pcap',
  'Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap',
  'ptp-analyzer/ptp_example.pcap',
  's-plane_security/2024-10-08-sync_attack_singlestep_1.pcap',
  'dos-attacker/cp_ul_long_1mb.pcap',
];

describe('decode field names', () => {
  it('refuses names no packet carries, as tshark refuses unknown -e fields', () => {
    expect(unknownDecodeFields(['frame.number', 'oran_fh_cus.symbolId', 'ptp.v2.messagetype'])).toEqual([]);
    expect(unknownDecodeFields(['frame.nummer', 'bogus.field', 'ecpri.bogus', 'diag.log_code', 'rsrp'])).toEqual([
      'frame.nummer',
      'bogus.field',
      'ecpri.bogus',
    ]);
  });

  it('knows every field of the decode contract', () => {
    expect(unknownDecodeFields([...DECODE_CONTRACT_FIELDS])).toEqual([]);
  });

  it.runIf(samples.available)('knows every field the decoder prints for the real captures', () => {
    const seen = new Set<string>();
    for (const file of CAPTURES) {
      const path = join(samples.path, file);
      expect(existsSync(path), path).toBe(true);
      const bytes = new Uint8Array(readFileSync(path));
      const dec = createPacketDecoder({ eaxcBits: { duPort: 4, bandSector: 4, cc: 4, ruPort: 4 } });
      const out = new DecodedPacket();
      for (const r of readCaptureRecords(bytes, bytes[0] === 0x0a ? 'pcapng' : 'pcap')) {
        if (r.kind !== 'packet') continue;
        dec.decode(r.linkType, r.data, r.tsNs, r.index, out);
        for (const k of Object.keys(toWiresharkFields(out))) seen.add(k);
      }
    }
    expect([...seen].filter((k) => !PACKET_FIELD_NAMES.has(k))).toEqual([]);
    expect(seen.size).toBeGreaterThan(60);
  });
});
