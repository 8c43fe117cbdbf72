import { formatMac, ptpIdentityHex, type DecodedPacket } from '@l1t/capture';
import type { FlowKey } from '@l1t/contracts';

/**
 * PTP ports (IEEE 1588-2019 §7.5.2: sourcePortIdentity = clockIdentity + portNumber) per domain, for
 * the timing detectors. Lookup compares the identity halves the decoder keeps as numbers: no string
 * and no allocation per message; a port's text id and flow key are built once, when it is first seen.
 */
export class PtpPort<S> {
  /** `0xc45ab1ffff3a1b05:14` (clockIdentity as Wireshark prints it, then the port number). */
  readonly id: string;
  readonly flowKey: FlowKey;
  constructor(
    readonly clockHi: number,
    readonly clockLo: number,
    readonly port: number,
    readonly domain: number,
    readonly state: S,
    p: DecodedPacket,
  ) {
    this.id = `${ptpIdentityHex(clockHi, clockLo)}:${port}`;
    const f: FlowKey = { plane: 's', ptp_port: this.id };
    const src = formatMac(p.data, p.link.srcMacOffset);
    if (src !== undefined) f.src_mac = src;
    const vlan = p.link.vlanIds[0];
    if (p.link.vlanIds.length > 0 && vlan !== undefined) f.vlan = vlan;
    this.flowKey = f;
  }
}

/** Bound on tracked ports per detector (a hostile capture cannot grow the table without limit). */
export const MAX_PTP_PORTS = 1024;

export class PtpPortTable<S> {
  readonly ports: PtpPort<S>[] = [];

  constructor(private readonly makeState: () => S) {}

  /**
   * The port that sent `p` (a valid PTP message), created on first sight; undefined when the table is full.
   * The search of {@link find}, reading the identity from the message: passed as arguments to a call the
   * compiler did not inline, a clockIdentity half above 2^31 is boxed into a new heap number, two per call
   * (the message-gap detectors: 129 → 43 MB of the ~950 MB analyzeFile() allocated on the bench:analyze PTP
   * repeat; issue 14).
   */
  sender(p: DecodedPacket): PtpPort<S> | undefined {
    const m = p.ptp;
    const ports = this.ports;
    for (let i = 0; i < ports.length; i++) {
      const x = ports[i]!;
      if (
        x.clockLo === m.clockIdentityLo &&
        x.clockHi === m.clockIdentityHi &&
        x.port === m.sourcePort &&
        x.domain === m.domainNumber
      )
        return x;
    }
    return this.add(m.clockIdentityHi, m.clockIdentityLo, m.sourcePort, m.domainNumber, p);
  }

  find(hi: number, lo: number, port: number, domain: number, p: DecodedPacket | undefined): PtpPort<S> | undefined {
    const ports = this.ports;
    for (let i = 0; i < ports.length; i++) {
      const x = ports[i]!;
      if (x.clockLo === lo && x.clockHi === hi && x.port === port && x.domain === domain) return x;
    }
    return p === undefined ? undefined : this.add(hi, lo, port, domain, p);
  }

  /** A port not in the table, created from `p` unless the table is full. */
  private add(hi: number, lo: number, port: number, domain: number, p: DecodedPacket): PtpPort<S> | undefined {
    if (this.ports.length >= MAX_PTP_PORTS) return undefined;
    const created = new PtpPort(hi, lo, port, domain, this.makeState(), p);
    this.ports.push(created);
    return created;
  }
}

/** 2^log for log −10..10, looked up: `2 ** log` is a runtime pow call, and this runs several times per PTP message. */
const INTERVAL_S = Float64Array.from({ length: 21 }, (_, i) => 2 ** (i - 10));

/** Seconds of 2^logInterval; undefined for 0x7F ("not specified", §13.3.2.14) and absurd values. */
export function intervalSeconds(logInterval: number): number | undefined {
  if (logInterval === 0x7f || logInterval < -10 || logInterval > 10) return undefined;
  // A decoded logMessageInterval is an Integer8; a fractional one (not from the decoder) misses the table.
  return INTERVAL_S[logInterval + 10] ?? 2 ** logInterval;
}

/** True for a decoded PTP message. */
export function isPtp(p: DecodedPacket): boolean {
  return p.kind === 'ptp' && p.ptp.valid;
}
