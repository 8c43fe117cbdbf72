import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexCode } from '../diag-packet.js';
import { DIAG_LOG_DECODERS, DiagDecoderRegistry } from './registry.js';
import type { DiagLogDecoder } from './diag-decoder.js';

/**
 * Property test of every (log code, version) decoder (issue #17: fuzzing of every decoder, not only the
 * readers that frame the log packets): any body that declares a known version decodes or is `malformed`
 * with a located reason — never another exception (a RangeError, a TypeError from a missing sub-packet),
 * never a value that is not a finite number, string, boolean, null or an array of them.
 */

const RUNS_PER_VERSION = 300;

/**
 * A body that declares `version` to `d`: the version written at each of the first offsets in 1, 2 or 4
 * bytes (little-endian), or in a sub-packet header, until the decoder reads it back — the test fails for
 * any version no placement reaches, so none is left out silently.
 */
function declaring(d: DiagLogDecoder, version: number, tail: Uint8Array): Uint8Array | undefined {
  // Sub-packet logs (sub-packets.ts: packet version 1 | count | reserved u16 | id | version | size u16 …):
  // the sub-packet of each id in turn, first of 1–3, sized to the rest of the body or by the random bytes.
  for (let id = 0; id < 256; id++) {
    const body = Uint8Array.from([1, 1 + (tail[0]! % 3), 0, 0, id, version, 0, 0, ...tail]);
    const size = tail[1]! & 1 ? body.length - 4 : tail[2]! | (tail[3]! << 8);
    body[6] = size & 0xff;
    body[7] = size >>> 8;
    if (d.version(body) === version) return body;
  }
  for (let at = 0; at < 16; at++)
    for (const width of [1, 2, 4]) {
      const body = new Uint8Array(Math.max(tail.length, at + width));
      body.set(tail.subarray(0, body.length));
      for (let i = 0; i < width; i++) body[at + i] = (version >>> (8 * i)) & 0xff;
      if (d.version(body) === version) return body;
    }
  return undefined;
}

function plainValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  return Array.isArray(v) && v.every(plainValue);
}

describe('every DIAG log decoder takes any body of its versions: fields or malformed, never a crash', () => {
  const registry = new DiagDecoderRegistry();
  for (const d of DIAG_LOG_DECODERS)
    for (const version of d.versions.keys())
      it(`${hexCode(d.logCode)} ${d.name} version ${version}`, () => {
        // Most bodies a few dozen bytes, some long enough to hold many sub-packets or records.
        const tails = fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 96 }), fc.uint8Array({ maxLength: 1024 }));
        let reached = 0;
        fc.assert(
          fc.property(tails, (tail) => {
            const body = declaring(d, version, Uint8Array.from([...tail, ...new Uint8Array(16)]));
            if (!body) return;
            reached++;
            // Every cut of the body too: a record cut anywhere is malformed, never a throw.
            for (const cut of [body.length, body.length >> 1, 4, 1]) {
              const r = registry.decode(d.logCode, body.subarray(0, cut));
              expect(['decoded', 'malformed', 'unknown']).toContain(r.status);
              if (r.status === 'decoded')
                for (const [k, v] of Object.entries(r.fields!))
                  // undefined: a declared key the record does not carry (DiagFields), left out of JSON
                  if (v !== undefined) expect(plainValue(v), `${k}=${String(v)}`).toBe(true);
              if (r.status === 'malformed') expect(r.reason).toMatch(/offset \d+/);
            }
          }),
          { numRuns: RUNS_PER_VERSION, seed: 17 },
        );
        expect(reached, 'a body declaring this version was built').toBeGreaterThan(0);
      });
});
