import { z } from 'zod';

const Window = z.tuple([z.number(), z.number()]);

/**
 * Analysis profile (`l1t analyze --profile FILE`, interfaces.md §Analysis profile).
 * Every object is strict: an unknown key is an error that names the key.
 */
export const Profile = z.strictObject({
  name: z.string().optional(),
  scs_khz: z.union([z.literal(15), z.literal(30), z.literal(60), z.literal(120), z.literal(240)]).optional(),
  nrb: z.number().int().min(1).max(275).optional(),
  eaxc_bits: z
    .strictObject({
      du_port: z.number().int().min(0).max(16),
      band_sector: z.number().int().min(0).max(16),
      cc: z.number().int().min(0).max(16),
      ru_port: z.number().int().min(0).max(16),
    })
    .refine((b) => b.du_port + b.band_sector + b.cc + b.ru_port === 16, 'eaxc_bits must add up to 16')
    .optional(),
  uplane: z
    .strictObject({
      comp_method: z
        .enum(['none', 'bfp', 'block_scaling', 'mu_law', 'modulation', 'bfp_selective_re', 'mod_selective_re'])
        .optional(),
      iq_width: z.number().int().min(1).max(16).optional(),
      comp_hdr: z.enum(['static', 'dynamic']).optional(),
    })
    .optional(),
  ecpri_udp_ports: z.array(z.number().int().min(1).max(65535)).optional(),
  thresholds: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  timing: z
    .strictObject({
      mode: z.enum(['absolute', 'relative', 'off']).optional(),
      utc_gps_offset_s: z.number().int().optional(),
      alpha_ns: z.number().int().optional(),
      beta_frames: z.number().int().optional(),
      windows_us: z
        .strictObject({
          dl_cplane: Window.optional(),
          dl_uplane: Window.optional(),
          ul_cplane: Window.optional(),
          ul_uplane: Window.optional(),
        })
        .optional(),
      ecpri_delay_budget_us: z.number().optional(),
    })
    .optional(),
  /** Memory bounds of the analysis of one file (detect/framework/README.md §Limits). */
  limits: z
    .strictObject({
      /** Fronthaul flows (link × eAxC × plane × direction) tracked at once; default 4096. */
      max_flows: z.number().int().min(1).max(1_000_000).optional(),
      /** A flow silent this long gives its place to a new one when the table is full; default 1000 ms. */
      flow_idle_evict_ms: z.number().min(0).optional(),
      /** Findings still open (bursts that may grow) at once; default 4096. */
      max_open_findings: z.number().int().min(16).max(1_000_000).optional(),
    })
    .optional(),
});
export type Profile = z.infer<typeof Profile>;

/** Wireshark's default eAxC split (DU port / band-sector / CC / RU port), ours too. */
export const DEFAULT_EAXC_BITS = { du_port: 2, band_sector: 6, cc: 4, ru_port: 4 } as const;

/** Turns a zod error into one line that names the offending key path. */
export function formatZodIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [...issue.path.map(String)];
      if (issue.code === 'unrecognized_keys') {
        return `unknown key ${issue.keys.map((k) => `'${[prefix, ...path, k].filter(Boolean).join('.')}'`).join(', ')}`;
      }
      const where = [prefix, ...path].filter(Boolean).join('.');
      return `${where || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses a profile document; throws an Error whose message names every bad or unknown key. */
export function parseProfile(doc: unknown): Profile {
  const result = Profile.safeParse(doc);
  if (!result.success) throw new Error(`invalid profile: ${formatZodIssues(result.error)}`);
  return result.data;
}
