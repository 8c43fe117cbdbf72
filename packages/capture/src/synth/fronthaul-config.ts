import type { CompMethod, SignalOptions } from './iq.js';
import { DEFAULT_SIGNAL, prbBytes } from './iq.js';
import { parseMac } from './fronthaul-frames.js';
import { numerology } from './radio-time.js';

export type WindowUs = readonly [number, number];

export interface WindowsUs {
  /** Advance [min, max] µs before the air time of the section's first symbol. */
  dl_cplane: WindowUs;
  /** Advance [min, max] µs before the symbol's air time. */
  dl_uplane: WindowUs;
  ul_cplane: WindowUs;
  /** Delay [min, max] µs after the symbol's air time. */
  ul_uplane: WindowUs;
}

/** One O-RU behind the capture point: its MAC and the VLAN its fronthaul runs on. */
export interface RuConfig {
  mac: string;
  vlan: number;
}

/** pcapng interface of the generated capture: name and timestamp resolution (if_tsresol, 10^-n s). */
export interface CaptureInterface {
  name: string;
  /** Decimal exponent of the timestamp unit: 9 = ns, 6 = µs (pcapng §4.2 if_tsresol, MSB clear). */
  tsresol: number;
}

export interface EaxcBitsConfig {
  duPort: number;
  bandSector: number;
  cc: number;
  ruPort: number;
}

/** Configuration of `synthFronthaul`. Every field has a default (see `DEFAULT_FRONTHAUL_CONFIG`). */
export interface FronthaulConfig {
  scsKhz: number;
  nrb: number;
  /** eAxC ids (ecpriPcid values) per direction. */
  eaxc: { dl: number[]; ul: number[] };
  eaxcBits: EaxcBitsConfig;
  comp: { method: CompMethod; iqWidth: number };
  /**
   * U-plane udCompHdr: 'static' (absent; the profile's method and width apply) or 'dynamic' (each
   * section carries udCompHdr + a reserved byte, CUS §6.3.3.13). Wireshark 4.0 with its
   * `ud_comp_hdr_up/down` preferences decodes it for uncompressed IQ but reports BFP sections malformed.
   */
  compHdr: 'static' | 'dynamic';
  /** UL C-plane udCompHdr: 'explicit' announces the U-plane format; 'zero' means "as configured". */
  ulCompHdr: 'explicit' | 'zero';
  windowsUs: WindowsUs;
  /** Where inside each window the nominal send/arrival time sits (0 = min bound, 1 = max). */
  windowPosition: number;
  /** Uniform jitter of each symbol burst, ± µs. */
  jitterUs: number;
  /** Link rate used to space back-to-back packets, Gbit/s. */
  linkGbps: number;
  ptp: boolean;
  /** PTP domain (G.8275.1: 24..43). */
  ptpDomain: number;
  /** Mean path delay master ↔ capture point, ns. */
  ptpPathDelayNs: number;
  /** eCPRI one-way delay measurements (message type 5): rate (per s, 0 = off) and the nominal delay. */
  ecpriDelay: { ratePerS: number; delayUs: number; budgetUs: number };
  durationS: number;
  /** Capture start, Unix epoch ns (UTC). */
  startTimeNs: bigint;
  /** PRBs per U-plane packet; a symbol's carrier is split into equal parts (≤ 255 each when split). */
  maxPrbPerPacket: number;
  /** Ethernet MTU, bytes (limits `maxPrbPerPacket`). */
  mtu: number;
  /** Radio frame timing (CUS §9.7.2). */
  leapSeconds: number;
  alphaNs: number;
  betaFrames: number;
  vlan: { id: number; pcp: number };
  /**
   * O-RUs behind the capture point, all served by one O-DU (`macs.du`) with the same eAxC ids. Empty (the
   * default): one O-RU at `macs.ru` on `vlan.id`. Two or more model radios that reuse eAxC ids and differ
   * only by MAC and/or VLAN, so a flow is identified by link + eAxC, not eAxC alone. Faults pick a radio
   * with `ru=N` (index in this list); their labels name it by `src_mac`/`dst_mac`/`vlan`.
   */
  rus: RuConfig[];
  /**
   * Most O-RAN messages per eCPRI PDU (eCPRI v2.0 §3.1.3.1: C bit = 1 on all but the last message). 1 (the
   * default): one message per frame. More: the messages of one burst (one plane, direction and radio, sent
   * back to back) share a frame while it stays within `mtu`, each with its own eAxC and ecpriSeqid.
   */
  concat: number;
  /**
   * pcapng only: 'single' (one interface, ns, the default) or 'by-direction': frames the O-DU sends (and
   * PTP) on interface 0 `du-tx` (if_tsresol 9, ns), frames the O-RU sends (UL U-plane, delay responses)
   * on interface 1 `ru-tx` (if_tsresol 6, µs: timestamps truncated to the microsecond, as such a capture
   * card would).
   */
  interfaces: 'single' | 'by-direction';
  /**
   * End of the capture: 'whole-slots' (the default) ends with the last slot whose UL U-plane fits, so the
   * C-plane of later slots (sent up to its window's advance ahead) is absent; 'cut' stops mid-flight at
   * `durationS` as a real capture does: C-plane of the next slots present, their U-plane cut.
   */
  tail: 'whole-slots' | 'cut';
  /**
   * eCPRI transport: 'ethernet' (Ethertype 0xAEFE, the O-RAN 7.2x common case) or 'udp' (IPv4/UDP to
   * `udpPort`, which a profile must then list in `ecpri_udp_ports`). PTP stays on Ethernet.
   */
  transport: 'ethernet' | 'udp';
  udpPort: number;
  ips: { du: string; ru: string };
  macs: { du: string; ru: string; ptpMaster: string; ptpSlave: string };
  signal: SignalOptions;
  /** Distinct pre-compressed symbol payloads per direction. */
  templates: number;
  /**
   * Error of the capture clock, ns, added to every capture timestamp (0 = PTP/GPS-disciplined). A
   * non-zero value models a capture that needs the relative timing mode; PTP then shows it as the
   * slave offset.
   */
  captureClockOffsetNs: number;
  /** Output container. */
  format: 'pcap' | 'pcapng';
  /** pcap: nanosecond timestamps (default) or microseconds. */
  nanosecond: boolean;
  /** Size of each produced chunk, bytes. */
  chunkBytes: number;
}

/** The reception windows of the example profile (interfaces.md), µs. */
export const DEFAULT_WINDOWS_US: WindowsUs = Object.freeze({
  dl_cplane: [250, 1000] as const,
  dl_uplane: [50, 400] as const,
  ul_cplane: [250, 1000] as const,
  ul_uplane: [0, 300] as const,
});

/** 2026-01-01T00:00:00Z */
export const DEFAULT_START_TIME_NS = 1_767_225_600_000_000_000n;

const DEFAULTS: FronthaulConfig = {
  scsKhz: 30,
  nrb: 273,
  eaxc: { dl: [0, 1, 2, 3], ul: [0, 1] },
  eaxcBits: { duPort: 2, bandSector: 6, cc: 4, ruPort: 4 },
  comp: { method: 'bfp', iqWidth: 9 },
  compHdr: 'static',
  ulCompHdr: 'explicit',
  windowsUs: DEFAULT_WINDOWS_US,
  windowPosition: 0.4,
  jitterUs: 2,
  linkGbps: 25,
  ptp: true,
  ptpDomain: 24,
  ptpPathDelayNs: 1200,
  ecpriDelay: { ratePerS: 0, delayUs: 20, budgetUs: 100 },
  durationS: 1,
  startTimeNs: DEFAULT_START_TIME_NS,
  maxPrbPerPacket: 0,
  mtu: 9000,
  leapSeconds: 18,
  alphaNs: 0,
  betaFrames: 0,
  vlan: { id: 100, pcp: 7 },
  rus: [],
  concat: 1,
  interfaces: 'single',
  tail: 'whole-slots',
  transport: 'ethernet',
  udpPort: 50001,
  ips: { du: '192.168.100.1', ru: '192.168.100.2' },
  macs: {
    du: '02:0d:00:00:00:01',
    ru: '02:0a:00:00:00:01',
    ptpMaster: '02:9c:00:00:00:fe',
    ptpSlave: '02:0d:00:00:00:02',
  },
  signal: DEFAULT_SIGNAL,
  templates: 16,
  captureClockOffsetNs: 0,
  format: 'pcap',
  nanosecond: true,
  chunkBytes: 4 << 20,
};

/** Defaults: 100 MHz at 30 kHz (273 PRB), 4 DL + 2 UL eAxC, BFP 9, PTP on, 1 s from 2026-01-01. */
export const DEFAULT_FRONTHAUL_CONFIG: Readonly<FronthaulConfig> = Object.freeze(DEFAULTS);

export type FronthaulConfigInput = Partial<
  Omit<
    FronthaulConfig,
    | 'eaxc'
    | 'comp'
    | 'windowsUs'
    | 'ecpriDelay'
    | 'vlan'
    | 'macs'
    | 'signal'
    | 'eaxcBits'
    | 'startTimeNs'
    | 'ips'
    | 'rus'
  >
> & {
  /** Unix epoch ns (bigint or integer number), or an ISO-8601 UTC date string. */
  startTimeNs?: bigint | number | string;
  eaxc?: Partial<FronthaulConfig['eaxc']>;
  eaxcBits?: Partial<EaxcBitsConfig>;
  comp?: Partial<FronthaulConfig['comp']>;
  windowsUs?: Partial<WindowsUs>;
  ecpriDelay?: Partial<FronthaulConfig['ecpriDelay']>;
  vlan?: Partial<FronthaulConfig['vlan']>;
  macs?: Partial<FronthaulConfig['macs']>;
  ips?: Partial<FronthaulConfig['ips']>;
  signal?: Partial<SignalOptions>;
  rus?: readonly RuConfig[];
};

function toEpochNs(v: bigint | number | string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) && !Number.isInteger(v)) throw new RangeError('startTimeNs must be an integer');
    return BigInt(v);
  }
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(v);
  const ms = m ? Date.parse(`${m[1]}Z`) : NaN;
  if (!m || Number.isNaN(ms)) throw new RangeError(`startTimeNs: bad UTC date "${v}"`);
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

/** Fills defaults and validates; throws RangeError naming the bad field. */
export function resolveFronthaulConfig(input: FronthaulConfigInput = {}): FronthaulConfig {
  const d = DEFAULT_FRONTHAUL_CONFIG;
  const comp = { ...d.comp, ...input.comp };
  if (input.comp?.method === 'none' && input.comp.iqWidth === undefined) comp.iqWidth = 16;
  const cfg: FronthaulConfig = {
    ...d,
    ...input,
    startTimeNs: toEpochNs(input.startTimeNs ?? d.startTimeNs),
    eaxc: { dl: [...(input.eaxc?.dl ?? d.eaxc.dl)], ul: [...(input.eaxc?.ul ?? d.eaxc.ul)] },
    eaxcBits: { ...d.eaxcBits, ...input.eaxcBits },
    comp,
    windowsUs: { ...d.windowsUs, ...input.windowsUs },
    ecpriDelay: { ...d.ecpriDelay, ...input.ecpriDelay },
    vlan: { ...d.vlan, ...input.vlan },
    macs: { ...d.macs, ...input.macs },
    ips: { ...d.ips, ...input.ips },
    signal: { ...d.signal, ...input.signal },
    rus: (input.rus ?? d.rus).map((r) => ({ ...r })),
  };
  numerology(cfg.scsKhz);
  if (!Number.isInteger(cfg.nrb) || cfg.nrb < 1 || cfg.nrb > 1023)
    throw new RangeError(`nrb must be 1..1023 (got ${cfg.nrb})`);
  if (!Number.isInteger(comp.iqWidth) || comp.iqWidth < 1 || comp.iqWidth > 16)
    throw new RangeError(`comp.iqWidth must be 1..16`);
  if (comp.method !== 'bfp' && comp.method !== 'none') throw new RangeError(`comp.method must be none or bfp`);
  const b = cfg.eaxcBits;
  if (b.duPort + b.bandSector + b.cc + b.ruPort !== 16) throw new RangeError('eaxcBits must sum to 16');
  for (const id of [...cfg.eaxc.dl, ...cfg.eaxc.ul]) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new RangeError(`bad eAxC id ${id}`);
  }
  if (cfg.eaxc.dl.length + cfg.eaxc.ul.length === 0) throw new RangeError('no eAxC configured');
  for (const [k, w] of Object.entries(cfg.windowsUs)) {
    if (!Array.isArray(w) || w.length !== 2 || !(w[0] <= w[1]))
      throw new RangeError(`windowsUs.${k} must be [min, max]`);
  }
  if (cfg.compHdr !== 'static' && cfg.compHdr !== 'dynamic') throw new RangeError('compHdr must be static or dynamic');
  if (cfg.transport !== 'ethernet' && cfg.transport !== 'udp')
    throw new RangeError('transport must be ethernet or udp');
  if (!Number.isInteger(cfg.udpPort) || cfg.udpPort < 1 || cfg.udpPort > 65535)
    throw new RangeError('udpPort must be 1..65535');
  const links = new Set<string>();
  for (const [i, r] of radios(cfg).entries()) {
    parseMac(r.mac);
    if (!Number.isInteger(r.vlan) || r.vlan < 0 || r.vlan > 4095)
      throw new RangeError(`rus[${i}].vlan must be 0..4095`);
    const key = `${r.mac.toLowerCase()}/${r.vlan}`;
    if (links.has(key)) throw new RangeError(`rus[${i}]: MAC ${r.mac} on VLAN ${r.vlan} is used twice`);
    links.add(key);
  }
  if (!Number.isInteger(cfg.concat) || cfg.concat < 1 || cfg.concat > 64) throw new RangeError('concat must be 1..64');
  if (cfg.tail !== 'whole-slots' && cfg.tail !== 'cut') throw new RangeError('tail must be whole-slots or cut');
  if (cfg.interfaces !== 'single' && cfg.interfaces !== 'by-direction')
    throw new RangeError('interfaces must be single or by-direction');
  if (!(cfg.durationS > 0)) throw new RangeError('durationS must be > 0');
  if (cfg.chunkBytes < 65536) throw new RangeError('chunkBytes must be ≥ 65536');
  return cfg;
}

/** The O-RUs of the capture: `rus`, or the single O-RU of `macs.ru` on `vlan.id`. */
export function radios(cfg: FronthaulConfig): RuConfig[] {
  return cfg.rus.length > 0 ? cfg.rus : [{ mac: cfg.macs.ru, vlan: cfg.vlan.id }];
}

/** PRBs per U-plane packet and the number of packets per symbol. */
export function prbSplit(cfg: FronthaulConfig): { perPacket: number; parts: number } {
  const size = prbBytes(cfg.comp);
  const overhead = 16 + (cfg.transport === 'udp' ? 28 : 0) + (cfg.compHdr === 'dynamic' ? 2 : 0);
  const byMtu = Math.floor((cfg.mtu - overhead) / size);
  let max = Math.min(cfg.maxPrbPerPacket > 0 ? cfg.maxPrbPerPacket : cfg.nrb, byMtu, cfg.nrb);
  if (max < 1) throw new RangeError('MTU too small for one PRB');
  // numPrbu is 8 bits; 0 means "all PRBs", usable only when one section carries the whole carrier
  if (max < cfg.nrb) max = Math.min(max, 255);
  const parts = Math.ceil(cfg.nrb / max);
  const perPacket = Math.ceil(cfg.nrb / parts);
  return { perPacket, parts };
}

/** Splits an eAxC id into DU port / band-sector / CC / RU port. */
export function eaxcLabelKeys(
  id: number,
  bits: EaxcBitsConfig,
): { du_port: number; band_sector: number; cc: number; ru_port: number } {
  const ru = id & ((1 << bits.ruPort) - 1);
  const cc = (id >> bits.ruPort) & ((1 << bits.cc) - 1);
  const bs = (id >> (bits.ruPort + bits.cc)) & ((1 << bits.bandSector) - 1);
  const du = (id >> (bits.ruPort + bits.cc + bits.bandSector)) & ((1 << bits.duPort) - 1);
  return { du_port: du, band_sector: bs, cc, ru_port: ru };
}
