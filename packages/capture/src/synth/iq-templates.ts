import type { FronthaulConfig } from './fronthaul-config.js';
import { compressCarrier, generateSymbolSamples, prbBytes } from './iq.js';
import type { Prng } from './prng.js';

export type SpecialIq = 'zero' | 'saturated' | 'low';

/**
 * Pre-compressed whole-carrier U-plane payloads. The fast path copies a slice of one template per
 * packet instead of generating and compressing IQ per symbol; faults swap in special templates
 * (all-zero, clipped, attenuated), built once on first use.
 */
export class IqTemplateBank {
  private readonly normal: Uint8Array[][];
  private readonly special = new Map<string, Uint8Array[]>();

  constructor(
    private readonly cfg: FronthaulConfig,
    private readonly prng: Prng,
  ) {
    this.normal = [0, 1].map(() =>
      Array.from({ length: Math.max(1, cfg.templates) }, () =>
        compressCarrier(generateSymbolSamples(prng, cfg.nrb, cfg.signal), cfg.nrb, cfg.comp),
      ),
    );
  }

  /** A random normal template of a direction (0 DL, 1 UL). */
  pick(dir: number): Uint8Array {
    const set = this.normal[dir] ?? this.normal[0] ?? [];
    return set[this.prng.int(set.length)] ?? new Uint8Array(0);
  }

  /**
   * A template for a fault: `zero` (all PRBs zero), `saturated` (`param` = share of clipped PRBs),
   * `low` (attenuated by `param` dB).
   */
  pickSpecial(kind: SpecialIq, dir: number, param: number): Uint8Array {
    const key = `${kind}/${dir}/${param}`;
    let set = this.special.get(key);
    if (!set) {
      const { nrb, signal, comp } = this.cfg;
      if (kind === 'zero') set = [new Uint8Array(nrb * prbBytes(comp))];
      else if (kind === 'saturated') {
        set = Array.from({ length: 4 }, () =>
          compressCarrier(generateSymbolSamples(this.prng, nrb, signal, param), nrb, comp),
        );
      } else {
        const scale = 10 ** (-param / 20);
        set = Array.from({ length: 4 }, () =>
          compressCarrier(generateSymbolSamples(this.prng, nrb, signal), nrb, comp, scale),
        );
      }
      this.special.set(key, set);
    }
    return set[this.prng.int(set.length)] ?? new Uint8Array(0);
  }
}
