/**
 * The rows of the "detected beside the profile" table (issue 16, "auto-detected values shown beside the
 * profile's"): what the capture's packets showed (`summary.detected`, recorded by the capture analysis) next to
 * the value of the profile the file was analysed with (`summary.profile_settings`), flagged where they differ.
 */
export interface DetectedValues {
  scs_khz: number | null;
  scs_source: string | null;
  max_slot_id: number | null;
  max_prb: number | null;
  comp_methods: string[];
  iq_widths: number[];
  eaxc: Record<string, number[]>;
  timing_mode?: string | null;
  timing_reference_us?: Record<string, number>;
}

export interface ProfileSettings {
  name: string | null;
  scs_khz: number | null;
  nrb: number | null;
  comp_method: string | null;
  iq_width: number | null;
  timing_mode: string | null;
}

export interface DetectedRow {
  setting: string;
  detected: string;
  profile: string;
  /** The profile sets a value and the capture shows another. */
  differs: boolean;
  note?: string;
}

const NOT_SET = 'not set (inferred)';

export function detectedRows(d: DetectedValues, p: ProfileSettings | undefined): DetectedRow[] {
  const rows: DetectedRow[] = [];
  const prof = (v: number | string | null | undefined) => (v === null || v === undefined ? NOT_SET : String(v));
  rows.push({
    setting: 'Subcarrier spacing (kHz)',
    detected: d.scs_khz === null ? '—' : String(d.scs_khz),
    profile: prof(p?.scs_khz),
    differs: p?.scs_khz != null && d.scs_khz !== null && d.scs_khz !== p.scs_khz,
    ...(d.scs_source ? { note: d.scs_source } : {}),
  });
  // A section may stop short of the carrier's edge: NRB is at least the highest PRB + 1, never less.
  const nrbSeen = d.max_prb === null ? null : d.max_prb + 1;
  rows.push({
    setting: 'NRB (PRBs)',
    detected: nrbSeen === null ? '—' : `≥ ${nrbSeen}`,
    profile: prof(p?.nrb),
    differs: p?.nrb != null && nrbSeen !== null && nrbSeen > p.nrb,
    ...(d.max_prb !== null ? { note: `highest PRB seen: ${d.max_prb}` } : {}),
  });
  rows.push({
    setting: 'U-plane compression',
    detected: d.comp_methods.join(', ') || '—',
    profile: prof(p?.comp_method),
    differs: p?.comp_method != null && d.comp_methods.some((m) => m !== p.comp_method),
  });
  rows.push({
    setting: 'IQ width (bits)',
    detected: d.iq_widths.join(', ') || '—',
    profile: prof(p?.iq_width),
    differs: p?.iq_width != null && d.iq_widths.some((w) => w !== p.iq_width),
  });
  if (d.timing_mode) {
    const refs = Object.entries(d.timing_reference_us ?? {});
    rows.push({
      setting: 'Timing mode',
      detected: d.timing_mode,
      profile: prof(p?.timing_mode),
      // `auto` follows from an unset mode; a profile's mode is what the detector ran in.
      differs: false,
      ...(refs.length > 0
        ? { note: `relative reference learned: ${refs.map(([w, us]) => `${w} ${us.toFixed(1)} µs`).join(', ')}` }
        : {}),
    });
    for (const [w, us] of refs)
      rows.push({ setting: `Reference offset ${w} (µs)`, detected: us.toFixed(1), profile: '—', differs: false });
  }
  for (const [key, ids] of Object.entries(d.eaxc)) {
    const [plane, dir] = key.split('|');
    rows.push({
      setting: `eAxC ids, ${plane === 'c' ? 'C' : 'U'}-plane ${dir?.toUpperCase()}`,
      detected: ids.join(', '),
      profile: '—',
      differs: false,
    });
  }
  return rows;
}
