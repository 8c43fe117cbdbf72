import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPcap } from './test-support/pcap-builder.js';
import { FUZZ_TARGETS, frameDecoderOf, runTarget, type FuzzTarget } from './test-support/fuzz-targets.js';

/**
 * Property tests of every reader and decoder (issue #17): for any bytes — random, or a valid container
 * head with random records — a reader answers records or a located CaptureFormatError, never another
 * exception, and within 1 s per MB. Bounded: a few hundred inputs per target, seconds in all. The long
 * run is `npm run fuzz` (structured mutation of the real samples).
 */

const RUNS = 1000;
const MAX_MS_PER_MB = 1000;
/** Below this an input's time is noise (timer resolution, GC), whatever its size. */
const LIMIT_FLOOR_MS = 50;

/** Heads that get a reader past its magic number, so the fuzzing reaches the record parsers. */
const PCAP_HEAD = buildPcap({ packets: [] });
const PCAPNG_SHB = Uint8Array.from([
  0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 28, 0, 0, 0,
]);
const PCAPNG_IDB = Uint8Array.from([1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 4, 0, 20, 0, 0, 0]);
const QMDL2_HEAD = Uint8Array.from([0x1c, 0, 0, 0, 1, 0, 0, 0, ...new Array(20).fill(0)]);
const ECPRI_ETH = Uint8Array.from([...new Array(12).fill(0x02), 0xae, 0xfe, 0x10, 0x00]);
const PTP_ETH = Uint8Array.from([...new Array(12).fill(0x02), 0x88, 0xf7]);

const HEADS: Record<string, Uint8Array[]> = {
  pcap: [PCAP_HEAD],
  pcapng: [Uint8Array.from([...PCAPNG_SHB, ...PCAPNG_IDB])],
  'ethernet-frame eCPRI + O-RAN C/U-plane': [ECPRI_ETH],
  'ethernet-frame PTP': [PTP_ETH],
  'diag-hdlc': [Uint8Array.from([0x10, 0x00])],
  qmdl2: [QMDL2_HEAD],
  dlf: [new Uint8Array(0)],
  'linuxptp-log': [new TextEncoder().encode('ptp4l[1234.567]: rms 12 max 30 freq -1234 +/- 5 delay 100 +/- 2\n')],
  'ue-event-log': [new TextEncoder().encode('2026-11-26 03:11:54.123 RRC connection re-establishment\n')],
  sniff: [PCAP_HEAD],
};

function inputs(target: FuzzTarget): fc.Arbitrary<Uint8Array> {
  const heads = HEADS[target.name] ?? [new Uint8Array(0)];
  const headed = fc
    .tuple(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 2048 }))
    .map(([h, tail]) => Uint8Array.from([...h, ...tail]));
  return fc.oneof(fc.uint8Array({ maxLength: 4096 }), headed);
}

describe('every reader and decoder takes any bytes: records or a located error, never a crash', () => {
  for (const target of FUZZ_TARGETS)
    it(target.name, () => {
      fc.assert(
        fc.property(inputs(target), (bytes) => {
          const err = runTarget(target, bytes);
          if (err !== undefined) throw err instanceof Error ? err : new Error(String(err));
          // Time: the best of three runs, so a GC pause or a busy shared host is not taken for a slow input.
          let ms = Infinity;
          for (let i = 0; i < 3 && ms >= LIMIT_FLOOR_MS; i++) {
            const t0 = performance.now();
            runTarget(target, bytes);
            ms = Math.min(ms, performance.now() - t0);
          }
          expect(ms).toBeLessThan(Math.max(LIMIT_FLOOR_MS, (MAX_MS_PER_MB * bytes.length) / 1e6));
        }),
        { numRuns: RUNS, seed: 17 },
      );
    });
});

describe('the fuzz harness', () => {
  it('reports an exception that is not a located capture error (a property that cannot fail proves nothing)', () => {
    const crashing: FuzzTarget = {
      name: 'crashing',
      seeds: [],
      run: () => {
        throw new TypeError('boom');
      },
    };
    expect(runTarget(crashing, new Uint8Array(1))).toBeInstanceOf(TypeError);
    expect(runTarget(FUZZ_TARGETS[0]!, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toBeUndefined();
  });

  it('gives every target a valid head, so random tails reach its record parsers', () => {
    expect(FUZZ_TARGETS.filter((t) => HEADS[t.name] === undefined).map((t) => t.name)).toEqual([]);
  });

  it('sorts frames by the decoder they reach, so each frame decoder is fuzzed with its own frames', () => {
    const ecpri = Uint8Array.from([...ECPRI_ETH, 0x00, 0x04, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]);
    expect(frameDecoderOf(ecpri)).toBe('ecpri');
    expect(frameDecoderOf(Uint8Array.from([...new Array(12).fill(0x02), 0x08, 0x00]))).toBe('other');
  });
});
