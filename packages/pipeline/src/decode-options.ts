import type { DecodeOptions } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';

/** Maps the analysis profile (interfaces.md) to the decoders' options; unset keys are inferred from the data. */
export function decodeOptionsFromProfile(profile: Profile | undefined): Partial<DecodeOptions> {
  if (!profile) return {};
  const o: Partial<DecodeOptions> = {};
  if (profile.eaxc_bits) {
    const b = profile.eaxc_bits;
    o.eaxcBits = { duPort: b.du_port, bandSector: b.band_sector, cc: b.cc, ruPort: b.ru_port };
  }
  const u = profile.uplane;
  if (u?.comp_method) o.compMethod = u.comp_method;
  // interfaces.md: with comp_method "none" the IQ width is 16 unless stated.
  if (u?.iq_width !== undefined) o.iqWidth = u.iq_width;
  else if (u?.comp_method === 'none') o.iqWidth = 16;
  if (u?.comp_hdr) o.compHdr = u.comp_hdr;
  if (profile.nrb !== undefined) o.nrb = profile.nrb;
  if (profile.ecpri_udp_ports) o.ecpriUdpPorts = [...profile.ecpri_udp_ports];
  return o;
}
