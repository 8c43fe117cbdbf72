import type { FronthaulConfig } from './fronthaul-config.js';
import { eaxcLabelKeys, radios } from './fronthaul-config.js';
import { UDP_SHIFT, ecpriFlowPrefix, ecpriUdpFlowPrefix, formatMac, parseIpv4, parseMac } from './fronthaul-frames.js';
import type { Prng } from './prng.js';
import { clockIdentityFromMac, clockIdentityHex } from './ptp-frames.js';
import type { Ev, LabelRef } from './synth-events.js';
import { EvFlag } from './synth-events.js';

/** Sender state of one flow (eAxC × plane × direction, or one PTP / delay-measurement stream). */
export interface FlowState {
  /** Next ecpriSeqid. */
  seq: number;
  /** seq_reorder: the id held back for the packet that arrives behind. */
  held: number;
  /** Absence labels waiting for the flow's next packet. */
  pending: LabelRef[];
  /** Flow keys of a label (anomaly `flow` object). */
  info: Record<string, string | number>;
  /** O-RU index of a fronthaul flow (0 for PTP and delay measurement). */
  ru: number;
}

export interface Stations {
  du: Uint8Array;
  ru: Uint8Array;
  master: Uint8Array;
  slave: Uint8Array;
  masterClock: Uint8Array;
  slaveClock: Uint8Array;
  gmClock: Uint8Array;
  /** ptp_competing_masters: a second master port and the grandmaster it announces (same quality). */
  rival: Uint8Array;
  rivalClock: Uint8Array;
  rivalGmClock: Uint8Array;
}

export interface FlowTable {
  flows: FlowState[];
  /** Per flow: Ethernet + VLAN + eCPRI header + PC_ID bytes (empty for PTP flows). */
  prefixes: Uint8Array[];
  /**
   * First flow index of [U dl, U ul, C dl, C ul] of O-RU 0; add the eAxC's index in its direction list,
   * and `ruStride` × the O-RU index.
   */
  flowBase: number[];
  ruStride: number;
  /** Sync + Follow_Up, Delay_Req, Delay_Resp, Announce, the rival master's Announce. */
  ptpFlow: number[];
  owdFlow: number;
  /** eCPRI one-way delay measurement prefixes: request (DU → RU), response (RU → DU). */
  owdPrefix: Uint8Array[];
  stations: Stations;
  /** Offset of the eCPRI header beyond its Ethernet position (18): 0, or 28 with IPv4/UDP. */
  shift: number;
}

/** The grandmaster behind the PTP master port (a T-BC one step away). */
const GM_MAC = Uint8Array.of(0x02, 0x9c, 0x00, 0x00, 0x00, 0x01);
/**
 * ptp_competing_masters: the rival master port and its grandmaster. The grandmaster identity is higher than
 * GM_MAC's, so with the same quality it loses the §9.3.4 identity tie-break (no grandmaster change).
 */
const RIVAL_MAC = Uint8Array.of(0x02, 0x9c, 0x00, 0x00, 0x00, 0xc1);
const RIVAL_GM_MAC = Uint8Array.of(0x02, 0x9c, 0x00, 0x00, 0x00, 0xc2);

export function buildFlowTable(cfg: FronthaulConfig, prng: Prng): FlowTable {
  const du = parseMac(cfg.macs.du);
  const ru0 = radios(cfg)[0] ?? { mac: cfg.macs.ru, vlan: cfg.vlan.id };
  const ru = parseMac(ru0.mac);
  const master = parseMac(cfg.macs.ptpMaster);
  const slave = parseMac(cfg.macs.ptpSlave);
  const stations: Stations = {
    du,
    ru,
    master,
    slave,
    masterClock: clockIdentityFromMac(master),
    slaveClock: clockIdentityFromMac(slave),
    gmClock: clockIdentityFromMac(GM_MAC),
    rival: RIVAL_MAC,
    rivalClock: clockIdentityFromMac(RIVAL_MAC),
    rivalGmClock: clockIdentityFromMac(RIVAL_GM_MAC),
  };
  const flows: FlowState[] = [];
  const prefixes: Uint8Array[] = [];
  const addFlow = (prefix: Uint8Array, info: Record<string, string | number>, ru = 0): number => {
    flows.push({ seq: prng.int(256), held: 0, pending: [], info, ru });
    prefixes.push(prefix);
    return flows.length - 1;
  };
  const udp = cfg.transport === 'udp';
  const duIp = parseIpv4(cfg.ips.du);
  const ruIp = parseIpv4(cfg.ips.ru);
  const prefix = (dst: Uint8Array, src: Uint8Array, type: number, pcId: number, vlanId = cfg.vlan.id): Uint8Array =>
    udp
      ? ecpriUdpFlowPrefix(
          dst,
          src,
          vlanId,
          cfg.vlan.pcp,
          src === du ? duIp : ruIp,
          src === du ? ruIp : duIp,
          cfg.udpPort,
          type,
          pcId,
        )
      : ecpriFlowPrefix(dst, src, vlanId, cfg.vlan.pcp, type, pcId);
  const nDl = cfg.eaxc.dl.length;
  const nUl = cfg.eaxc.ul.length;
  // one block of flows per O-RU, in the order of flowBase; the same eAxC ids on each radio's link
  radios(cfg).forEach((radio, r) => {
    const ruMac = r === 0 ? ru : parseMac(radio.mac);
    for (const [plane, type] of [
      ['u', 0],
      ['c', 2],
    ] as const) {
      for (const [dir, list] of [
        ['dl', cfg.eaxc.dl],
        ['ul', cfg.eaxc.ul],
      ] as const) {
        for (const id of list) {
          // the RU sends UL U-plane; the DU sends everything else (UL C-plane included)
          const fromRu = plane === 'u' && dir === 'ul';
          const src = fromRu ? ruMac : du;
          const dst = fromRu ? du : ruMac;
          const info = {
            eaxc: id,
            ...eaxcLabelKeys(id, cfg.eaxcBits),
            plane,
            direction: dir,
            src_mac: formatMac(src),
            dst_mac: formatMac(dst),
            vlan: radio.vlan,
          };
          addFlow(prefix(dst, src, type, id, radio.vlan), info, r);
        }
      }
    }
  });
  const masterPort = {
    plane: 's',
    ptp_port: `${clockIdentityHex(stations.masterClock)}-1`,
    src_mac: formatMac(master),
  };
  const slavePort = { plane: 's', ptp_port: `${clockIdentityHex(stations.slaveClock)}-1`, src_mac: formatMac(slave) };
  const none = new Uint8Array(0);
  const rivalPort = {
    plane: 's',
    ptp_port: `${clockIdentityHex(stations.rivalClock)}-1`,
    src_mac: formatMac(RIVAL_MAC),
  };
  const ptpFlow = [
    addFlow(none, masterPort),
    addFlow(none, slavePort),
    addFlow(none, masterPort),
    addFlow(none, masterPort),
  ];
  // eCPRI one-way delay measurement: between the O-DU and the first O-RU
  const owdFlow = addFlow(none, { src_mac: formatMac(du), dst_mac: formatMac(ru), vlan: ru0.vlan });
  // ptp_competing_masters' rival port: added last and without a draw from the PRNG (PTP flows use no
  // ecpriSeqid), so a capture without that fault is byte for byte what it was before the fault existed.
  flows.push({ seq: 0, held: 0, pending: [], info: rivalPort, ru: 0 });
  prefixes.push(none);
  ptpFlow.push(flows.length - 1);
  return {
    flows,
    prefixes,
    flowBase: [0, nDl, nDl + nUl, 2 * nDl + nUl],
    ruStride: 2 * (nDl + nUl),
    ptpFlow,
    owdFlow,
    owdPrefix: [prefix(ru, du, 5, 0, ru0.vlan), prefix(du, ru, 5, 0, ru0.vlan)],
    stations,
    shift: udp ? UDP_SHIFT : 0,
  };
}

/** The ecpriSeqid of the flow's next written packet (modulo 256), applying the sequence faults. */
export function nextSeq(fs: FlowState, ev: Ev): number {
  const f = ev.flags;
  if (f & EvFlag.SEQ_REUSE) return (fs.seq - 1) & 0xff;
  if (f & EvFlag.SEQ_SKIP) fs.seq = (fs.seq + ev.seqArg) & 0xff;
  if (f & EvFlag.REORDER_LEAD) {
    // sent as s, s+1; seen as s+1, s
    const s = (fs.seq + 1) & 0xff;
    fs.held = fs.seq;
    fs.seq = (fs.seq + 2) & 0xff;
    return s;
  }
  if (f & EvFlag.REORDER_LAG) return fs.held;
  const s = fs.seq;
  fs.seq = (s + 1) & 0xff;
  return s;
}
