/**
 * Structured findings attached to a decoded packet. Malformed input never throws: the decoders
 * record what they saw here (anomaly names from reference/anomalies.md) and carry on where safe.
 */
export type FindingType = 'ecpri_malformed' | 'oran_malformed';

/** Stable finding codes (one per rule), so detectors and tests can match without parsing text. */
export type FindingCode =
  | 'truncated'
  | 'payload_size_beyond_frame'
  | 'revision'
  | 'reserved_bits'
  | 'concatenation'
  | 'payload_too_short'
  | 'section_overrun'
  | 'section_count_mismatch'
  | 'ext_len_zero'
  | 'ext_len_overrun'
  | 'ext_len_wrong'
  | 'bfp_width_zero'
  | 'reserved_value'
  | 'section_type_direction'
  | 'unknown_section_type'
  | 'cplane_fragment'
  | 'ud_comp_len_mismatch'
  | 'payload_version'
  | 'trailing_bytes';

export interface Finding {
  type: FindingType;
  code: FindingCode;
  /** Byte offset inside the frame where the problem was seen. */
  byteOffset: number;
  /** The offending value (or 0 when the rule has none). */
  value: number;
}

/** A reusable finding list: `items[0 .. count)` are valid; the objects are pooled across packets. */
export class FindingList {
  readonly items: Finding[] = [];
  count = 0;

  reset(): void {
    this.count = 0;
  }

  add(type: FindingType, code: FindingCode, byteOffset: number, value = 0): void {
    let f = this.items[this.count];
    if (f === undefined) {
      f = { type, code, byteOffset, value };
      this.items.push(f);
    } else {
      f.type = type;
      f.code = code;
      f.byteOffset = byteOffset;
      f.value = value;
    }
    this.count++;
  }

  /** True when a finding with this code was recorded for the current packet. */
  has(code: FindingCode): boolean {
    for (let i = 0; i < this.count; i++) if (this.items[i]!.code === code) return true;
    return false;
  }

  /** Copies of the current findings (for output; not for the hot path). */
  toArray(): Finding[] {
    const out: Finding[] = [];
    for (let i = 0; i < this.count; i++) out.push({ ...this.items[i]! });
    return out;
  }
}
