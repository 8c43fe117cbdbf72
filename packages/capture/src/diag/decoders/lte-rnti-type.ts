/**
 * The RNTI type codes Qualcomm's LTE MAC and PDSCH logs use (SCAT's MAC map and MobileInsight's RNTIType
 * table agree): 0 C, 1 SPS-C, 2 P, 3 RA, 4 temporary C, 5 SI, 6 TPC-PUSCH, 7 TPC-PUCCH, 8 MBMS.
 */
const RNTI_TYPES: readonly string[] = ['C', 'SPS-C', 'P', 'RA', 'TC', 'SI', 'TPC-PUSCH', 'TPC-PUCCH', 'M'];

export function rntiTypeName(code: number): string {
  return RNTI_TYPES[code] ?? `type ${code}`;
}
