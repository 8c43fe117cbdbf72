import { describe, expect, it } from 'vitest';
import { parseUeFaultSpec, synthUe } from '@l1t/capture';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';

function bytesInput(name: string, bytes: Uint8Array, chunk = 65_536): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
  };
}

/** Deterministic wrapper bytes (xorshift32): what an .isf puts around each DLF item is closed, so any bytes do. */
function wrapper(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The records of a .dlf, each behind a wrapper of 8–71 bytes: an .isf-like file of the same items. */
function wrapDlf(dlf: Uint8Array): { bytes: Uint8Array; records: number } {
  const parts: Uint8Array[] = [];
  let records = 0;
  for (let off = 0; off < dlf.length;) {
    const len = dlf[off]! | (dlf[off + 1]! << 8);
    parts.push(wrapper(8 + (records % 64), records + 1), dlf.subarray(off, off + len));
    off += len;
    records++;
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, records };
}

describe('.isf: DLF-shaped items found by scanning a closed container', () => {
  const dlf = synthUe({ durationS: 8, format: 'dlf' }, parseUeFaultSpec('bler_high@2;rsrp_low@4.5'), 3).bytes;
  const isf = wrapDlf(dlf);

  it('finds the same UE findings and KPIs as the .dlf of the same items, and says what it did not decode', async () => {
    const [fromDlf, fromIsf] = await Promise.all([
      analyzeFile(bytesInput('phone.dlf', dlf)),
      analyzeFile(bytesInput('phone.isf', isf.bytes, 4093)),
    ]);
    expect(fromDlf.format).toBe('dlf');
    expect(fromIsf.format).toBe('isf');
    expect(fromIsf.status).toBe('done');
    const key = (r: typeof fromDlf) => r.anomalies.map((a) => `${a.type}@${a.timestamp}`).sort();
    expect(key(fromIsf)).toEqual(key(fromDlf));
    expect(key(fromIsf).some((k) => k.startsWith('bler_high@'))).toBe(true);
    expect(fromIsf.metrics.length).toBe(fromDlf.metrics.length);
    expect(fromIsf.summary.records).toBe(isf.records);
    expect(fromIsf.summary.details.isf_scan).toMatchObject({
      items: isf.records,
      bytes_not_understood: isf.bytes.length - dlf.length,
      gaps: isf.records,
    });
    expect(fromIsf.summary.details.framing).toBe('isf_scan');
  });
});
