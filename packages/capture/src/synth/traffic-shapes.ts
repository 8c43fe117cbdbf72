import type { FronthaulConfig, FronthaulConfigInput } from './fronthaul-config.js';

/**
 * Named traffic shapes of `l1t synth fronthaul --shape NAME`: each a set of generator settings that
 * models one kind of deployment a detector must handle. `default` is the generator's own default (the
 * output of earlier versions, byte for byte). Options given beside a shape (duration, SCS, NRB, eAxC…)
 * override it.
 */
export const TRAFFIC_SHAPES = [
  'default',
  'concat',
  'two-ru-mac',
  'two-ru-vlan',
  'mu0',
  'mu1',
  'mu2',
  'mu3',
  'uncompressed-dynamic',
  'udp',
  'multi-interface',
] as const;

export type TrafficShape = (typeof TRAFFIC_SHAPES)[number];

/** A second O-RU for the two-radio shapes (locally administered MAC). */
const SECOND_RU_MAC = '02:0a:00:00:00:02';

const SHAPES: Record<TrafficShape, { description: string; config: FronthaulConfigInput }> = {
  default: { description: 'one O-RU, Ethernet, BFP 9-bit static, 30 kHz, pcap', config: {} },
  concat: {
    description:
      'several O-RAN messages per eCPRI PDU (eCPRI v2.0 §3.1.3.1, C = 1 on all but the last): each burst of one plane, direction and radio shares frames up to the MTU',
    // carrier split in parts of ≤ 68 PRBs so that several messages fit a 9000-byte frame even at 273 PRBs
    config: { concat: 8, maxPrbPerPacket: 68 },
  },
  'two-ru-mac': {
    description: 'two O-RUs behind one capture point, same eAxC ids and VLAN, different MAC addresses',
    config: {
      rus: [
        { mac: '02:0a:00:00:00:01', vlan: 100 },
        { mac: SECOND_RU_MAC, vlan: 100 },
      ],
    },
  },
  'two-ru-vlan': {
    description: 'two O-RUs behind one capture point, same eAxC ids and MAC addresses, different VLANs',
    config: {
      rus: [
        { mac: '02:0a:00:00:00:01', vlan: 100 },
        { mac: '02:0a:00:00:00:01', vlan: 101 },
      ],
    },
  },
  // The numerology shapes end the capture mid-flight ('cut'): the C-plane leads its slot by up to its
  // window's advance (1 ms = 8 slots at μ = 3), so a capture ending on whole slots would leave the C-plane
  // silent for several slots before the end, which no real capture shows.
  mu0: {
    description: 'numerology 0: 15 kHz SCS, 1 slot per subframe (TS 38.211 §4.3.2)',
    config: { scsKhz: 15, tail: 'cut' },
  },
  mu1: { description: 'numerology 1: 30 kHz SCS, 2 slots per subframe', config: { scsKhz: 30, tail: 'cut' } },
  mu2: { description: 'numerology 2: 60 kHz SCS, 4 slots per subframe', config: { scsKhz: 60, tail: 'cut' } },
  mu3: {
    description: 'numerology 3: 120 kHz SCS, 8 slots per subframe (FR2: 66 PRBs = 100 MHz)',
    config: { scsKhz: 120, nrb: 66, tail: 'cut' },
  },
  'uncompressed-dynamic': {
    description:
      'uncompressed 16-bit IQ (udCompMeth 0) with a udCompHdr in every U-plane section (iqWidth 16 encoded as 0, CUS §6.3.3.13)',
    config: { comp: { method: 'none', iqWidth: 16 }, compHdr: 'dynamic' },
  },
  udp: {
    description: 'eCPRI over IPv4/UDP to port 50001 (the profile lists it in ecpri_udp_ports)',
    config: { transport: 'udp', udpPort: 50001 },
  },
  'multi-interface': {
    description:
      'pcapng with two interfaces: O-DU frames on IDB 0 (if_tsresol 9, ns), O-RU frames on IDB 1 (if_tsresol 6, µs)',
    config: { format: 'pcapng', interfaces: 'by-direction' },
  },
};

export function isTrafficShape(name: string): name is TrafficShape {
  return (TRAFFIC_SHAPES as readonly string[]).includes(name);
}

/** One line per shape, for help texts. */
export function describeShape(shape: TrafficShape): string {
  return SHAPES[shape].description;
}

/** Generator settings of a shape with `overrides` on top (nested objects replaced, not merged). */
export function shapeConfig(shape: TrafficShape, overrides: FronthaulConfigInput = {}): FronthaulConfigInput {
  return { ...SHAPES[shape].config, ...overrides };
}

/** The analysis profile (interfaces.md §Analysis profile, JSON keys) that states what a capture carries. */
export interface SynthProfile {
  name: string;
  scs_khz: number;
  nrb: number;
  eaxc_bits: { du_port: number; band_sector: number; cc: number; ru_port: number };
  uplane: { comp_method: 'none' | 'bfp'; iq_width: number; comp_hdr: 'static' | 'dynamic' };
  ecpri_udp_ports?: number[];
  timing: {
    mode: 'absolute' | 'relative';
    utc_gps_offset_s: number;
    alpha_ns: number;
    beta_frames: number;
    windows_us: Record<'dl_cplane' | 'dl_uplane' | 'ul_cplane' | 'ul_uplane', [number, number]>;
    ecpri_delay_budget_us: number;
  };
}

/**
 * The profile of a generated capture: numerology, carrier, eAxC split, U-plane format, eCPRI UDP port
 * (with the UDP transport), windows and radio timing; absolute timing unless the capture clock is
 * offset (`captureClockOffsetNs` ≠ 0: relative mode).
 */
export function profileForSynth(cfg: FronthaulConfig, name = 'synth'): SynthProfile {
  const w = cfg.windowsUs;
  const b = cfg.eaxcBits;
  return {
    name,
    scs_khz: cfg.scsKhz,
    nrb: cfg.nrb,
    eaxc_bits: { du_port: b.duPort, band_sector: b.bandSector, cc: b.cc, ru_port: b.ruPort },
    uplane: { comp_method: cfg.comp.method, iq_width: cfg.comp.iqWidth, comp_hdr: cfg.compHdr },
    ...(cfg.transport === 'udp' ? { ecpri_udp_ports: [cfg.udpPort] } : {}),
    timing: {
      mode: cfg.captureClockOffsetNs === 0 ? 'absolute' : 'relative',
      utc_gps_offset_s: cfg.leapSeconds,
      alpha_ns: cfg.alphaNs,
      beta_frames: cfg.betaFrames,
      windows_us: {
        dl_cplane: [w.dl_cplane[0], w.dl_cplane[1]],
        dl_uplane: [w.dl_uplane[0], w.dl_uplane[1]],
        ul_cplane: [w.ul_cplane[0], w.ul_cplane[1]],
        ul_uplane: [w.ul_uplane[0], w.ul_uplane[1]],
      },
      ecpri_delay_budget_us: cfg.ecpriDelay.budgetUs,
    },
  };
}
