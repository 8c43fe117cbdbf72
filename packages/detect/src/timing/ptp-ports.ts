import { formatMac, ptpIdentityHex, type DecodedPacket, type PtpMessage } from '@l1t/capture';
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

/** Bound on the ports of {@link PtpSenderSlots}; a message from a port beyond it gets no slot. */
export const MAX_SENDER_SLOTS = 4096;

/**
 * The sending ports (sourcePortIdentity + domainNumber, as {@link PtpPortTable} tells ports apart) of one
 * analysis, each given a slot — its index here — once: the detector driver looks the sender of each valid PTP
 * message up here and writes the slot into the message (PtpMessage.senderSlot), and every timing detector's
 * {@link PtpPortTable} then finds its own port by that index. Before, each of the ~12 tables compared
 * identities on every message it saw (issue 14). Beyond {@link MAX_SENDER_SLOTS} ports a message gets -1 and
 * the tables compare identities as before: the same port either way.
 */
export class PtpSenderSlots {
  private hi = new Uint32Array(16);
  private lo = new Uint32Array(16);
  /** portNumber · 256 + domainNumber (16 + 8 bits). */
  private portDomain = new Int32Array(16);
  private count = 0;
  /** The slot found last: most messages come from the port of the message before. */
  private last = -1;

  /** Sets `m.senderSlot` (m: a valid PTP message). */
  assign(m: PtpMessage): void {
    const hi = m.clockIdentityHi;
    const lo = m.clockIdentityLo;
    const pd = m.sourcePort * 256 + m.domainNumber;
    const last = this.last;
    if (last >= 0 && this.lo[last] === lo && this.hi[last] === hi && this.portDomain[last] === pd) {
      m.senderSlot = last;
      return;
    }
    const n = this.count;
    for (let i = 0; i < n; i++) {
      if (this.lo[i] === lo && this.hi[i] === hi && this.portDomain[i] === pd) {
        this.last = i;
        m.senderSlot = i;
        return;
      }
    }
    if (n >= MAX_SENDER_SLOTS) {
      m.senderSlot = -1;
      return;
    }
    if (n === this.hi.length) {
      this.hi = grown(this.hi, new Uint32Array(2 * n));
      this.lo = grown(this.lo, new Uint32Array(2 * n));
      this.portDomain = grown(this.portDomain, new Int32Array(2 * n));
    }
    this.hi[n] = hi;
    this.lo[n] = lo;
    this.portDomain[n] = pd;
    this.count = n + 1;
    this.last = n;
    m.senderSlot = n;
  }
}

function grown<T extends Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export class PtpPortTable<S> {
  readonly ports: PtpPort<S>[] = [];
  /** This table's port of each sender slot ({@link PtpSenderSlots}) it has looked up. */
  private readonly bySlot: (PtpPort<S> | undefined)[] = [];

  constructor(private readonly makeState: () => S) {}

  /**
   * The port that sent `p` (a valid PTP message), created on first sight; undefined when the table is full.
   * By the message's sender slot when the driver gave it one (the same port the search finds: a slot stands
   * for one identity, and the table's port of it is remembered only once found or created here); else the
   * search of {@link find}, reading the identity from the message: passed as arguments to a call the
   * compiler did not inline, a clockIdentity half above 2^31 is boxed into a new heap number, two per call
   * (the message-gap detectors: 129 → 43 MB of the ~950 MB analyzeFile() allocated on the bench:analyze PTP
   * repeat; issue 14).
   */
  sender(p: DecodedPacket): PtpPort<S> | undefined {
    const m = p.ptp;
    const slot = m.senderSlot;
    if (slot >= 0) {
      const known = this.bySlot[slot];
      if (known !== undefined) return known;
      const x = this.search(m, p);
      if (x !== undefined) this.bySlot[slot] = x;
      return x;
    }
    return this.search(m, p);
  }

  private search(m: PtpMessage, p: DecodedPacket): PtpPort<S> | undefined {
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
